"""Passphrase rules and key derivation choices, as a clinician creating a vault meets them."""

from __future__ import annotations

import pytest

from storage import RULES, Vault, VaultError, WeakPassphrase, check_new_passphrase
from storage.vault.kdf import (
    DEFAULT_ARGON2ID,
    DEFAULT_LIMITS,
    DEFAULT_SCRYPT,
    SCRYPT,
    KdfParams,
    default_params,
    params_problem,
)
from tests.storage.fast_kdf import PASSPHRASE, TEST_LIMITS


@pytest.mark.parametrize(
    "passphrase",
    [
        "violet harbor lantern morning",
        "fifteen chars!!",  # exactly 15
        "мой тихий сад весной",  # any script
        "🌲🌲 quiet forest path 🦉",
        "nospacesbutlongenough",
        "correct pony battery clip",  # ordinary words, not the famous comic's four
        "clinote violet harbor lantern",  # the app's name among unrelated words
        "winter 2024 harbor lantern",
        "🌲🦉🍂🌙⭐🔥🌊🌈🍀🐝🌻🍄🐢🌵🍁",  # fifteen different emoji
        "my dog, my cat, my garden",  # repeated words, not a repeated whole
        "ha ha said the owl at noon",
        "Grüße aus München 2024",
        "👩‍⚕️ listens, 🧑‍🌾 plants seeds",  # joiners inside emoji, visible text around them
    ],
)
def test_long_passphrases_of_any_kind_are_accepted(passphrase):
    check_new_passphrase(passphrase)


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("", "empty"),
        ("fourteen chars", "14 characters"),
        ("ｓｈｏｒｔ", "5 characters"),  # NFKC first, then counted
        ("Correct Horse Battery Staple", "common"),
        ("passwordpassword", "common"),
        ("aaaaaaaaaaaaaaaaaaaa", "common"),
        ("12345678901234567", "common"),
        ("password12345678", "common password with digits or symbols added"),
        ("!!qwerty2024!!!!", "common password with digits or symbols added"),
        ("2024Password!!!!", "common password with digits or symbols added"),
        ("P@ssw0rd12345678", "common password with digits or symbols added"),
        ("letmeinletmein99", "common password with digits or symbols added"),
        ("zzzzzzzzzzzzzzzzz", "one repeated character"),
        ("1 1 1 1 1 1 1 1 1 1 1 1", "one repeated character"),
        ("123456789012345678", "run like 12345"),
        ("abcdefghijklmnopq", "run like 12345"),
        ("9876543210987654", "run like 12345"),
        ("clinote vault 2026!", "app's name"),
        ("myclinotepassword1", "app's name"),
        ("Clinote123456789", "app's name"),
        # Repeated halves and leetspeak (issue 8): the half or the word is all there is to guess.
        ("P@ssw0rd!P@ssw0rd!", "repeats a shorter one of 9 characters"),
        ("Summer2024Summer2024", "repeats a shorter one of 10 characters"),
        ("blue moon 7 blue moon 7 ", "repeats a shorter one"),
        ("P@$$w0rd!!2024!!", "common password with digits or symbols added"),
        ("M0nk3y!!12345678", "common password with digits or symbols added"),
        # Invisible characters: nothing to see, retype or guess.
        ("\u200b" * 15, "only invisible characters"),
        ("\u200b\u200c\u200d\u2060\ufeff" * 3, "only invisible characters"),
        (" " * 15, "only invisible characters"),
        ("\u3000\u00a0\t" * 5, "only invisible characters"),
        ("short" + "\u200b" * 12, "5 characters once invisible ones are left out"),
    ],
)
def test_weak_passphrases_are_refused_with_the_reason(passphrase, reason):
    with pytest.raises(WeakPassphrase, match=reason) as refusal:
        check_new_passphrase(passphrase)
    if len(passphrase) >= 15:
        assert "choose a few unrelated words" in str(refusal.value)


def test_the_rules_text_states_the_length_and_no_composition_rules():
    assert "15 characters" in RULES and "no rules about digits or symbols" in RULES


def test_the_defaults_meet_rfc_9106_second_choice_and_pass_the_real_bounds():
    assert (DEFAULT_ARGON2ID.memory_cost, DEFAULT_ARGON2ID.iterations) == (64 * 1024, 3)
    assert DEFAULT_ARGON2ID.lanes == 4
    assert params_problem(DEFAULT_ARGON2ID, DEFAULT_LIMITS) is None
    assert params_problem(DEFAULT_SCRYPT, DEFAULT_LIMITS) is None
    assert DEFAULT_SCRYPT.memory_cost == 17 and DEFAULT_SCRYPT.iterations == 8


def test_without_argon2id_the_vault_falls_back_to_scrypt_and_records_it(tmp_path, monkeypatch):
    monkeypatch.setattr("storage.vault.kdf.argon2id_available", lambda: False)
    assert default_params() == DEFAULT_SCRYPT
    cheap_scrypt = KdfParams(SCRYPT, 10, 8, 1)
    path = tmp_path / "v.vault"
    Vault.create(path, PASSPHRASE, kdf=cheap_scrypt, kdf_limits=TEST_LIMITS).close()
    assert path.read_bytes()[28] == SCRYPT  # the KDF id in the header
    with Vault.open(path, PASSPHRASE, kdf_limits=TEST_LIMITS) as vault:
        assert vault.failed_unlocks_before_this_one == 0


def test_create_refuses_weak_kdf_parameters_under_the_real_bounds(tmp_path):
    with pytest.raises(VaultError, match="refusing to create"):
        Vault.create(tmp_path / "v.vault", PASSPHRASE, kdf=KdfParams(1, 1024, 1, 1))
    assert not (tmp_path / "v.vault").exists()
