"""Pick another customer by typing a name, phone or code (used for merging)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from custui.i18n import t
from custui.keymap import key
from custui.services.search import CustomerIndex
from custui.store.base import Doc
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import SafeInput, plain


def customer_line(doc: Doc) -> Text:
    """"C000042  Nguyễn Văn Đức  0901234567" as plain text (archived ones dimmed)."""
    line = Text.assemble(
        plain(doc.get("code"), style="bold"), "  ", plain(doc.get("name")), "  ",
        plain(doc.get("phone")),
    )
    if doc.get("archived"):
        line.stylize("dim")
    line.truncate(200, overflow="ellipsis")
    return line


class PickCustomerModal(LabelledModal[int | None]):
    """Dismisses with the chosen customer's id, or None (Esc)."""

    BINDINGS = [Binding(key("pick.cancel"), "cancel", "pick.cancel", id="pick.cancel")]

    def __init__(self, index: CustomerIndex, title: str, exclude: int | None = None) -> None:
        super().__init__()
        self.index = index
        self.title_text = title
        self.exclude = exclude

    def compose(self) -> ComposeResult:
        with Vertical(id="pick", classes="dialog"):
            yield Static(plain(self.title_text, style="bold"), classes="dialog-title")
            yield SafeInput(placeholder=t("pick.placeholder"), id="pick-query")
            yield OptionList(id="pick-results")

    def on_mount(self) -> None:
        self.query_one("#pick-query", Input).focus()
        self.run_search("")

    @on(Input.Changed, "#pick-query")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#pick-query")
    def query_submitted(self) -> None:
        results = self.query_one("#pick-results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    @work(thread=True, exclusive=True, group="pick", exit_on_error=False)
    def run_search(self, query: str) -> None:
        docs = [d for d in self.index.search(query, limit=50, include_archived=False)
                if d["id"] != self.exclude]
        self.app.call_from_thread(self.show_results, docs)

    def show_results(self, docs: list[Doc]) -> None:
        results = self.query_one("#pick-results", OptionList)
        results.clear_options()
        results.add_options([Option(customer_line(d), id=str(d["id"])) for d in docs])

    @on(OptionList.OptionSelected, "#pick-results")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
