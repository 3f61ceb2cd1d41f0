"""The command palette (Ctrl+P): screens, actions, and customers by name, phone or code.

Titles carry a category ("go: lookup", "customer: Nguyễn Văn Đức"). Customer text
is shown as plain Content, never markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from custui.i18n import t
from custui.store.base import Doc
from custui.widgets.safe import safe_str

if TYPE_CHECKING:  # the app imports this provider
    from custui.app import CustuiApp

CUSTOMER_HITS = 8


class CustuiCommands(Provider):
    """Screens and actions of the app, plus customers found through the lookup index."""

    def _actions(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = cast("CustuiApp", self.app)
        go, action = t("palette.go"), t("palette.action")
        commands: list[tuple[str, Callable[[], Any], str]] = [
            (f"{go}: {t('palette.lookup')}", app.action_search, ""),
        ]
        for mode in app.MODES:
            if mode != "lookup":
                label = t(f"app.{mode}")
                commands.append((f"{go}: {label if not label.startswith('app.') else mode}",
                                 partial(app.switch_mode, mode), ""))
        commands += [
            (f"{action}: {t('palette.new_customer')}", app.action_new_customer, ""),
            (t("survey.walk_in_title"), app.action_walk_in_survey, ""),
            (f"{action}: {t('palette.show_archived')}", app.action_toggle_archived, ""),
            (f"{action}: {t('palette.help')}", app.action_help, ""),
            (f"{action}: {t('palette.quit')}", app.action_quit, ""),
        ]
        return commands

    async def discover(self) -> Hits:
        for title, callback, help_text in self._actions():
            yield DiscoveryHit(title, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(title)), callback, text=title,
                          help=help_text or None)
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
