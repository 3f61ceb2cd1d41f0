"""The home screen: a search box and the customers that match, as you type."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from custui.i18n import t
from custui.services.search import CustomerIndex
from custui.store.base import Doc
from custui.widgets.safe import plain


class LookupScreen(Screen[None]):
    """Find a customer by name, phone, code or email."""

    BINDINGS = [
        Binding("slash", "focus_search", t("lookup.focus_search"), id="lookup.focus-search"),
        Binding("escape", "focus_table", show=False, id="lookup.focus-table"),
    ]

    def __init__(self, index: CustomerIndex) -> None:
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="lookup"):
            yield Input(placeholder=t("lookup.placeholder"), id="search")
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        for key in ("code", "name", "kind", "phone", "lifecycle"):
            table.add_column(t(f"lookup.col.{key}"), key=key)
        self.query_one("#search", Input).focus()
        self.run_search("")

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one("#results", DataTable).focus()

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def run_search(self, query: str) -> None:
        rows = self.index.search(query)
        self.app.call_from_thread(self.show_results, query, rows)

    def show_results(self, query: str, rows: list[Doc]) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for doc in rows:
            table.add_row(
                plain(doc.get("code")),
                plain(doc.get("name")),
                plain(t(f"kind.{doc.get('kind', 'individual')}")),
                plain(doc.get("phone")),
                plain(""),
                key=str(doc["id"]),
            )
        status = self.query_one("#status", Static)
        if rows or not query:
            status.update(plain(t("lookup.count", shown=len(rows), total=self.index.total())))
        else:
            status.update(plain(t("lookup.none", query=query)))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#results", DataTable).focus()
