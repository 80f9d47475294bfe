"""The note form's risk section: suicide, homicide and self-harm as asked, and what was done."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Select

from core.notes.model import HomicidalIdeation, Risk, RiskLevel, SelfHarm, SuicidalIdeation
from core.notes.note_sections import NotePart
from tui.widgets.form_fields import Question, field_text, labelled_input, pick_list
from tui.widgets.form_values import HI_ORDER, SELF_HARM_ORDER, SI_ORDER, choices, field_widget_id


class RiskSection(Vertical):
    """Risk as assessed this session; every answer starts as "not assessed", never as a denial."""

    def __init__(self, risk: Risk) -> None:
        super().__init__(id="risk-section", classes="form-section")
        self._risk = risk

    def compose(self) -> ComposeResult:
        risk = self._risk
        yield Question("Risk: what did you ask, and what did you find?", NotePart.RISK)
        yield pick_list(
            "risk.suicidal_ideation",
            choices(SI_ORDER, "suicidal ideation: "),
            risk.suicidal_ideation,
            "suicidal ideation",
        )
        yield pick_list(
            "risk.homicidal_ideation",
            choices(HI_ORDER, "homicidal ideation: "),
            risk.homicidal_ideation,
            "homicidal ideation",
        )
        yield pick_list(
            "risk.self_harm", choices(SELF_HARM_ORDER, "self-harm: "), risk.self_harm, "self-harm"
        )
        # The one pick list that may stay empty: no level given is not a level.
        yield Select(
            choices(RiskLevel, "risk level: "),
            value=str(risk.level.value) if risk.level else Select.NULL,
            prompt="risk level: none given",
            id=field_widget_id("risk.level"),
            compact=True,
        )
        yield labelled_input("risk.details", risk.details, "reported", "what the client said")
        yield labelled_input("risk.rationale", risk.rationale, "why level", "your rationale")
        yield labelled_input("risk.safety_plan", risk.safety_plan, "safety", "safety plan")
        yield labelled_input(
            "risk.means_safety", risk.means_safety, "means", "access to means, what was agreed"
        )
        yield labelled_input("risk.actions", risk.actions, "actions", "actions taken")

    def risk(self) -> Risk:
        """The risk as entered now."""
        level = field_text(self, "risk.level")
        return Risk(
            suicidal_ideation=SuicidalIdeation(field_text(self, "risk.suicidal_ideation")),
            homicidal_ideation=HomicidalIdeation(field_text(self, "risk.homicidal_ideation")),
            self_harm=SelfHarm(field_text(self, "risk.self_harm")),
            level=RiskLevel(level) if level else None,
            details=field_text(self, "risk.details").strip(),
            safety_plan=field_text(self, "risk.safety_plan").strip(),
            actions=field_text(self, "risk.actions").strip(),
            rationale=field_text(self, "risk.rationale").strip(),
            means_safety=field_text(self, "risk.means_safety").strip(),
        )
