"""Crafted tails, damaged frames and rollbacks, as an intruder with write access to the file makes them."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from storage import VaultCorrupt, VaultError, VaultExists, verify_vault
from storage.vault.check import recover_vault
from storage.vault.errors import DamagedFrame
from storage.vault.file_format import FRAME_HEADER, HEADER_SIZE, NONCE_BYTES, decode_header
from storage.vault.rollback import RollbackRecord
from tests.storage.vault_fixtures import (
    FAST_KDF,
    FICTIONAL_NOTES,
    PASSPHRASE,
    TEST_LIMITS,
    create_vault,
    open_vault,
)

FILLER = {"client": "Robin Quillfeather", "format": "DAP", "text": "Kept the sleep log. " * 60}


def frame_offsets(data: bytes) -> list[int]:
    """Where each frame starts (docs/vault-format.md: 4-byte length, check, kind, seq, nonce)."""
    offsets, offset = [], HEADER_SIZE
    while offset + FRAME_HEADER.size <= len(data):
        (length, *_rest) = FRAME_HEADER.unpack_from(data, offset)
        offsets.append(offset)
        offset += FRAME_HEADER.size + NONCE_BYTES + length
    return offsets


def with_length(data: bytes, offset: int, length: int) -> bytes:
    """A frame length changed together with its check value: what a crafted length looks like."""
    crafted = bytearray(data)
    struct.pack_into(">II", crafted, offset, length, length ^ 0xFFFFFFFF)
    return bytes(crafted)


@pytest.fixture
def many_frames(tmp_path: Path) -> tuple[Path, list[dict]]:
    """A closed vault with a dozen delta frames of about 1.2 KB each (17 KB or so in all)."""
    path = tmp_path / "practice" / "clinote.vault"
    with create_vault(path) as vault:
        notes = vault.db.table("notes")
        for number in range(12):
            notes.insert({**FILLER, "session": number})
        expected = [dict(note) for note in notes.all()]
    return path, expected


def test_a_crafted_length_never_makes_a_save_cut_valid_frames(many_frames):
    path, expected = many_frames
    data = path.read_bytes()
    target = frame_offsets(data)[3]  # an early delta; many valid frames follow it
    path.write_bytes(with_length(data, target, len(data)))  # "runs past the end of file"
    crafted = path.read_bytes()
    with pytest.raises(DamagedFrame) as caught:
        open_vault(path)
    assert path.read_bytes() == crafted  # nothing was cut: the next save cannot drop frames
    message = str(caught.value)
    assert f"frame 3 at byte {target}" in message and "skips over later frames" in message
    assert "clinote verify --recover" in message and "\n" not in message
    with pytest.raises(DamagedFrame):
        verify_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    assert len(expected) == 12


def test_a_crafted_length_on_the_last_frame_costs_at_most_that_frame(many_frames):
    path, expected = many_frames
    data = path.read_bytes()
    last = frame_offsets(data)[-1]
    path.write_bytes(with_length(data, last, len(data)))
    with open_vault(path) as vault:
        assert any("unfinished save" in warning for warning in vault.warnings)
        kept = [dict(note) for note in vault.db.table("notes").all()]
    # Only the last frame (the last insert) is dropped; every earlier note is still there.
    assert kept == expected[: len(kept)] and len(kept) >= len(expected) - 1


def test_recover_writes_the_intact_frames_to_a_new_file_and_leaves_the_vault(many_frames):
    path, expected = many_frames
    data = path.read_bytes()
    offsets = frame_offsets(data)
    damaged = bytearray(data)
    damaged[offsets[6] + FRAME_HEADER.size + NONCE_BYTES + 5] ^= 0x40  # inside frame 6's body
    path.write_bytes(bytes(damaged))
    with pytest.raises(DamagedFrame, match="frame 6 at byte .* fails authentication"):
        verify_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    written, frames = recover_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    assert written == path.with_name("clinote.vault.recovered") and frames == 6
    assert path.read_bytes() == bytes(damaged)  # never replaced
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    report = verify_vault(written, PASSPHRASE, kdf_limits=TEST_LIMITS)
    assert report.frames == 6 and report.torn_bytes == 0
    with open_vault(written) as vault:
        recovered = [dict(note) for note in vault.db.table("notes").all()]
    assert recovered and recovered == expected[: len(recovered)]
    # A second recovery never replaces the first.
    with pytest.raises(VaultExists):
        recover_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS)


def test_recover_refuses_a_sound_vault_and_damage_inside_the_snapshot(many_frames):
    path, _ = many_frames
    with pytest.raises(VaultError, match="is sound; there is nothing to recover"):
        recover_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    data = bytearray(path.read_bytes())
    data[frame_offsets(bytes(data))[0] + 40] ^= 0x01  # the snapshot frame
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedFrame, match="inside the snapshot"):
        recover_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    assert not path.with_name("clinote.vault.recovered").exists()


# -- rollback ----------------------------------------------------------------


@pytest.fixture
def seen(tmp_path: Path) -> Path:
    return tmp_path / "config" / "seen-vaults"


def _open(path: Path, seen: Path):
    from storage import Vault

    return Vault.open(path, PASSPHRASE, kdf_limits=TEST_LIMITS, seen_folder=seen)


def _saved_with_history(tmp_path: Path, seen: Path) -> tuple[Path, bytes]:
    """A vault opened with a rollback record; returns it and a copy from before the last saves."""
    from storage import Vault

    path = tmp_path / "practice" / "clinote.vault"
    with Vault.create(
        path, PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS, seen_folder=seen
    ) as vault:
        vault.db.table("notes").insert(FICTIONAL_NOTES[0])
    older = path.read_bytes()
    with _open(path, seen) as vault:
        vault.db.table("notes").update({"signed": True}, doc_ids=[1])  # a note gets signed
    return path, older


def test_reopening_as_usual_gives_no_rollback_warning(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    with _open(path, seen) as vault:
        assert vault.warnings == []


def test_an_older_copy_put_in_place_opens_with_a_loud_warning(tmp_path, seen):
    path, older = _saved_with_history(tmp_path, seen)
    path.write_bytes(older)  # the signed note is a draft again, its audit row gone
    with _open(path, seen) as vault:
        assert len(vault.warnings) == 1
        warning = vault.warnings[0]
        events = [row["event"] for row in vault.db.table("audit").all()]
    assert events[-2:] == ["rollback_seen", "unlocked"]  # the vault itself keeps a trace
    assert (
        warning.startswith("WARNING: ")
        and "OLDER than the copy this computer last opened" in warning
    )
    assert str(path) in warning and "\n" not in warning
    assert (
        verify_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS, seen_folder=seen).rollback_warning
        is None
    )


def test_verify_reports_a_rollback_without_recording_anything(tmp_path, seen):
    path, older = _saved_with_history(tmp_path, seen)
    path.write_bytes(older)
    record = next(seen.iterdir())
    before = record.read_bytes()
    report = verify_vault(path, PASSPHRASE, kdf_limits=TEST_LIMITS, seen_folder=seen)
    assert report.rollback_warning and "OLDER" in report.rollback_warning
    assert record.read_bytes() == before


def test_a_truncation_at_a_frame_boundary_is_a_rollback(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    data = path.read_bytes()
    path.write_bytes(data[: frame_offsets(data)[-1]])  # exactly one whole frame fewer
    with _open(path, seen) as vault:
        assert any("OLDER" in warning for warning in vault.warnings)


def test_the_bak_swapped_in_is_a_rollback(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    with _open(path, seen) as vault:
        vault.db.table("notes").insert(FICTIONAL_NOTES[1])
        vault.compact()
    shutil.copyfile(path.with_name(path.name + ".bak"), path)
    with _open(path, seen) as vault:
        assert any("OLDER" in warning for warning in vault.warnings)


def test_the_record_is_private_small_and_holds_no_note_text(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    (record,) = list(seen.iterdir())
    assert oct(record.stat().st_mode & 0o777) == "0o600"
    assert oct(seen.stat().st_mode & 0o777) == "0o700"
    file_id = decode_header(path.read_bytes(), path).file_id
    assert record.name == f"{file_id.hex()}.seen" and record.stat().st_size == 72
    assert b"Robin" not in record.read_bytes()


def test_the_record_follows_every_commit(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    with _open(path, seen) as vault:
        vault.db.table("notes").insert(FICTIONAL_NOTES[1])
        file_id = decode_header(path.read_bytes(), path).file_id
        state = RollbackRecord(seen, file_id, vault._storage.vault_file._data_key).read()
        assert (state.generation, state.frames) == (
            vault.generation,
            vault._storage.vault_file.frame_count,
        )


def test_a_forged_record_is_reported_not_trusted(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    (record,) = list(seen.iterdir())
    forged = bytearray(record.read_bytes())
    struct.pack_into(">Q", forged, 24, 1)  # generation 1 -> kept, frames -> changed below
    struct.pack_into(">Q", forged, 32, 10_000)  # "the vault once had 10,000 frames"
    record.write_bytes(bytes(forged))
    with _open(path, seen) as vault:
        assert len(vault.warnings) == 1
        assert "does not verify" in vault.warnings[0] and "OLDER" not in vault.warnings[0]
    with _open(path, seen) as vault:  # replaced by a record that verifies
        assert vault.warnings == []


def test_a_vault_that_cannot_be_read_is_not_a_rollback(tmp_path, seen):
    path, _ = _saved_with_history(tmp_path, seen)
    path.write_bytes(b"")
    with pytest.raises(VaultCorrupt, match="empty"):
        _open(path, seen)
