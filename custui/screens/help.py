"""Every key: the current screen's first, then app-wide ones, then the other screens'."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from custui.i18n import t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.widgets.labels import LabelledModal, label
from custui.widgets.safe import plain


def screen_classes() -> list[type[Screen]]:  # type: ignore[type-arg]
    """The screens whose keys the help lists besides those on the stack."""
    from custui.screens.customer_form import CustomerFormScreen
    from custui.screens.lookup import LookupScreen
    from custui.screens.profile import ProfileScreen

    return [LookupScreen, ProfileScreen, CustomerFormScreen]


def _title(cls: type) -> str:
    label = t(f"help.screen.{cls.__name__}")
    return cls.__name__ if label.startswith("help.screen.") else label


class HelpScreen(LabelledModal[None]):
    """Lists every binding with its key (after settings.yaml remapping) and id."""

    BINDINGS = [Binding(key("help.close"), "close", "help.close", id="help.close")]

    def __init__(self, current: Screen | None = None) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(plain(t("help.title"), style="bold"), classes="dialog-title")
            intro = plain(t("help.intro"), style="dim")
            intro.no_wrap = False
            yield Static(intro)
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _key_text(self, binding: Binding) -> str:
        keymap = dict(self.app.workspace.config.settings.keymap) if hasattr(self.app, "workspace") else {}
        keys = keymap.get(binding.id or "", binding.key)
        return ", ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        for column, width in (("key", 12), ("action", 26), ("id", 28)):
            table.add_column(plain(t(f"help.col.{column}"), style="bold"), key=column, width=width)
        sections: list[tuple[str, list[Binding]]] = []
        seen: set[type] = set()
        if self.current is not None:
            seen.add(type(self.current))
            sections.append((f"{t('help.screen')}: {_title(type(self.current))}",
                             list(self.current.BINDINGS)))  # type: ignore[arg-type]
        sections.append((t("help.app"), app_of(self).own_bindings()))
        others = [type(s) for s in self.app.screen_stack] + screen_classes()
        for cls in others:
            if cls in seen or cls in (HelpScreen, Screen) or not issubclass(cls, Screen):
                continue
            seen.add(cls)
            sections.append((_title(cls), list(cls.BINDINGS)))  # type: ignore[arg-type]
        for title, bindings in sections:
            named = [b for b in bindings if isinstance(b, Binding) and b.description]
            if not named:
                continue
            table.add_row(plain("▸", style="bold"), plain(title, style="bold underline"), "")
            for binding in named:
                table.add_row(plain(self._key_text(binding)), plain(label(binding)),
                              plain(binding.id or "", style="dim"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
