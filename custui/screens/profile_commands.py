"""The profile's commands in the palette (Ctrl+P): this customer's actions, as the keys run them.

Each command calls the same action as its key (role checks, read-only refusals and
confirmations included); actions that act on a tab's record (void) show that tab first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from custui.i18n import t
from custui.widgets.palette import NamedCommands, names_of
from custui.widgets.safe import safe_str

if TYPE_CHECKING:
    from custui.screens.profile import ProfileScreen

# (label key, action as the key binding runs it, tab to show first)
ACTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("palette.profile.order", "entry('order')", None),
    ("palette.profile.feedback", "entry('feedback')", None),
    ("palette.profile.complaint", "entry('complaint')", None),
    ("palette.profile.interaction", "entry('interaction')", None),
    ("palette.profile.void", "void_order", "orders"),
    ("palette.profile.edit", "edit", None),
    ("palette.profile.export", "export_data", None),
    ("palette.profile.message", "message", None),
    ("palette.profile.consent", "consent", None),
    ("palette.profile.archive", "archive", None),
    ("palette.profile.restore", "restore", None),
    ("palette.profile.merge", "merge", None),
    ("palette.profile.forget", "forget", None),
)


class ProfileCommands(NamedCommands):
    """This customer's actions, titled with the customer's name (plain text, never markup)."""

    def commands(self) -> list[tuple[str, Callable[[], Any], set[str]]]:
        from custui.screens.profile import ProfileScreen

        screen = self.screen
        if not isinstance(screen, ProfileScreen):
            return []
        name = safe_str(screen._names()["name"]) or str(screen.customer_id)
        if len(name) > 40:
            name = name[:39] + "…"
        found: list[tuple[str, Callable[[], Any], set[str]]] = []
        for label, action, tab in ACTIONS:
            bare = action.partition("(")[0]
            if bare in ("archive", "restore") and not screen.check_action(bare, ()):
                continue  # archive or restore, whichever applies
            title = f"{name}: {t(label)}"
            found.append((title, run_on(screen, action, tab), names_of(title, label)))
        return found


def run_on(screen: ProfileScreen, action: str, tab: str | None) -> Callable[[], Any]:
    async def run() -> None:
        if tab is not None:
            screen.action_tab(tab)
        await screen.run_action(action)  # as the key does: check_action, then the action

    return run
