"""Vault fixtures for the storage tier (cheap KDF; see vault_fixtures.py)."""

from tests.storage.vault_fixtures import vault, vault_path  # noqa: F401
