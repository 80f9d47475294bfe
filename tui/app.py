"""Placeholder app until the terminal app lands: starts and quits cleanly."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static


class ClinoteApp(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit")]

    def compose(self) -> ComposeResult:
        yield Static("clinote — the terminal app is being built. Press ctrl+q to quit.")
        yield Footer()


def run_app(vault_arg: str | None = None, demo: bool = False) -> int:
    ClinoteApp().run()
    return 0
