"""A damaged, truncated or foreign file is refused with one line, and nothing is written."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from storage import (
    DEFAULT_LIMITS,
    Vault,
    VaultCorrupt,
    VaultError,
    WrongPassphrase,
)
from storage.vault.errors import UnsupportedFormat
from storage.vault.file_format import HEADER_SIZE
from tests.storage.vault_fixtures import FICTIONAL_NOTES, PASSPHRASE, create_vault, open_vault

# Header offsets (docs/vault-format.md): version at 8, KDF id at 28, its three costs at 29/33/37.
VERSION_AT, KDF_ID_AT, MEMORY_AT, PASSES_AT, LANES_AT, GENERATION_AT = 8, 28, 29, 33, 37, 133


def build_history(path: Path) -> list[list[dict]]:
    """A vault with a snapshot and several appended frames; the notes after each save."""
    states = [[]]
    with create_vault(path) as vault:
        notes = vault.db.table("notes")
        for note in FICTIONAL_NOTES:
            notes.insert(note)
            states.append([dict(n) for n in notes.all()])
        notes.update({"signed": True}, doc_ids=[1])
        states.append([dict(n) for n in notes.all()])
    return states


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "clinote.vault"
    return path, build_history(path)


def assert_refused_untouched(path: Path, expected_error=VaultCorrupt, match: str | None = None):
    before = path.read_bytes()
    with pytest.raises(expected_error, match=match) as caught:
        open_vault(path)
    assert path.read_bytes() == before
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_a_zero_byte_file_is_refused_and_not_replaced(tmp_path):
    path = tmp_path / "clinote.vault"
    path.write_bytes(b"")
    message = assert_refused_untouched(path, match="empty")
    assert str(path) in message and ".bak" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clinote.vault", "clinote.vault.lock"]


def test_the_refusal_points_at_an_existing_backup(history):
    path, _ = history
    with open_vault(path) as vault:
        vault.compact()
    path.write_bytes(b"")
    message = assert_refused_untouched(path)
    assert f"a backup of the previous generation exists at {path}.bak" in message


def test_plaintext_json_in_place_of_the_vault_is_refused(tmp_path):
    path = tmp_path / "clinote.vault"
    path.write_text('{"notes": {"1": {"client": "Robin Quillfeather"}}}')
    assert_refused_untouched(path, match="plaintext JSON")


def test_an_unknown_file_signature_is_refused_with_where_to_look(tmp_path):
    path = tmp_path / "clinote.vault"
    path.write_bytes(b"PK\x03\x04 not a vault at all" * 10)
    message = assert_refused_untouched(path, match="not a clinote vault")
    assert "check that --vault or CLINOTE_VAULT names your vault file" in message
    assert "no .bak backup exists" in message


def test_a_file_that_is_no_longer_a_vault_says_how_to_restore_its_backup(history):
    path, _ = history
    with open_vault(path) as vault:
        vault.compact()
    path.write_bytes(b"PK\x03\x04 not a vault at all" * 10)
    message = assert_refused_untouched(path, match="not a clinote vault")
    assert (
        "to restore it, move clinote.vault aside and copy clinote.vault.bak to clinote.vault"
        in message
    )


def test_an_unknown_format_version_is_refused(history):
    path, _ = history
    data = bytearray(path.read_bytes())
    struct.pack_into(">H", data, VERSION_AT, 2)
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, UnsupportedFormat, match="format 2")


def test_a_flipped_byte_anywhere_is_refused(history):
    path, _ = history
    original = path.read_bytes()
    with path.open("r+b") as stream:
        for offset in range(len(original)):
            flipped = bytes([original[offset] ^ 0xFF])
            stream.seek(offset)
            stream.write(flipped)
            stream.flush()
            try:
                open_vault(path).close()
            except VaultError as error:
                assert "\n" not in str(error)
            else:
                pytest.fail(f"a vault with byte {offset} flipped opened")
            stream.seek(offset)
            assert stream.read(1) == flipped, f"byte {offset} was rewritten"
            stream.seek(offset)
            stream.write(original[offset : offset + 1])
            stream.flush()
    assert path.read_bytes() == original


def test_an_edited_header_parameter_fails_authentication(history):
    path, _ = history
    data = bytearray(path.read_bytes())
    struct.pack_into(">I", data, PASSES_AT, 2)  # still within the test bounds
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, WrongPassphrase)


def test_an_edited_generation_fails_authentication(history):
    path, _ = history
    data = bytearray(path.read_bytes())
    struct.pack_into(">Q", data, GENERATION_AT, 7)
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, match="fails authentication")


def test_truncation_at_any_offset_refuses_or_keeps_a_saved_state(history):
    path, states = history
    original = path.read_bytes()
    truncated = path.with_name("truncated.vault")
    opened = 0
    for length in range(0, len(original), 7):
        truncated.write_bytes(original[:length])
        try:
            with open_vault(truncated) as vault:
                notes = [dict(note) for note in vault.db.table("notes").all()]
        except VaultCorrupt as error:
            assert "\n" not in str(error)
            assert truncated.read_bytes() == original[:length]
            continue
        opened += 1
        assert notes in states, f"truncated at {length} opened with a state never saved"
    assert opened > 0


def test_a_torn_last_frame_is_dropped_with_a_warning(history):
    path, states = history
    data = path.read_bytes()
    with open_vault(path) as vault:
        vault.db.table("notes").insert({"client": "Ada Fernwhistle"})
    whole = path.read_bytes()
    path.write_bytes(whole[: len(data) + (len(whole) - len(data)) // 2])  # cut the last frames
    with open_vault(path) as vault:
        assert any("unfinished save" in warning for warning in vault.warnings)
        assert [dict(note) for note in vault.db.table("notes").all()] == states[-1]
    with open_vault(path) as vault:  # the tail was cut, so new frames follow good ones
        assert vault.warnings == []


def test_a_zero_filled_tail_after_a_power_cut_is_dropped(history):
    path, states = history
    with path.open("ab") as stream:
        stream.write(b"\0" * 100)
    with open_vault(path) as vault:
        assert vault.warnings
        assert [dict(note) for note in vault.db.table("notes").all()] == states[-1]


@pytest.mark.parametrize(
    ("field_at", "value", "expected"),
    [
        (MEMORY_AT, 64 * 1024 * 1024, "memory"),  # 64 GiB
        (MEMORY_AT, 8, "memory"),  # far below RFC 9106
        (PASSES_AT, 100_000, "passes"),
        (PASSES_AT, 1, "passes"),
        (LANES_AT, 0, "lanes"),
        (LANES_AT, 10_000, "lanes"),
    ],
)
def test_hostile_kdf_parameters_are_refused_before_the_kdf_runs(
    history, monkeypatch, field_at, value, expected
):
    path, _ = history
    data = bytearray(path.read_bytes())
    struct.pack_into(">III", data, MEMORY_AT, 64 * 1024, 3, 4)  # the real defaults
    struct.pack_into(">I", data, field_at, value)
    path.write_bytes(bytes(data))

    def kdf_must_not_run(*args, **kwargs):
        pytest.fail("the KDF ran on parameters outside the bounds")

    monkeypatch.setattr("storage.vault.reader.derive_key", kdf_must_not_run)
    with pytest.raises(UnsupportedFormat, match=expected):
        Vault.open(path, PASSPHRASE, kdf_limits=DEFAULT_LIMITS)
    assert path.read_bytes() == bytes(data)


def test_an_unknown_kdf_is_refused_before_any_derivation(history, monkeypatch):
    path, _ = history
    data = bytearray(path.read_bytes())
    data[KDF_ID_AT] = 9
    path.write_bytes(bytes(data))
    monkeypatch.setattr("storage.vault.reader.derive_key", lambda *a, **k: pytest.fail("ran"))
    assert_refused_untouched(path, UnsupportedFormat, match="unknown key derivation")


def test_the_real_bounds_refuse_the_cheap_test_parameters(history, monkeypatch):
    path, _ = history
    monkeypatch.setattr("storage.vault.reader.derive_key", lambda *a, **k: pytest.fail("ran"))
    with pytest.raises(UnsupportedFormat, match="outside the accepted"):
        Vault.open(path, PASSPHRASE)


def test_a_folder_in_place_of_the_vault_is_refused(tmp_path):
    folder = tmp_path / "clinote.vault"
    folder.mkdir()
    with pytest.raises(VaultCorrupt, match="folder"):
        open_vault(folder)


def test_header_is_a_fixed_141_bytes():
    assert HEADER_SIZE == 141  # docs/vault-format.md describes exactly this layout


def test_a_damaged_vault_never_becomes_a_new_empty_one(history):
    path, _ = history
    shutil.copy(path, path.with_name("good.vault"))
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + 40] ^= 0x01
    path.write_bytes(bytes(data))
    assert_refused_untouched(path)
    with pytest.raises(VaultError):
        create_vault(path)
    assert path.read_bytes() == bytes(data)
