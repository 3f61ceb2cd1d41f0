"""The command palette (Ctrl+P): screens, actions, and customers by name, phone or code.

Titles carry a category ("go: lookup", "customer: Nguyễn Văn Đức"). Customer text
is shown as plain Content, never markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import Hit, Hits
from textual.content import Content
from textual.markup import escape

from custui.domain.text import fold
from custui.i18n import t
from custui.store.base import Doc
from custui.widgets.palette import NamedCommands, names_of
from custui.widgets.safe import safe_str

if TYPE_CHECKING:  # the app imports this provider
    from custui.app import CustuiApp

CUSTOMER_HITS = 8

class CustuiCommands(NamedCommands):
    """Screens and actions of the app, plus customers found through the lookup index."""

    def commands(self) -> list[tuple[str, Callable[[], Any], set[str]]]:
        app = cast("CustuiApp", self.app)
        go, action = t("palette.go"), t("palette.action")
        lookup = f"{go}: {t('palette.lookup')}"
        commands: list[tuple[str, Callable[[], Any], set[str]]] = [
            (lookup, app.action_search, names_of(lookup, "palette.lookup") | {"lookup"}),
        ]
        for mode in app.MODES:
            if mode != "lookup":
                label = t(f"app.{mode}")
                title = f"{go}: {label if not label.startswith('app.') else mode}"
                commands.append((title, partial(app.switch_mode, mode),
                                 names_of(title, f"app.{mode}") | {mode}))
        for title, callback, label in [
            (f"{action}: {t('palette.new_customer')}", app.action_new_customer, "palette.new_customer"),
            (t("survey.walk_in_title"), app.action_walk_in_survey, ""),
            (f"{action}: {t('palette.show_archived')}", app.action_toggle_archived, ""),
            (f"{action}: {t('palette.help')}", app.action_help, "palette.help"),
            (f"{action}: {t('palette.quit')}", app.action_quit, "palette.quit"),
        ]:
            commands.append((title, callback, names_of(title, label) if label else {fold(title)}))
        return commands

    async def search(self, query: str) -> Hits:
        async for hit in super().search(query):
            yield hit
        if len(query.strip()) < 2:
            return
        app = cast("CustuiApp", self.app)
        docs: list[Doc] = await asyncio.to_thread(app.index.search, query, CUSTOMER_HITS)
        label = t("palette.customer")
        for rank, doc in enumerate(docs):
            name = safe_str(doc.get("name"))
            if len(name) > 60:
                name = name[:59] + "…"
            title = f"{label}: {name}"
            details = "  ".join(safe_str(doc.get(k)) for k in ("code", "phone") if doc.get(k))
            yield Hit(
                0.9 - rank * 0.01,
                Content(title),
                partial(app.open_customer, int(doc["id"])),
                text=title,
                help=escape(details) or None,
            )
