"""Every key: the current screen's first, then app-wide ones, then the other screens'."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from custui.i18n import t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.widgets.footer import KeysFooter
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


DIALOG_WIDTH = 78  # #help in app.tcss (at most 95% of the screen)
# around the table: the dialog's border and padding (2 + 2), its scrollbar (2), and a padding
# cell each side of the three columns (6)
AROUND = 14
MIN_ACTION = 16


def column_widths(rows: list[tuple[str, str, str]], screen_width: int) -> tuple[int, int, int]:
    """(key, action, id) widths that fit the dialog on a `screen_width` screen: keys and ids
    as wide as the widest (ids give way first down to half, then wrap), the action the rest."""
    room = min(DIALOG_WIDTH, screen_width * 95 // 100) - AROUND
    key_width = max([cell_len(t("help.col.key"))] + [cell_len(r[0]) for r in rows])
    id_width = max([cell_len(t("help.col.id"))] + [cell_len(r[2]) for r in rows])
    id_width = max(id_width // 2, min(id_width, room - key_width - MIN_ACTION))
    return key_width, max(1, room - key_width - id_width), id_width


def wrapped(value: str, style: str = "") -> Text:
    """A cell that wraps (by words, long ids by characters) instead of running off the box."""
    text = plain(value, style=style)
    text.no_wrap = False
    text.overflow = "fold"
    return text


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
        yield KeysFooter()

    def _key_text(self, binding: Binding) -> str:
        keymap = dict(self.app.workspace.config.settings.keymap) if hasattr(self.app, "workspace") else {}
        keys = keymap.get(binding.id or "", binding.key)
        return ", ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        rows: list[tuple[str, str, str]] = []  # (key, action, id); a section has no id
        for title, bindings in self._sections():
            named = [b for b in bindings if isinstance(b, Binding) and b.description]
            if named:
                rows.append(("▸", title, ""))
                rows.extend((self._key_text(b), label(b), b.id or "") for b in named)
        widths = column_widths(rows, self.app.size.width)
        for column, width in zip(("key", "action", "id"), widths, strict=True):
            table.add_column(plain(t(f"help.col.{column}"), style="bold"), key=column, width=width)
        for key_text, action, binding_id in rows:
            section = not binding_id and key_text == "▸"
            cells = (wrapped(key_text, "bold" if section else ""),
                     wrapped(action, "bold underline" if section else ""),
                     wrapped(binding_id, "dim"))
            table.add_row(*cells, height=None)  # a long description wraps in its column
        table.focus()

    def _sections(self) -> list[tuple[str, list[Binding]]]:
        """The current screen's keys, the app's, then every other screen's."""
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
        return sections

    def action_close(self) -> None:
        self.dismiss()
