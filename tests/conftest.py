"""Fixtures every test tier shares."""

from collections.abc import Iterator

import pytest

from tests.support.ollama_standin import OllamaStandIn


@pytest.fixture
def ollama_standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[OllamaStandIn]:
    """A running Ollama stand-in with gemma3:4b; OLLAMA_HOST points at it."""
    with OllamaStandIn() as standin:
        monkeypatch.setenv("OLLAMA_HOST", standin.url)
        yield standin


@pytest.fixture(autouse=True)
def _config_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never the user's real config folder (it also holds the vaults' rollback records).

    One folder per test: template vaults are copied between tests, and a record left by
    one test would make the next test's fresh copy look rolled back.
    """
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("CLINOTE_CONFIG", str(folder / "config.toml"))


@pytest.fixture(autouse=True)
def _core_dumps_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main.main called in-process must not make the test runner itself undumpable."""
    monkeypatch.setattr("tui.hardening.disable_core_dumps", lambda: None)
