"""Entries typed on forms that save no record until their end, kept encrypted in the vault."""

from storage.records.form_drafts import (
    GROUP_SESSION_FORM_KEY,
    FormDraftRepository,
    summary_form_key,
)
from tests.storage.vault_fixtures import create_vault, open_vault

REASON = "Fictional reason: moving to another state"


def test_entries_are_kept_per_form_across_a_close_and_encrypted(vault_path):
    with create_vault(vault_path) as vault:
        drafts = FormDraftRepository(vault.db)
        drafts.save(summary_form_key("client-a"), {"kind": "discharge", "reason": REASON})
        drafts.save(summary_form_key("client-b"), {"kind": "progress", "reason": ""})
        drafts.save(GROUP_SESSION_FORM_KEY, {"shared": {"group-topic": "t"}, "step": 1})
        # Saving again replaces the form's entries; it never adds a second copy.
        drafts.save(summary_form_key("client-a"), {"kind": "discharge", "reason": REASON + "."})
    assert REASON.encode() not in vault_path.read_bytes()
    with open_vault(vault_path) as vault:
        drafts = FormDraftRepository(vault.db)
        assert drafts.get(summary_form_key("client-a")) == {
            "kind": "discharge",
            "reason": REASON + ".",
        }
        assert drafts.get(summary_form_key("client-b"))["kind"] == "progress"
        assert drafts.get(GROUP_SESSION_FORM_KEY)["step"] == 1
        assert len(vault.db.table("form_drafts").all()) == 3
        drafts.delete(summary_form_key("client-a"))
        drafts.delete(summary_form_key("no-such-client"))  # nothing kept: nothing to do
    with open_vault(vault_path) as vault:
        drafts = FormDraftRepository(vault.db)
        assert drafts.get(summary_form_key("client-a")) is None
        assert drafts.get(GROUP_SESSION_FORM_KEY) is not None


def test_keep_saves_typed_entries_and_forgets_a_form_back_as_it_opened(vault_path):
    untouched = {"text": "", "reason": ""}
    with create_vault(vault_path) as vault:
        drafts = FormDraftRepository(vault.db)
        drafts.keep("addendum:n1", {"text": "Fictional late call", "reason": ""}, untouched)
        assert drafts.get("addendum:n1") == {"text": "Fictional late call", "reason": ""}
        drafts.keep("addendum:n1", untouched, untouched)  # everything typed was erased
        assert drafts.get("addendum:n1") is None
        assert vault.db.table("form_drafts").all() == []
