"""What the profile shows: record-tab columns and rows, header pieces, the Details tab.

Pure functions of the records (no Textual): every cell is a Rich Text built with
`plain()`, so user text is never markup. Ids are translated (complaint
category/severity/status from care.yaml and the catalog, interaction types, survey
titles and question labels); anything that needs attention carries a "!" so it
reads without colour (NO_COLOR).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.text import Text

from custui.domain.complaints import ACTIVE, is_overdue
from custui.i18n import count_text, get_locale, t, t_id
from custui.services import complaints as complaint_service
from custui.services import feedback as feedback_service
from custui.services.customer_view import ProfileData, day, field_text, money
from custui.services.interactions import type_label
from custui.services.messaging import BOUNCED
from custui.services.workspace import Workspace
from custui.store.base import Doc
from custui.widgets.safe import plain

Row = tuple[Text, ...]
LATE = "bold red"

# fixed widths so dates, amounts and states never get cut; free text takes the rest
COLUMN_WIDTHS = {
    "date": 10, "total": 13, "channel": 10, "survey": 14, "category": 16, "severity": 10,
    "status": 13, "due": 17, "type": 8, "follow_up": 12,
}
FREE_WIDTH = 40  # widest a free-text cell gets before "…"

COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("date", "total", "channel", "note", "items"),
    "feedback": ("date", "survey", "answers"),
    "complaints": ("date", "category", "severity", "status", "due"),
    "interactions": ("date", "type", "summary", "follow_up"),
}


def _cells(*values: Any, style: str = "") -> Row:
    return tuple(value if isinstance(value, Text) else plain(value, style=style) for value in values)


def order_note(order: Doc) -> str:
    """Void (with its reason), promotion, points redeemed, voucher used."""
    notes = []
    if order.get("void"):
        reason = str(order.get("void_reason") or "")
        notes.append(t("void.mark_reason", reason=reason) if reason else t("void.mark"))
    if order.get("promo"):
        notes.append(t("profile.promo"))
    if order.get("points_redeemed"):
        notes.append(t("profile.redeemed", points=order["points_redeemed"]))
    if order.get("voucher_id") is not None:
        notes.append(t("purchase.note_voucher", id=order["voucher_id"]))
    return ", ".join(notes)


def order_rows(ws: Workspace, orders: list[Doc]) -> list[Row]:
    channel = ws.config.loyalty.channel_name
    return [
        _cells(day(o.get("date")), money(ws, int(o.get("total") or 0)),
               channel(str(o.get("channel") or ""), get_locale()), order_note(o), o.get("items"),
               style="dim" if o.get("void") else "")
        for o in orders
    ]


def answers_summary(ws: Workspace, feedback: Doc) -> str:
    """The answers in survey order, "3 · 4 · 9 · Fast delivery" (question labels are too long
    for a row: Enter shows each answer under its label, see modals/feedback_view.py)."""
    return " · ".join(text for _label, text in feedback_service.describe(ws, feedback) if text)


def feedback_rows(ws: Workspace, feedback: list[Doc]) -> list[Row]:
    return [
        _cells(day(f.get("created_at")), feedback_service.survey_title(ws, str(f.get("survey_id") or "")),
               answers_summary(ws, f))
        for f in feedback
    ]


def complaint_due(doc: Doc, now: datetime) -> Text:
    """Due time of an open complaint ("! OVERDUE 3 h" when late); "—" once resolved."""
    if doc.get("status") not in ACTIVE:
        return plain("—", style="dim")
    late = is_overdue(doc, now)
    return plain(complaint_service.due_text(doc, now), style=LATE if late else "")


def complaint_rows(ws: Workspace, complaints: list[Doc]) -> list[Row]:
    now = ws.clock()
    rows = []
    for c in complaints:
        active = c.get("status") in ACTIVE
        rows.append(_cells(
            day(c.get("opened_at")),
            complaint_service.category_name(ws, str(c.get("category") or "")),
            complaint_service.severity_name(ws, str(c.get("severity") or "")),
            plain(complaint_service.status_name(str(c.get("status") or "")), style="bold" if active else "dim"),
            complaint_due(c, now),
        ))
    return rows


def follow_up_cell(doc: Doc, today: date) -> Text:
    """The follow-up day; "✓" once done, "!" in front when it is past and not done."""
    due = doc.get("follow_up_due")
    if not due:
        return Text("")
    if doc.get("follow_up_done"):
        return plain(f"✓ {day(due)}", style="dim")
    if str(due)[:10] < today.isoformat():
        return plain(f"! {day(due)}", style=LATE)
    return plain(day(due), style="bold")


def interaction_summary(doc: Doc) -> str:
    """The summary, and for a message the recipient's server returned, that it bounced."""
    message = doc.get("message")
    summary = str(doc.get("summary") or "")
    if isinstance(message, dict) and message.get("status") == BOUNCED:
        return t("msg.bounced_mark", summary=summary)
    return summary


def interaction_rows(ws: Workspace, interactions: list[Doc]) -> list[Row]:
    today = ws.today()
    return [
        _cells(day(i.get("at")), type_label(str(i.get("type") or "")), interaction_summary(i),
               follow_up_cell(i, today))
        for i in interactions
    ]


def tab_rows(ws: Workspace, tab: str, records: list[Doc]) -> list[Row]:
    builder = {"orders": order_rows, "feedback": feedback_rows, "complaints": complaint_rows,
               "interactions": interaction_rows}[tab]
    return builder(ws, records)


def fit(cell: Text, column: str) -> Text:
    """Cut a cell to its column ("…" marks the cut)."""
    cell = cell.copy()
    cell.truncate(COLUMN_WIDTHS.get(column, FREE_WIDTH), overflow="ellipsis")
    return cell


DETAIL_FIELDS = (
    "code", "name", "kind", "scope", "role", "phone", "phone_norm", "email", "address", "region",
    "gender", "birth_year", "birthday", "income_band", "needs", "budget", "source", "tags",
    "consent_to_contact", "status_override", "referred_by", "merged_into", "archived",
    "created_at", "updated_at",
)


def labelled(*pairs: tuple[str, Any]) -> Text:
    """"Label value · Label value" with labels dimmed and values plain."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for index, (label, value) in enumerate(pairs):
        if index:
            out.append("  ")
        out.append(f"{label} ", style="dim")
        out.append_text(plain(value, style="bold"))
    return out


def header_text(ws: Workspace, data: ProfileData, width: int = 80) -> Text:
    """Four lines that fit 80 columns in en and vi: the name gives way, never the
    code, phone, points or dates."""
    doc, summary = data.customer, data.summary
    code, phone = str(doc.get("code") or ""), str(doc.get("phone") or "")
    if len(phone) > 16:
        phone = str(doc.get("phone_norm") or phone)
    name = plain(doc.get("name"), style="bold reverse")
    name.truncate(max(12, width - len(code) - len(phone) - 6), overflow="ellipsis")
    title = Text(no_wrap=True, overflow="ellipsis")
    title.append_text(name)
    title.append("  ")
    title.append_text(plain(code, style="bold"))
    if phone:
        title.append("  ")
        title.append_text(plain(phone, style="bold"))
    who = Text(no_wrap=True, overflow="ellipsis")
    who.append(" · ".join((
        t_id("kind", doc.get("kind") or "individual"),
        t_id("scope", doc.get("scope") or "external"),
        t_id("role", doc.get("role") or "end_user"),
    )), style="dim")
    if doc.get("archived"):
        badge = t("profile.archived_badge")
        if data.merged_into_code:
            badge += " · " + t("profile.merged_badge", code=data.merged_into_code)
        who.append("  ")
        who.append_text(plain(badge, style="bold red"))
    value = labelled(
        (t("profile.tier"), summary.tier_name or t("profile.no_tier")),
        (t("profile.points"), count_text(data.points)),
        (t("profile.stage"), summary.lifecycle_label),
        (t("profile.clv"), money(ws, summary.clv)),
    )
    since = doc.get("created_at")
    if summary.first_order and (not since or summary.first_order.isoformat() < str(since)):
        since = summary.first_order.isoformat()
    history = labelled(
        (t("profile.since"), day(since)),
        (t("profile.last_order"), day(summary.last_order)),
        ("", t("profile.orders_spend", orders=summary.orders,
               spend=money(ws, summary.total_spend))),
    )
    lines = [title, who, value, history]
    if data.alive:
        lines.append(plain(data.alive, style="dim"))
    return Text("\n").join(lines)


def details_text(data: ProfileData) -> Text:
    """The Details tab: every field (ids translated), then the audit trail."""
    doc = data.customer
    lines: list[Text] = []
    if data.loyalty_note:
        note = plain(data.loyalty_note, style="italic")
        lines += [note, Text("")]
    for field in DETAIL_FIELDS:
        value = doc.get(field)
        if field == "merged_into" and data.merged_into_code:
            value = data.merged_into_code
        elif field == "referred_by" and data.referred_by_code:
            value = data.referred_by_code
        elif field in ("kind", "scope", "role") and value:
            value = t_id(field, value)
        elif field in ("gender", "source") and value:
            value = t_id(f"customer.{field}", value)
        elif field == "status_override" and value:
            value = t_id("lifecycle", value)
        line = Text.assemble((f"{t(f'customer.field.{field}')}: ", "dim"), plain(field_text(value)))
        lines.append(line)
    lines.append(Text(""))
    lines.extend(consent_lines(doc))
    lines.append(Text(""))
    lines.append(Text(t("profile.audit"), style="bold underline"))
    if not data.audit:
        lines.append(Text(t("profile.audit_none"), style="dim"))
    for record in data.audit:
        lines.extend(audit_lines(record))
    text = Text("\n").join(lines)
    text.no_wrap = False
    return text


def consent_lines(doc: dict[str, Any]) -> list[Text]:
    """The Consent heading, then one line per purpose: the current answer and how it was given
    (the full history is in the audit trail and the customer's data export)."""
    from custui.domain.consent import consent_summary

    lines = [Text(t("consent.heading"), style="bold underline")]
    for purpose, event in consent_summary(doc).items():
        if event is None:
            state = t("consent.state.never")
        elif event.get("legacy"):
            state = t("consent.state.yes" if event.get("granted") else "consent.state.no") + " " \
                + t("consent.state.legacy")
        else:
            state = t("consent.state.line",
                      answer=t("consent.state.yes" if event.get("granted") else "consent.state.no"),
                      at=str(event.get("at") or "").replace("T", " "),
                      channel=t_id("consent.channel", event.get("channel")), who=str(event.get("who") or ""))
        lines.append(Text.assemble((f"{t(f'consent.purpose.{purpose}')}: ", "dim"), plain(state)))
    return lines


def audit_lines(record: dict[str, Any]) -> list[Text]:
    """One audit record: a heading line, then "field: old → new" lines."""
    action = str(record.get("action") or "")
    head = Text.assemble(
        plain(str(record.get("at") or "").replace("T", " "), style="bold"), "  ",
        plain(record.get("who")), "  ", plain(t_id("profile.audit", action)),
    )
    lines = [head]
    changes = record.get("changes") or {}
    for field, pair in changes.items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        lines.append(Text.assemble(
            "  ", (f"{t_id('customer.field', field)}: ", "dim"), plain(field_text(old)),
            " → ", plain(field_text(new)),
        ))
    moved = record.get("moved")
    if isinstance(moved, dict) and any(moved.values()):
        counts = ", ".join(f"{table} {n}" for table, n in moved.items() if n)
        lines.append(Text.assemble("  ", plain(t("profile.audit.moved", counts=counts))))
    return lines
