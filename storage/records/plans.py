"""Treatment plans in the vault: one per client, an empty plan until one is written."""

from __future__ import annotations

from tinydb import Query, TinyDB

from core.notes.model import TreatmentPlan
from storage.records.codec import plan_from_doc, plan_to_doc
from storage.records.record_types import RecordEvent

PLANS_TABLE = "plans"

_by_client = Query().client_id


class PlanRepository:
    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(PLANS_TABLE)
        self._record_event = record_event

    def get(self, client_id: str) -> TreatmentPlan:
        """The client's plan, or an empty plan when none was written yet."""
        doc = self._table.get(_by_client == client_id)
        return plan_from_doc(doc) if doc is not None else TreatmentPlan(client_id=client_id)

    def exists(self, client_id: str) -> bool:
        return self._table.contains(_by_client == client_id)

    def save(self, plan: TreatmentPlan) -> None:
        self._table.upsert(plan_to_doc(plan), _by_client == plan.client_id)
        self._record_event("plan_saved", plan.client_id)
