"""One customer: a header of who they are and how they buy, and tabs of their records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from custui.errors import CustuiError, StaleRecord
from custui.i18n import t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.screens.changes import Changes
from custui.screens.profile_commands import ProfileCommands
from custui.screens.profile_tabs import (
    COLUMN_WIDTHS,
    COLUMNS,
    details_text,
    fit,
    header_text,
    tab_rows,
)
from custui.screens.records_screen import RecordsScreen
from custui.services.customer_view import (
    CustomerViews,
    ProfileData,
    load_profile,
)
from custui.services.workspace import Workspace
from custui.store.base import VERSION_FIELD, Doc
from custui.widgets.footer import keys_footer
from custui.widgets.loyalty_panel import LoyaltyPanel, loyalty_why
from custui.widgets.read_only import writes
from custui.widgets.safe import plain

TABS = ("orders", "feedback", "complaints", "interactions", "details", "loyalty")
TABLE_TABS = TABS[:4]  # the tabs that are a table of records
# entry screens: (module, class, label key)
def _b(binding_id: str, action: str, label: str, show: bool = True, priority: bool = False) -> Binding:
    return Binding(key(binding_id), action, label, show=show, id=binding_id, priority=priority)


class ProfileScreen(RecordsScreen[None]):
    """The customer profile; Esc returns to the lookup as it was.

    Focus sits on the active tab's table: arrows move the highlight and Enter acts on
    the highlighted record (correct an order, change a complaint's status, read a
    response in full). The footer shows the entry keys and the active tab's action;
    the rest are in F1 help.
    """

    COMMANDS = RecordsScreen.COMMANDS | {ProfileCommands}  # this customer's actions in Ctrl+P
    BINDINGS = [
        _b("profile.back", "back", "profile.back", show=False),
        _b("profile.new-order", "entry('order')", "profile.new_order"),
        _b("profile.new-feedback", "entry('feedback')", "profile.new_feedback"),
        _b("profile.new-complaint", "entry('complaint')", "profile.new_complaint"),
        _b("profile.new-interaction", "entry('interaction')", "profile.new_interaction"),
        _b("profile.edit", "edit", "profile.edit"),
        _b("profile.void-order", "void_order", "profile.void_short"),
        # Enter on a record: one binding per tab (check_action keeps the active tab's)
        _b("profile.correct-order", "correct_order", "profile.correct_order", show=False, priority=True),
        _b("profile.complaint-status", "complaint_status", "profile.complaint_status", priority=True),
        _b("profile.feedback-answers", "feedback_answers", "profile.feedback_answers", priority=True),
        _b("profile.archive", "archive", "profile.archive", show=False),
        _b("profile.restore", "restore", "profile.restore", show=False),
        _b("profile.merge", "merge", "profile.merge", show=False),
        _b("profile.consent", "consent", "profile.consent", show=False),
        _b("profile.message", "message", "profile.message", show=False),
        _b("profile.export-data", "export_data", "profile.export_data", show=False),
        _b("profile.forget", "forget", "profile.forget", show=False),
        *(_b(f"profile.tab-{tab}", f"tab('{tab}')", f"profile.tab.{tab}", show=False) for tab in TABS),
    ]

    def __init__(self, workspace: Workspace, customer_id: int) -> None:
        super().__init__(workspace)
        self.customer_id = customer_id
        self.data: ProfileData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(t("profile.loading")), id="profile-head")
        with TabbedContent(id="profile-tabs"):
            for tab in TABLE_TABS:
                with TabPane(t(f"profile.tab.{tab}"), id=f"tab-{tab}"):
                    if tab == "orders":
                        yield LoyaltyPanel(self.workspace, self.customer_id, id="loyalty-panel")
                    yield DataTable(id=f"table-{tab}", cursor_type="row", zebra_stripes=True)
            with TabPane(t("profile.tab.details"), id="tab-details"):
                with VerticalScroll(id="details-scroll"):
                    yield Static(id="details")
            with TabPane(t("profile.tab.loyalty"), id="tab-loyalty"):
                # why the customer has these points and this tier (services.explain)
                with VerticalScroll(id="loyalty-scroll"):
                    yield Static(plain(t("profile.loading")), id="loyalty-why")
        yield keys_footer()

    def on_mount(self) -> None:
        self.query_one("#table-orders", DataTable).focus()
        self.load()

    @property
    def views(self) -> CustomerViews:
        return app_of(self).views

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def load(self) -> None:
        data = load_profile(self.workspace, self.views, self.customer_id)
        self.app.call_from_thread(self.show, data)
        if data is not None:
            why = loyalty_why(self.workspace, self.customer_id)
            self.app.call_from_thread(self.query_one("#loyalty-why", Static).update, why)

    def show(self, data: ProfileData | None) -> None:
        self.data = data
        if data is None:
            self.notify(t("profile.gone"), severity="error", markup=False)
            self.dismiss()
            return
        self.query_one("#profile-head", Static).update(header_text(self.workspace, data, self.size.width or 80))
        self.fill_tables(data)
        self.query_one("#details", Static).update(details_text(data))
        self.query_one(LoyaltyPanel).reload()
        self.refresh_bindings()

    def records(self, tab: str) -> list[Doc]:
        data = self.data
        if data is None:
            return []
        return {"orders": data.orders, "feedback": data.feedback, "complaints": data.complaints,
                "interactions": data.interactions}.get(tab, [])

    def fill_tables(self, data: ProfileData) -> None:
        tabs = self.query_one(TabbedContent)
        for tab in TABLE_TABS:
            records = self.records(tab)
            self._fill(tab, COLUMNS[tab], tab_rows(self.workspace, tab, records))
            tabs.get_tab(f"tab-{tab}").label = plain(f"{t(f'profile.tab.{tab}')} ({len(records)})")

    def _fill(self, tab: str, columns: tuple[str, ...], rows: list[tuple[Text, ...]]) -> None:
        """Refill a table, keeping the highlighted row where it was (after a save)."""
        table = self.query_one(f"#table-{tab}", DataTable)
        was = table.cursor_row
        table.clear(columns=True)
        cells = [[fit(cell, column) for cell, column in zip(row, columns, strict=True)] for row in rows]
        for index, column in enumerate(columns):
            header = fit(plain(t(f"profile.col.{column}"), style="bold"), column)
            # an empty tab's first column sizes to the "nothing recorded" line (not cut to a date);
            # free text is sized here from what it holds: Textual's auto width is not updated for
            # rows added while the screen is under a dialog (after a save, items showed "Tai n")
            width = COLUMN_WIDTHS.get(column) or max(
                [header.cell_len, *(row[index].cell_len for row in cells)])
            table.add_column(header, key=column, width=width if rows or index else None)
        for row_cells in cells:
            table.add_row(*row_cells)
        if not rows:
            table.add_row(plain(t("profile.empty"), style="dim"), *[""] * (len(columns) - 1))
        elif 0 < was:
            table.move_cursor(row=min(was, len(rows) - 1), animate=False)

    # -- actions -------------------------------------------------------------------------
    TAB_ACTIONS = {"void_order": "orders", "correct_order": "orders",
                   "complaint_status": "complaints", "feedback_answers": "feedback"}

    def active_tab(self) -> str:
        if not self.is_mounted:
            return "orders"
        return (self.query_one(TabbedContent).active or "tab-orders").removeprefix("tab-")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        archived = bool(self.data and self.data.customer.get("archived"))
        if action == "archive":
            return not archived
        if action == "restore":
            return archived
        if action in self.TAB_ACTIONS:
            return self.active_tab() == self.TAB_ACTIONS[action]
        return True

    def selected(self, tab: str) -> Doc | None:
        """The record under the cursor in `tab` (rows follow the records' order)."""
        table = self.query_one(f"#table-{tab}", DataTable)
        records = self.records(tab)
        row = table.cursor_row
        return records[row] if 0 <= row < len(records) else None

    def selected_order(self) -> dict[str, Any] | None:
        return self.selected("orders")

    @on(TabbedContent.TabActivated, "#profile-tabs")
    def tab_switched(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        """A click on a row (Enter is a binding): the tab's own action."""
        event.stop()
        action = {"table-orders": self.action_correct_order, "table-complaints": self.action_complaint_status,
                  "table-feedback": self.action_feedback_answers}.get(event.data_table.id or "")
        if action is not None:
            action()

    # -- orders: correct (Enter on a row) and void (v) -------------------------------------
    def _guard(self, action: str, label: str, then: Callable[[], None]) -> None:
        from custui.modals.pin import guarded

        guarded(self, self.workspace, action, t(label), then)

    def action_correct_order(self) -> None:
        self._guard("correct_order", "profile.correct_order", self.correct_order)

    def correct_order(self) -> None:
        from custui.modals.purchase import PurchaseModal

        self._open_record("orders", lambda oid: PurchaseModal(self.workspace, self.customer_id, oid),
                          void="purchase.is_void")

    def action_void_order(self) -> None:
        self._guard("void_order", "profile.void_short", self.void_order)

    def void_order(self) -> None:
        from custui.modals.void_order import VoidOrderModal

        self._open_record("orders", lambda oid: VoidOrderModal(self.workspace, oid), void="loyalty.err.order_void")

    # -- complaints (Enter: change status) and feedback (Enter: all answers) ---------------
    def action_complaint_status(self) -> None:
        from custui.modals.complaint import ComplaintStatusModal

        self._open_record("complaints", lambda cid: ComplaintStatusModal(self.workspace, cid))

    def action_feedback_answers(self) -> None:
        from custui.modals.feedback_view import FeedbackAnswersModal

        self._open_record("feedback", lambda fid: FeedbackAnswersModal(self.workspace, fid))

    def _open_record(self, tab: str, dialog: Callable[[int], Screen[Any]], void: str | None = None) -> None:
        """The dialog of the record under the cursor in `tab` (by its id); says so when there is
        none, or, with `void` (a message key), when the order is void."""
        record = self.selected(tab)
        if record is None:
            nothing = "purchase.no_order_selected" if tab == "orders" else "profile.no_record_selected"
            self.notify(t(nothing), markup=False)
        elif void is not None and record.get("void"):
            self.notify(t(void, id=record["id"]), severity="warning", markup=False)
        else:
            self.app.push_screen(dialog(int(record["id"])))

    def action_back(self) -> None:
        self.dismiss()

    def action_export_data(self) -> None:
        """Everything held about the customer into one JSON file (a subject access request)."""
        self._guard("export", "profile.export_data", self.choose_export_path)

    def choose_export_path(self) -> None:
        from pathlib import Path

        from custui.screens.segment_members import ExportPathModal

        code = self._names()["code"] or str(self.customer_id)
        name = f"{code}-personal-data-{self.workspace.today().isoformat()}.json"
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export_data(path)

        self.app.push_screen(ExportPathModal(t("privacy.export_title", code=code), Path.cwd() / name), chosen)

    @work(thread=True, exit_on_error=False, group="profile-export")
    def export_data(self, path: object) -> None:
        from pathlib import Path

        from custui.services.privacy import write_subject_export

        try:
            rows = write_subject_export(self.workspace, self.customer_id, Path(str(path)))
        except OSError as err:
            self.app.call_from_thread(self.notify, t("memexport.failed", error=str(err)),
                                      severity="error", markup=False)
            return
        message = t("privacy.exported", code=self._names()["code"], path=str(path), rows=rows)
        self.app.call_from_thread(self.notify, message, markup=False)

    def action_forget(self) -> None:
        """Erase the customer's personal data: warns what goes and what stays, asks twice."""
        self._guard("forget", "profile.forget", self.confirm_forget)

    def confirm_forget(self) -> None:
        names = self._names()
        if self.data and self.data.customer.get("forgotten"):
            self.notify(t("privacy.err.already", code=names["code"]), markup=False)
            return
        self._confirm(t("privacy.forget.warning", **names) + "\n\n" + t("privacy.forget.ask1"),
                      lambda: self._confirm(t("privacy.forget.ask_again", **names), self.forget))

    @work(thread=True, exit_on_error=False, group="profile-forget")
    def forget(self) -> None:
        from custui.services.privacy import forget

        code = self._names()["code"]
        try:
            forget(self.workspace, self.customer_id)
        except CustuiError as err:
            self.app.call_from_thread(self.notify, err.message, severity="error", markup=False)
            return
        message = t("privacy.forget.done_app", code=code, who=self.workspace.operator)
        self.app.call_from_thread(self.notify, message, markup=False)

    def action_consent(self) -> None:
        from custui.modals.consent import ConsentModal

        self.app.push_screen(ConsentModal(self.workspace, self.customer_id))

    def action_message(self) -> None:
        """Pick a message purpose, preview it and send it."""
        from custui.modals.pick_purpose import PickPurposeModal
        from custui.screens.send_message import offer_message

        def picked(purpose: str | None) -> None:
            if purpose:
                offer_message(self, self.workspace, self.customer_id, purpose)

        self.app.push_screen(PickPurposeModal(), picked)

    def action_tab(self, tab: str) -> None:
        """Show a tab and put the keys in it: arrows move through its records."""
        self.query_one(TabbedContent).active = f"tab-{tab}"
        scrolls = {"details": "#details-scroll", "loyalty": "#loyalty-scroll"}
        target = self.query_one(scrolls.get(tab, f"#table-{tab}"))
        target.focus()  # now, not after a refresh: the next key typed ahead goes there
        self.refresh_bindings()

    def shows(self, changes: Changes) -> bool:
        """This customer's records (saved here, in a dialog, elsewhere or by another operator)."""
        return changes.touches(self.customer_id)

    def refresh_records(self) -> None:
        self.load()

    def action_entry(self, what: str) -> None:
        from custui.modals.complaint import ComplaintModal
        from custui.modals.interaction import InteractionModal
        from custui.modals.purchase import PurchaseModal
        from custui.screens.survey import SurveyScreen

        entry = {"order": PurchaseModal, "feedback": SurveyScreen, "complaint": ComplaintModal,
                 "interaction": InteractionModal}[what]
        self.app.push_screen(entry(self.workspace, self.customer_id))

    def action_edit(self) -> None:
        from custui.screens.customer_form import CustomerFormScreen, FormOutcome

        def done(outcome: FormOutcome | None) -> None:
            if outcome is None:
                return
            if outcome.customer_id != self.customer_id:  # saved as an existing customer
                self.app.push_screen(ProfileScreen(self.workspace, outcome.customer_id))

        self.app.push_screen(CustomerFormScreen(self.workspace, self.customer_id), done)

    def _confirm(self, message: str, then: Callable[[], object]) -> None:
        from custui.modals.confirm import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmModal(message), answered)

    def _version(self) -> int | None:
        """The customer's version as shown (shared stores refuse a save over a newer one)."""
        version = self.data.customer.get(VERSION_FIELD) if self.data else None
        return version if isinstance(version, int) else None

    def _names(self) -> dict[str, str]:
        doc = self.data.customer if self.data else {}
        return {"name": str(doc.get("name") or ""), "code": str(doc.get("code") or "")}

    @writes
    def action_archive(self) -> None:
        self._confirm(t("profile.confirm_archive", **self._names()), lambda: self.set_archived(True))

    @writes
    def action_restore(self) -> None:
        self._confirm(t("profile.confirm_restore", **self._names()), lambda: self.set_archived(False))

    @work(thread=True, exit_on_error=False)
    def set_archived(self, archived: bool) -> None:
        from custui.services.customers import archive_customer, restore_customer

        try:
            (archive_customer if archived else restore_customer)(
                self.workspace, self.customer_id, version=self._version())
        except StaleRecord as stale:  # another operator saved it since it was shown
            self._refused(stale)
            return
        message = t("profile.archived_done" if archived else "profile.restored_done", **self._names())
        self.app.call_from_thread(self.notify, message, markup=False)

    @writes
    def action_merge(self) -> None:
        self._guard("merge", "profile.merge", self.pick_merge)

    def pick_merge(self) -> None:
        from custui.modals.pick_customer import PickCustomerModal

        index = app_of(self).index
        title = t("profile.pick_merge", **self._names())
        self.app.push_screen(PickCustomerModal(index, title, exclude=self.customer_id), self.merge_picked)

    _other_version: int | None = None  # the merge candidate's, as read when picked

    def _refused(self, stale: StaleRecord) -> None:
        """From a worker: someone saved the customer since it was shown; show it as it is now."""
        self.app.call_from_thread(self.notify, stale.message, severity="error", markup=False, timeout=15)
        self.app.call_from_thread(self.load)

    def merge_picked(self, other_id: int | None) -> None:
        if other_id is None:
            return
        other = self.workspace.store.get("customers", other_id) or {}
        self._other_version = other.get(VERSION_FIELD)
        message = t("profile.confirm_merge", other=str(other.get("name") or ""),
                    other_code=str(other.get("code") or ""), **self._names())
        self._confirm(message, lambda: self.merge(other_id))

    @work(thread=True, exit_on_error=False)
    def merge(self, other_id: int) -> None:
        from custui.services.customers import merge_customers

        try:
            moved = merge_customers(self.workspace, self.customer_id, other_id, self._version(),
                                    self._other_version)
        except StaleRecord as stale:
            self._refused(stale)
            return
        message = t("profile.merged_done", moved=sum(moved.values()))
        self.app.call_from_thread(self.notify, message, markup=False)
