"""The Textual app shell: modes, global bindings, keymap and theme. Screens live in screens/."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from custui.i18n import t
from custui.screens.lookup import LookupScreen
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace


class CustuiApp(App[None]):
    """custui: customer care at the counter, from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "custui"
    BINDINGS = [
        Binding("ctrl+q", "quit", t("app.quit"), id="app.quit", priority=True),
        Binding("f1", "help", t("app.help"), id="app.help"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.index = CustomerIndex(workspace.store)

    def on_mount(self) -> None:
        settings = self.workspace.config.settings
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))
        self.title = "custui"
        self.sub_title = self.workspace.store.location
        if self.workspace.store.read_only:
            self.sub_title = f"{t('app.read_only')} · {self.sub_title}"
        self.push_screen(LookupScreen(self.index))

    def action_help(self) -> None:
        self.action_show_help_panel()


def make_app(workspace: Workspace) -> CustuiApp:
    """The factory the CLI and the tests share."""
    return CustuiApp(workspace)
