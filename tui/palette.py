"""Command palette: jump to a client by name or code."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.display_text import plain, shown

if TYPE_CHECKING:
    from tui.app import ClinoteApp


class ClientCommands(Provider):
    """Lists the caseload's clients while the vault is unlocked."""

    def _clients(self) -> list:
        app = cast("ClinoteApp", self.app)
        return app.repos.clients.list() if app.unlocked else []

    def _open(self, client_id: str) -> None:
        cast("ClinoteApp", self.app).open_client(client_id)

    async def discover(self) -> Hits:
        for client in self._clients()[:10]:
            yield DiscoveryHit(
                f"Client {shown(client.name)} ({shown(client.code)})",
                partial(self._open, client.id),
                help="Open this client",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for client in self._clients():
            label = f"Client {plain(client.name)} ({plain(client.code)})"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self._open, client.id),
                    help=f"Open {shown(client.code)}"
                    + (" (discharged)" if client.status == "discharged" else ""),
                )
