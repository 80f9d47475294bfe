"""Terminal escapes in names, files and model replies never reach the terminal raw (issue 8.1).

The CLI runs as a real process and its output is read as bytes; the app is
driven with the pilot and read back from its widgets.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cli.main import main
from core.notes.session_file import session_to_dict
from storage import Vault
from storage.records.repositories import Repositories
from storage.records.transfer import export_data
from tests.support.drafting_sessions import GOOD_DRAFT, chunked, passive_ideation_session
from tests.support.fictional_notes import fictional_client, fictional_draft
from tests.support.ollama_standin import Script
from tests.tui.conftest import screen_text, table_rows, unlock, wait_until

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple, fictional"
EVE = "Eve \x1b]0;PWNED\x07\x1b]52;c;cHduZWQ=\x07"
EVE_STRIPPED = "Eve ]0;PWNED]52;c;cHduZWQ="
RAW = (b"\x1b", b"\x07", "\x9b".encode())


def clinote(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLINOTE_PASSPHRASE": PASSPHRASE}
    env.pop("CLINOTE_VAULT", None)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )


def assert_no_raw_controls(*outputs: bytes) -> None:
    for output in outputs:
        for raw in RAW:
            assert raw not in output


@pytest.fixture(scope="module")
def template_vault(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "practice.vault"
    Vault.create(path, PASSPHRASE).close()
    return path


@pytest.fixture
def vault_path(tmp_path, template_vault) -> Path:
    path = tmp_path / "vault" / "practice.vault"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(template_vault, path)
    path.chmod(0o600)
    return path


def export_with_client(name: str, code: str = "EV-0001", **extra) -> dict:
    """An export document of one fictional client, as a file an attacker could hand over."""
    from tests.support.memory_vault import MemoryVault

    memory = MemoryVault()
    repos = Repositories(memory.db, memory.record_event, check_note=lambda details, text: [])
    client = fictional_client(name="Placeholder Name", code="PH-0001")
    repos.clients.save(client)
    repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    document = json.loads(json.dumps(export_data(repos)))
    document["clients"][0].update(name=name, code=code, **extra)
    return document


def write_json(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_import_stores_a_name_without_its_escapes(vault_path, tmp_path):
    export = write_json(tmp_path / "eve.json", export_with_client(EVE))
    result = clinote("import", "--vault", str(vault_path), str(export))
    assert result.returncode == 0, result.stderr
    assert_no_raw_controls(result.stdout, result.stderr)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        names = [client.name for client in Repositories.from_vault(vault).clients.list()]
    assert names == [EVE_STRIPPED]


def test_import_messages_quote_unknown_keys_escaped(vault_path, tmp_path):
    document = export_with_client("Quinn Fictional")
    document["clients"][0][EVE] = "x"
    result = clinote(
        "import", "--vault", str(vault_path), str(write_json(tmp_path / "k.json", document))
    )
    assert result.returncode == 2
    assert_no_raw_controls(result.stdout, result.stderr)
    assert b"clients[0].Eve \\x1b]0;PWNED\\x07" in result.stderr
    assert b"unknown field" in result.stderr


def test_import_refuses_an_id_with_escapes_without_printing_them(vault_path, tmp_path):
    document = export_with_client("Quinn Fictional")
    document["clients"][0]["notes"][0]["id"] = "\x1b]0;PWNED\x07"
    result = clinote(
        "import", "--vault", str(vault_path), str(write_json(tmp_path / "i.json", document))
    )
    assert result.returncode == 2
    assert_no_raw_controls(result.stdout, result.stderr)
    assert b"clients[0].notes[0].id: an id is 1-64 letters" in result.stderr


def test_not_imported_client_message_carries_no_escapes(vault_path, tmp_path):
    with Vault.open(vault_path, PASSPHRASE) as vault:
        Repositories.from_vault(vault).clients.save(fictional_client("Other Person", "EV-0001"))
    document = export_with_client("Quinn Fictional", code="EV-\x1b0001\x07")
    result = clinote(
        "import", "--vault", str(vault_path), str(write_json(tmp_path / "c.json", document))
    )
    assert result.returncode == 1
    assert_no_raw_controls(result.stdout, result.stderr)
    assert b"not imported: client EV-0001: another client" in result.stderr


def test_export_of_a_raw_name_already_in_the_vault_is_escaped_json(vault_path):
    with Vault.open(vault_path, PASSPHRASE) as vault:
        Repositories.from_vault(vault).clients.save(fictional_client(EVE + "\x9b2J", "EV-0001"))
    result = clinote("export", "--vault", str(vault_path))
    assert result.returncode == 0
    assert_no_raw_controls(result.stdout, result.stderr)
    assert json.loads(result.stdout)["clients"][0]["name"] == EVE + "\x9b2J"  # the data, intact


def test_check_quotes_an_unknown_key_escaped(tmp_path):
    session = session_to_dict(passive_ideation_session())
    session[EVE] = 1
    result = clinote("check", str(write_json(tmp_path / "s.json", session)))
    assert result.returncode == 2
    assert_no_raw_controls(result.stdout, result.stderr)
    assert b"Eve \\x1b]0;PWNED\\x07" in result.stderr


def test_draft_without_model_prints_the_name_stripped(tmp_path):
    session = session_to_dict(passive_ideation_session())
    session["client"]["name"] = EVE
    session["observations"] = "Calm \x1b[2J affect."
    result = clinote("draft", "--no-llm", str(write_json(tmp_path / "s.json", session)))
    assert result.returncode == 0, result.stderr
    assert_no_raw_controls(result.stdout, result.stderr)
    assert b"Calm [2J affect." in result.stdout


def test_a_model_reply_with_escapes_reaches_stdout_stripped(ollama_standin, tmp_path, capsys):
    reply = GOOD_DRAFT.replace(
        "diaphragmatic breathing", "diaphragmatic \x1b]52;c;cHduZWQ=\x07breathing"
    )
    assert reply != GOOD_DRAFT
    ollama_standin.script = Script(chunks=chunked(reply, size=5))
    session = write_json(tmp_path / "s.json", session_to_dict(passive_ideation_session()))
    assert main(["draft", str(session)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    # Stripped where it came in (the model), not only escaped on the way out.
    assert "\\x1b" not in out


def test_a_lone_surrogate_in_a_draft_is_printed_escaped_not_a_crash(tmp_path):
    session = session_to_dict(passive_ideation_session())
    text = json.dumps(session).replace('"observations": "', '"observations": "\\ud800 ')
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    result = clinote("draft", "--no-llm", str(path))
    assert result.returncode == 0, result.stderr
    assert b"\\ud800" in result.stdout


async def test_caseload_and_client_screen_show_a_stored_raw_name_escaped(make_app, empty_vault):
    from tests.tui.conftest import CHEAP_LIMITS, TEST_PASSPHRASE
    from tui.screens.client import ClientScreen

    with Vault.open(empty_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
        # Written as an older clinote could have: straight into the vault, unstripped.
        Repositories.from_vault(vault).clients.save(fictional_client(EVE, "EV\x1b[2J-01"))
    app = make_app(empty_vault)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        rows = table_rows(app, "#caseload-table")
        assert rows[0][0] == "EV\\x1b[2J-01"
        assert rows[0][1].startswith("Eve \\x1b]0;PWNED\\x07")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        shown = screen_text(app) + app.screen.title
        assert "\x1b" not in shown and "\x07" not in shown
        assert "Eve \\x1b]0;PWNED" in shown


async def test_a_name_pasted_with_escapes_into_the_client_form_is_saved_stripped(
    make_app, empty_vault
):
    from textual.widgets import Input

    from tests.tui.conftest import CHEAP_LIMITS, TEST_PASSPHRASE, wait_until
    from tui.screens.client_form import ClientFormScreen

    app = make_app(empty_vault)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        app.screen.query_one("#client-name", Input).value = EVE
        app.screen.query_one("#client-code", Input).value = "EV-\x1b[2J0001"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ClientFormScreen))
        await app.workers.wait_for_complete()
    with Vault.open(empty_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
        [client] = Repositories.from_vault(vault).clients.list()
    assert (client.name, client.code) == (EVE_STRIPPED, "EV-[2J0001")


async def test_a_paste_into_a_note_field_arrives_without_terminal_escapes(make_app, caseload_vault):
    from textual import events

    from tests.tui.test_app_lifecycle import start_a_note

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot)
        plan = app.screen.query_one("#f-plan")
        plan.focus()
        await pilot.pause()
        # As a terminal's bracketed paste reaches the app: every field, one place.
        app.post_message(events.Paste("Call \x1b]52;c;aGk=\x07Friday \u202eevil"))
        await wait_until(pilot, lambda: "Call" in plan.text)
        assert plan.text == "Call ]52;c;aGk=Friday evil"
