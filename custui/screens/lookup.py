"""The home screen: a search box and the customers that match, as you type."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from custui.domain.text import new_customer_prefill
from custui.i18n import t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.screens.records_screen import RecordsScreen
from custui.services.customer_view import (
    CustomerRow,
    CustomerSummary,
    CustomerViews,
    longest_labels,
    make_row,
)
from custui.services.search import CustomerIndex
from custui.store.base import Store
from custui.widgets.customer_table import CustomerTable
from custui.widgets.footer import KeysFooter
from custui.widgets.safe import plain
from custui.widgets.search_box import SearchBox

RESULT_LIMIT = 100


def _orders_loaded(store: Store) -> bool:
    """False while a big file store is still loading orders in the background."""
    return store.loaded("orders")


def pending_summary(customer_id: int) -> CustomerSummary:
    """Placeholder derived values shown until the orders have loaded."""
    return CustomerSummary(
        customer_id=customer_id, tier_id=None, tier_name="…", lifecycle="pending", orders=0,
        total_spend=0, last_order=None, first_order=None, clv=0,
    )


class LookupScreen(RecordsScreen[None]):
    """Find a customer by name, phone, code or email; Enter opens the profile."""

    BINDINGS = [
        Binding(key("lookup.focus-search"), "focus_search", "lookup.focus_search",
                id="lookup.focus-search"),
        Binding(key("lookup.focus-table"), "focus_table", show=False, id="lookup.focus-table"),
        Binding(key("lookup.open"), "open_selected", "lookup.open_customer", id="lookup.open"),
        Binding(key("lookup.new-customer"), "new_customer", "lookup.new_customer",
                id="lookup.new-customer"),
        Binding(key("lookup.toggle-archived"), "toggle_archived", "lookup.toggle_archived",
                id="lookup.toggle-archived"),
        Binding("down", "focus_table", show=False),
    ]

    def __init__(self, index: CustomerIndex | None = None) -> None:
        super().__init__()
        self._index = index
        self.show_archived = False
        self.last_query = ""
        self.opening: str | None = None  # Enter was pressed on this query: open its best match
        self.failed_query = ""  # Enter found nobody for this query: `n` creates them

    @property
    def index(self) -> CustomerIndex:
        return self._index or app_of(self).index

    @property
    def views(self) -> CustomerViews:
        return app_of(self).views

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="lookup"):
            yield SearchBox(placeholder=t("lookup.placeholder"), id="search")
            yield CustomerTable(id="results", longest=longest_labels(app_of(self).workspace.config))
            yield Static(plain(t("lookup.searching")), id="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.run_search("")
        store = app_of(self).workspace.store
        if not _orders_loaded(store):
            # a big file opens with customers first: refresh the derived columns once
            # the orders are in (called from the store's loader thread)
            store.after_load(lambda: self.app.call_from_thread(self._orders_arrived))

    def _orders_arrived(self) -> None:
        if self.is_mounted:
            self.refresh_results()

    def on_screen_resume(self) -> None:
        """Back from a profile or form (RecordsScreen has refreshed the rows if records changed
        meanwhile): the query selected, so that the next customer typed replaces it."""
        search = self.query_one("#search", Input) if self.is_mounted else None
        if search is not None and self.focused is search:
            search.select_all()

    def refresh_records(self) -> None:
        """Records changed: the same query and selection with fresh values."""
        self.refresh_results()

    def refresh_results(self, keep: int | None = None) -> None:
        table = self.query_one(CustomerTable)
        self.run_search(self.query_one("#search", Input).value, keep or table.selected_id())

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        """Enter acts on the query as typed: when the list shown is for another (older) query,
        search what is in the box and open its best match; the keys typed after Enter wait
        (type-ahead hold) and go to the profile it opens."""
        event.stop()
        query = event.value
        if query == self.last_query and self.opening is None:
            self.open_best(query)
            return
        self.opening = query
        worker = self.run_search(query)
        self.app.type_ahead.hold(lambda: self.opening is not None and not worker.is_finished)  # type: ignore[attr-defined]

    def open_best(self, query: str) -> None:
        """Open the highlighted (best) match; with no match, offer `n` for a new customer."""
        selected = self.query_one(CustomerTable).selected_id()
        if selected is not None:
            self.open_customer(selected)
            return
        if query.strip():
            self.failed_query = query
            self.show_status(query, [])
            self.query_one(CustomerTable).focus()  # so `n` is a key, not a letter typed

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def run_search(self, query: str, keep: int | None = None) -> None:
        worker = get_current_worker()
        ws = app_of(self).workspace
        docs = self.index.search(query, limit=RESULT_LIMIT, include_archived=self.show_archived)
        rows: list[CustomerRow] = []
        derived_ready = _orders_loaded(ws.store)
        for doc in docs:
            if worker.is_cancelled:
                return
            cid = int(doc["id"])
            summary = self.views.summary(cid) if derived_ready else pending_summary(cid)
            rows.append(make_row(ws, doc, summary))
        total = self.index.total(self.show_archived)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, query, rows, keep, total)

    def show_results(self, query: str, rows: list[CustomerRow], keep: int | None, total: int) -> None:
        self.last_query = query
        self.total = total
        if query != self.failed_query:
            self.failed_query = ""
        self.query_one(CustomerTable).show(rows, keep if self.opening is None else None)
        self.show_status(query, rows)
        if self.opening is not None and self.opening == query:
            self.opening = None
            self.open_best(query)

    total = 0

    def show_status(self, query: str, rows: list[CustomerRow]) -> None:
        if not query.strip():
            text = t("lookup.recent", shown=len(rows), total=self.total)
        elif rows:
            text = t("lookup.matches", shown=len(rows), query=query)
        elif query == self.failed_query:
            text = t("lookup.none_offer", query=query)
        else:
            text = t("lookup.none", query=query)
        if self.show_archived:
            text += t("lookup.with_archived")
        self.query_one("#status", Static).update(plain(text))

    @on(DataTable.RowSelected, "#results")
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_customer(int(event.row_key.value))

    def open_customer(self, customer_id: int) -> None:
        from custui.screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen(app_of(self).workspace, customer_id))

    async def action_open_selected(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:  # Enter in the box: the typed query decides
            await search.action_submit()
            return
        selected = self.query_one(CustomerTable).selected_id()
        if selected is not None:
            self.open_customer(selected)

    def action_focus_search(self) -> None:
        """The search box with its text selected: what is typed next replaces the old query."""
        search = self.query_one("#search", Input)
        search.focus()
        search.select_all()

    def action_focus_table(self) -> None:
        self.query_one(CustomerTable).focus()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.notify(t("lookup.archived_on" if self.show_archived else "lookup.archived_off"),
                    markup=False)
        self.refresh_results()

    def action_new_customer(self) -> None:
        from custui.screens.customer_form import CustomerFormScreen, FormOutcome

        def done(outcome: FormOutcome | None) -> None:
            if outcome is not None:
                self.refresh_results(outcome.customer_id)
                self.open_customer(outcome.customer_id)

        found = self.query_one(CustomerTable).rows_shown
        prefill = new_customer_prefill(self.last_query) if not found else {}
        self.app.push_screen(CustomerFormScreen(app_of(self).workspace, prefill=prefill), done)
