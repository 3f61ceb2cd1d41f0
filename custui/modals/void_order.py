"""Void an order: ask for the reason, then void it in a worker. Dismisses True when voided."""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from custui.domain.money import format_money
from custui.errors import CustuiError
from custui.i18n import get_locale, t
from custui.keymap import key
from custui.services.orders import void_order
from custui.services.purchase_form import day_text
from custui.services.workspace import Workspace
from custui.widgets.labels import LabelledModal
from custui.widgets.read_only import SavingForm, writes
from custui.widgets.safe import SafeInput, plain


class VoidOrderModal(SavingForm, LabelledModal[bool]):
    """The reason is required; Enter voids, Esc keeps the order."""

    DEFAULT_CSS = """
    VoidOrderModal { align: center middle; }
    #void {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $error; background: $surface; padding: 0 1;
    }
    #void-title { text-style: bold; height: auto; }
    #void-explain { color: $text-muted; height: auto; margin-bottom: 1; }
    #void .p-row { height: 1; }
    #void .p-label { width: 8; color: $text-muted; }
    #void Input { width: 1fr; }
    #void-error { color: $error; text-style: bold; height: auto; }
    #void-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding(key("void.save"), "save", "void.confirm", id="void.save", priority=True),
        Binding(key("void.cancel"), "cancel", "purchase.cancel", id="void.cancel"),
    ]

    def __init__(self, workspace: Workspace, order_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.order_id = order_id
        self.order = workspace.store.get("orders", order_id) or {}
        self.busy = False

    def compose(self) -> ComposeResult:
        order, ws = self.order, self.workspace
        total = format_money(int(order.get("total") or 0), ws.currency, get_locale())
        day = str(order.get("date") or "")[:10]
        try:
            day = day_text(date.fromisoformat(day))
        except ValueError:
            pass
        with Vertical(id="void"):
            yield Static(plain(t("void.title", id=self.order_id, date=day, total=total)), id="void-title")
            explain = plain(t("void.explain"))
            explain.no_wrap = False
            yield Static(explain, id="void-explain")
            with Horizontal(classes="p-row"):
                yield Label(plain(t("void.reason")), classes="p-label")
                yield SafeInput(placeholder=t("void.reason_ph"), id="void-reason", compact=True)
            yield Static("", id="void-error")
            yield Static(plain(t("void.keys")), id="void-keys")

    def on_mount(self) -> None:
        self.query_one("#void-reason", Input).focus()

    @on(Input.Submitted, "#void-reason")
    def confirm(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @writes
    def action_save(self) -> None:
        if self.busy:
            return
        reason = self.query_one("#void-reason", Input).value.strip()
        if not reason:
            self.failed(t("loyalty.err.void_reason"))
            return
        self.busy = True
        self.run_void(reason)

    @work(thread=True, group="void-save", exit_on_error=False)
    def run_void(self, reason: str) -> None:
        ws = self.workspace
        try:
            void_order(ws.store, ws.config, self.order_id, reason, ws.today(), ws.now_iso())
        except CustuiError as err:  # bad input, or not saved (disk full)
            self.app.call_from_thread(self.failed, err.message)
            return
        self.app.call_from_thread(self.done)

    def failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#void-error", Static).update(plain(f"✗ {message}"))

    def done(self) -> None:
        self.app.notify(t("void.done", id=self.order_id), markup=False)
        self.dismiss(True)

    @property
    def dirty(self) -> bool:
        return not self.busy and bool(self.query_one("#void-reason", Input).value.strip())

    def action_cancel(self) -> None:
        from custui.modals.confirm import leave_or_ask

        if not self.busy:
            leave_or_ask(self, t("form.discard_typed"), False)
