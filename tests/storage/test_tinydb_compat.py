"""The vault's tables behave like TinyDB 4.9's where a caller relies on it: ids the caller chooses."""

from __future__ import annotations

import pytest
from tinydb import Query
from tinydb.table import Document

from storage import AppendOnlyTable
from tests.storage.vault_fixtures import open_vault


@pytest.fixture(params=["fresh", "reopened"])
def table(request, vault, vault_path):
    """A table on a new vault, or on the same vault closed and opened again."""
    if request.param == "fresh":
        yield vault.db.table("things")
        return
    vault.db.table("things").insert({"seed": True})
    vault.db.table("things").remove(doc_ids=[1])
    vault.close()
    with open_vault(vault_path) as reopened:
        yield reopened.db.table("things")


def test_insert_keeps_the_id_the_caller_chose(table, vault_path):
    assert table.insert(Document({"name": "Ada Fernwhistle"}, doc_id=12)) == 12
    assert table.get(doc_id=12) == {"name": "Ada Fernwhistle"}
    assert table.insert({"name": "Teodor Brightwater"}) == 13  # the next free id after it


def test_inserting_an_id_that_exists_raises_value_error_and_saves_nothing(table):
    table.insert(Document({"name": "Ada Fernwhistle"}, doc_id=3))
    with pytest.raises(ValueError, match="Document with ID 3 already exists"):
        table.insert(Document({"name": "Marisol Oakhaven"}, doc_id=3))
    assert table.get(doc_id=3) == {"name": "Ada Fernwhistle"}
    assert len(table) == 1


def test_insert_multiple_keeps_chosen_ids_and_refuses_duplicates(table):
    assert table.insert_multiple([Document({"n": 1}, doc_id=5), Document({"n": 2}, doc_id=9)]) == [
        5,
        9,
    ]
    with pytest.raises(ValueError, match="Document with ID 9 already exists"):
        table.insert_multiple([Document({"n": 3}, doc_id=9)])
    assert sorted(doc.doc_id for doc in table.all()) == [5, 9]


def test_upsert_with_a_document_id_inserts_then_updates(table):
    assert table.upsert(Document({"name": "Robin Quillfeather"}, doc_id=1)) == [1]
    assert table.upsert(Document({"format": "DAP"}, doc_id=1)) == [1]
    assert table.get(doc_id=1) == {"name": "Robin Quillfeather", "format": "DAP"}
    assert table.upsert({"format": "SOAP"}, Query().name == "Robin Quillfeather") == [1]
    assert table.get(doc_id=1)["format"] == "SOAP"


def test_a_document_read_back_can_be_inserted_elsewhere_with_its_id(vault):
    source, target = vault.db.table("source"), vault.db.table("target")
    source.insert({"name": "Ada Fernwhistle"})
    (document,) = source.all()
    assert target.insert(document) == document.doc_id


def test_chosen_ids_survive_reopening(vault, vault_path):
    vault.db.table("things").insert(Document({"name": "Ada Fernwhistle"}, doc_id=40))
    vault.close()
    with open_vault(vault_path) as reopened:
        assert reopened.db.table("things").get(doc_id=40) == {"name": "Ada Fernwhistle"}


def test_the_audit_table_stays_append_only_with_chosen_ids(vault):
    audit = vault.db.table("audit")
    (first,) = audit.all()
    with pytest.raises(AppendOnlyTable):
        audit.upsert(Document({"event": "forged"}, doc_id=first.doc_id))
    assert audit.get(doc_id=first.doc_id)["event"] == "created"
