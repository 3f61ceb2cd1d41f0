"""New / edit customer: fields of the data model, validation in place, duplicate warning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from custui.domain.enums import GENDERS, KINDS, LIFECYCLES, ROLES, SCOPES, SOURCES
from custui.errors import CustuiError, StaleRecord
from custui.i18n import t
from custui.keymap import key
from custui.screens.changes import Changes
from custui.screens.records_screen import RecordsScreen
from custui.services.customers import (
    Duplicate,
    clean_customer,
    create_customer,
    find_duplicates,
    update_customer,
)
from custui.services.workspace import Workspace
from custui.store.base import VERSION_FIELD
from custui.widgets.footer import KeysFooter
from custui.widgets.labels import LabelledModal
from custui.widgets.read_only import writes
from custui.widgets.safe import SafeInput, plain
from custui.widgets.save_runner import SaveRunner
from custui.widgets.state_checkbox import StateCheckbox

TEXT_INPUTS = ("name", "phone", "email", "address", "region", "birth_year", "birthday",
               "income_band", "needs", "budget", "tags")
# field -> (options as (label key, value), blank allowed)
SELECTS: dict[str, tuple[list[tuple[str, str]], bool]] = {
    "kind": ([(f"kind.{v}", v) for v in KINDS], False),
    "scope": ([(f"scope.{v}", v) for v in SCOPES], False),
    "role": ([(f"role.{v}", v) for v in ROLES], False),
    "gender": ([(f"customer.gender.{v}", v) for v in GENDERS if v], True),
    "source": ([(f"customer.source.{v}", v) for v in SOURCES], True),
    "status_override": ([(f"lifecycle.{v}", v) for v in LIFECYCLES], True),
}


class FieldsScroll(VerticalScroll, can_focus=False):
    """The form's fields, scrolled to the focused one. Not a Tab stop of its own: focused, it
    showed nothing focused between the last field and the first, and restyled the whole form
    (each focus change of a container restyles everything in it) on the way in and out."""
FIELD_ORDER = ("name", "kind", "scope", "role", "phone", "email", "address", "region", "gender",
               "birth_year", "birthday", "income_band", "needs", "budget", "source", "tags",
               "consent_to_contact", "status_override")


def form_values(doc: dict[str, Any]) -> dict[str, Any]:
    """What the form's widgets show for a stored customer (as `raw_values` reads them)."""
    values: dict[str, Any] = {}
    for field in FIELD_ORDER:
        value = doc.get(field)
        if field in SELECTS:
            options, blank = SELECTS[field]
            allowed = [v for _, v in options]
            values[field] = value if value in allowed else ("" if blank else allowed[0])
        elif field == "consent_to_contact":
            values[field] = bool(value)
        elif field == "tags":
            values[field] = ", ".join(value or [])
        else:
            values[field] = "" if value is None else str(value)
    return values


@dataclass(frozen=True)
class FormOutcome:
    """What the form ended with: the customer saved, or an existing one the user chose to open."""

    customer_id: int
    created: bool = False
    opened_existing: bool = False


class DuplicateModal(LabelledModal[str | None]):
    """Warns that a customer with the same phone exists: "open", "save" or None (back)."""

    BINDINGS = [
        Binding("o", "choose('open')", show=False),
        Binding("s", "choose('save')", show=False),
        Binding("escape", "choose(None)", "form.back"),
    ]

    def __init__(self, duplicates: list[Duplicate]) -> None:
        super().__init__()
        self.duplicates = duplicates

    def compose(self) -> ComposeResult:
        first = self.duplicates[0].customer
        with Vertical(id="duplicates", classes="dialog"):
            yield Static(plain(t("form.duplicate_title"), style="bold"), classes="dialog-title")
            for dup in self.duplicates[:5]:
                doc = dup.customer
                line = plain(t(f"form.duplicate_{dup.reason}", code=doc.get("code") or "",
                               name=doc.get("name") or ""))
                line.no_wrap = False
                yield Static(line, classes="duplicate")
            with Horizontal(classes="dialog-buttons"):
                yield Button(plain(t("form.duplicate_open", code=first.get("code") or "") + " (o)"),
                             id="open", variant="primary")
                yield Button(plain(t("form.duplicate_save") + " (s)"), id="save", variant="warning")
                yield Button(plain(t("form.back") + " (esc)"), id="back")

    def on_mount(self) -> None:
        self.query_one("#open", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "back" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)


class CustomerFormScreen(SaveRunner, RecordsScreen[FormOutcome | None]):
    """Create a customer (customer_id None) or edit one; Ctrl+S saves, Esc leaves."""

    BINDINGS = [
        Binding(key("form.save"), "save", "form.save", id="form.save", priority=True),
        Binding(key("form.cancel"), "cancel", "form.cancel", id="form.cancel"),
    ]

    def __init__(self, workspace: Workspace, customer_id: int | None = None,
                 prefill: dict[str, str] | None = None) -> None:
        super().__init__(workspace)
        self.customer_id = customer_id
        self.prefill = dict(prefill or {})  # a new customer's fields filled in (a failed search)
        self.original: dict[str, Any] = {}
        if customer_id is not None:
            self.original = dict(workspace.store.get("customers", customer_id) or {})
        # the version read now: a save after someone else's is refused (StaleRecord)
        self.version: int | None = self.original.get(VERSION_FIELD)
        self.initial: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        title = (t("form.edit_title", code=self.original.get("code") or "") if self.original
                 else t("form.new_title"))
        doc: dict[str, Any] = self.original or self.prefill
        yield Header()
        yield Static(plain(title, style="bold"), id="form-title")
        with FieldsScroll(id="customer-form"):
            for field in FIELD_ORDER:
                with Horizontal(classes="form-row", id=f"row-{field}"):
                    if field == "consent_to_contact":
                        yield Label("", classes="form-label")
                        yield StateCheckbox(t(f"customer.field.{field}"),
                                            bool(doc.get(field)), id=f"f-{field}", compact=True)
                    else:
                        yield Label(plain(t(f"customer.field.{field}")), classes="form-label")
                        yield self._field_widget(field, doc.get(field))
                yield Static("", classes="field-error", id=f"err-{field}")
        yield KeysFooter()

    def _field_widget(self, field: str, value: Any) -> Widget:
        if field in SELECTS:
            options, blank = SELECTS[field]
            choices = [(plain(t(label)), v) for label, v in options]
            current = value if value in {v for _, v in options} else Select.NULL
            if not blank and current is Select.NULL:
                current = options[0][1]
            prompt = t("customer.auto") if field == "status_override" else t("customer.unset")
            return Select(choices, value=current, allow_blank=blank, prompt=prompt,
                          id=f"f-{field}", compact=True)
        if field == "tags":
            text = ", ".join(value or [])
        else:
            text = "" if value is None else str(value)
        # a field filled in from a failed search is selected when focused: what the clerk types
        # there (the same phone again, in a burst) replaces it instead of doubling it
        prefilled = not self.original and bool(self.prefill.get(field))
        return SafeInput(text, id=f"f-{field}", compact=True, select_on_focus=prefilled)

    def on_mount(self) -> None:
        self.initial = self.raw_values()
        self.query_one("#f-name", Input).focus()

    def raw_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in FIELD_ORDER:
            widget = self.query_one(f"#f-{field}")
            if isinstance(widget, Select):
                values[field] = "" if widget.is_blank() else widget.value
            elif isinstance(widget, Checkbox | Input):
                values[field] = widget.value
        return values

    @property
    def dirty(self) -> bool:
        return self.raw_values() != self.initial

    def show_errors(self, errors: dict[str, str], only: str | None = None) -> None:
        for field in FIELD_ORDER:
            if only is not None and field != only:
                continue
            message = errors.get(field, "")
            error = self.query_one(f"#err-{field}", Static)
            error.update(plain(message))
            error.set_class(bool(message), "-shown")
            self.query_one(f"#row-{field}").set_class(bool(message), "-invalid")

    def _errors(self) -> dict[str, str]:
        return clean_customer(self.raw_values(), self.workspace.today())[1]

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            self.show_errors(self._errors(), only=event.input.id[2:])

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        field = (event.input.id or "")[2:]
        if field and self.query_one(f"#err-{field}", Static).has_class("-shown"):
            self.show_errors(self._errors(), only=field)

    @writes
    def action_save(self) -> None:
        if self.saving:
            return
        values, errors = clean_customer(self.raw_values(), self.workspace.today())
        self.show_errors(errors)
        if errors:
            first = next(f for f in FIELD_ORDER if f in errors)
            self.query_one(f"#f-{first}").focus()
            self.notify(t("form.fix_errors", count=len(errors)), severity="error", markup=False)
            return
        if not self.dirty and self.customer_id is not None:
            self.notify(t("form.unchanged"), markup=False)
            self.dismiss(None)
            return
        self.check_duplicates(values)

    def check_duplicates(self, values: dict[str, Any]) -> None:
        """Look for this name or phone elsewhere (only when they changed), then save or ask."""
        ws, customer_id, orig = self.workspace, self.customer_id, self.original
        changed = not orig or values["phone"] != orig.get("phone") or values["name"] != orig.get("name")
        self.run_save(lambda: find_duplicates(ws.store, values["name"], values["phone"], exclude_id=customer_id)
                      if changed else [], lambda found: self.after_duplicates(values, found))

    def after_duplicates(self, values: dict[str, Any], found: list[Duplicate]) -> None:
        if not found:
            self.save(values)
            return

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.save(values)
            elif choice == "open":
                self.dismiss(FormOutcome(int(found[0].customer["id"]), opened_existing=True))

        self.app.push_screen(DuplicateModal(found), chosen)

    def save(self, values: dict[str, Any]) -> None:
        """Save through the save runner; refused or failed saves keep the form as typed."""
        self.run_save(lambda: self.write(values), self.saved)

    def write(self, values: dict[str, Any]) -> tuple[FormOutcome, str]:
        """In the save worker: create or update; (outcome, name saved). A StaleRecord carries
        the record as saved now (`fresh`, None when it is gone)."""
        ws, customer_id = self.workspace, self.customer_id
        if customer_id is None:
            doc = create_customer(ws, values)
            return FormOutcome(int(doc["id"]), created=True), str(doc.get("name") or "")
        try:
            doc = update_customer(ws, customer_id, values, version=self.version)
        except StaleRecord as stale:
            fresh = ws.store.get("customers", customer_id)
            stale.fresh = dict(fresh) if fresh else None  # type: ignore[attr-defined]
            raise
        self.version = doc.get(VERSION_FIELD)
        return FormOutcome(customer_id), str(doc.get("name") or "")

    def saved(self, result: tuple[FormOutcome, str]) -> None:
        outcome, name = result
        self.notify(t("form.saved", name=name), markup=False)
        self.dismiss(outcome)

    def save_refused(self, error: CustuiError) -> None:
        if isinstance(error, StaleRecord):
            self.refused(error.message, getattr(error, "fresh", None))
        else:  # connection lost, database refused: not saved, told so
            self.notify(error.message, severity="error", markup=False, timeout=10)

    # -- someone else saved this customer since the form loaded (shared stores) --------------
    def shows(self, changes: Changes) -> bool:
        """Another operator's save of the customer being edited (our own is no news)."""
        return self.customer_id is not None and self.customer_id in changes.remote

    def refresh_records(self) -> None:
        """Warn once when another operator saves the customer being edited (the typing stays)."""
        if getattr(self, "_warned", None) == self.version:
            return
        doc = self.workspace.store.get("customers", self.customer_id or 0) or {}
        if doc.get(VERSION_FIELD) not in (None, self.version):
            self._warned = self.version
            self.notify(t("pg.changed_meanwhile"), severity="warning", markup=False, timeout=10)

    def refused(self, message: str, fresh: dict[str, Any] | None) -> None:
        """Say who changed what, keep the typing, and offer to load their changes."""
        from custui.modals.confirm import ConfirmModal

        if fresh is None:
            self.notify(f"{message} {t('pg.stale_gone')}", severity="error", markup=False, timeout=15)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.load_theirs(fresh)
            else:  # keep editing: the message stays in view a while
                self.notify(message, severity="error", markup=False, timeout=15)

        question = f"{message} {t('pg.stale_question')}"  # one paragraph: plain() shows no newlines
        self.app.push_screen(ConfirmModal(question, title=t("pg.stale_title"), yes=t("pg.stale_reload"),
                                          no=t("pg.stale_keep")), answered)

    def load_theirs(self, fresh: dict[str, Any]) -> None:
        """The clerk's merge: fields the clerk changed keep the typed text (a note shows
        what the other operator saved there too); the others take the saved values. The
        next save then carries the fresh version."""
        typed, theirs = self.raw_values(), form_values(fresh)
        updated: list[str] = []
        for field in FIELD_ORDER:
            if typed[field] != self.initial.get(field):
                if theirs[field] != self.initial.get(field) and theirs[field] != typed[field]:
                    shown = theirs[field] if not isinstance(theirs[field], bool) else (
                        t("confirm.yes") if theirs[field] else t("confirm.no"))
                    note = self.query_one(f"#err-{field}", Static)
                    note.update(plain(t("pg.stale_theirs", value=shown or "—")))
                    note.add_class("-shown")
                continue
            if theirs[field] != typed[field]:
                self._set_widget(field, theirs[field])
                updated.append(t(f"customer.field.{field}"))
        self.original, self.version, self.initial = fresh, fresh.get(VERSION_FIELD), theirs
        self.notify(t("pg.stale_reloaded", fields=", ".join(updated) or "—"), markup=False)

    def _set_widget(self, field: str, value: Any) -> None:
        widget = self.query_one(f"#f-{field}")
        if isinstance(widget, Select):
            if value == "":
                widget.clear()
            else:
                widget.value = value
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, Input):
            widget.value = str(value)

    def action_cancel(self) -> None:
        from custui.modals.confirm import leave_or_ask

        leave_or_ask(self, t("form.discard"))
