"""A screen's search or filter box, where the search key means what it means elsewhere."""

from __future__ import annotations

from textual import events

from custui.keymap import key
from custui.widgets.safe import SafeInput

SEARCH_BINDINGS = ("app.search", "lookup.focus-search")


class SearchBox(SafeInput):
    """The search key (`/`, or settings.yaml's app.search / lookup.focus-search) pressed in the
    box selects its text, as it does from anywhere else, so the next query typed replaces the
    old one; it never becomes part of the query."""

    def search_keys(self) -> set[str]:
        workspace = getattr(self.app, "workspace", None)
        keymap = dict(workspace.config.settings.keymap) if workspace is not None else {}
        keys: set[str] = set()
        for binding_id in SEARCH_BINDINGS:
            keys.update(one.strip() for one in keymap.get(binding_id, key(binding_id)).split(","))
        return keys

    async def _on_key(self, event: events.Key) -> None:
        if event.key in self.search_keys():
            event.stop()
            event.prevent_default()
            self.select_all()
            return
        await super()._on_key(event)
