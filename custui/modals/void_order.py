"""Void an order: ask for the reason, then void it through the save runner. Dismisses True when voided."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from custui.domain.money import format_money
from custui.errors import CustuiError
from custui.i18n import format_day, get_locale, t
from custui.modals.form_base import EntryModal, save_cancel
from custui.services.orders import void_order
from custui.services.workspace import Workspace
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain


class VoidOrderModal(EntryModal):
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
    BINDINGS = save_cancel("void", "void.confirm", "purchase.cancel")
    SAVE_MESSAGE = "#void-error"

    def __init__(self, workspace: Workspace, order_id: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.order_id = order_id
        self.order = workspace.store.get("orders", order_id) or {}

    def compose(self) -> ComposeResult:
        order, ws = self.order, self.workspace
        total = format_money(int(order.get("total") or 0), ws.currency, get_locale())
        day = format_day(str(order.get("date") or "")[:10])
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

    @writes
    def action_save(self) -> None:
        ws, order_id = self.workspace, self.order_id
        reason = self.query_one("#void-reason", Input).value
        self.run_save(lambda: void_order(ws.store, ws.config, order_id, reason, ws.today(), ws.now_iso()),
                      lambda _result: self.close_saved(t("void.done", id=order_id)))

    def save_refused(self, error: CustuiError) -> None:
        self.show_save_message(f"✗ {error.message}")
