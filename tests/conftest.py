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
