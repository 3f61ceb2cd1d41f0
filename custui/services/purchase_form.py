"""What the purchase form typed, read into an OrderDraft with per-field messages (no Textual).

The modal calls `read_purchase` on each change (cheap, no store) and, in a worker,
`preview_purchase` for the numbers; `draft_problems` holds the order rules (the order service
checks a save with it); errors are translated, keyed by field name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from custui.domain.dates import DateOutOfRange, read_typed_day
from custui.domain.money import (
    MAX_AMOUNT,
    AmountTooLarge,
    MoneyParseError,
    decimals,
    format_amount,
    parse_money,
)
from custui.domain.purchase import OrderDraft
from custui.i18n import count_text, format_day, get_locale, t
from custui.services.limits import date_range_error, too_large_error

FIELDS = ("date", "total", "items", "channel", "promo", "voucher", "points")


@dataclass(frozen=True)
class PurchaseInput:
    """The form's raw values."""

    date: str
    total: str
    items: str = ""
    channel: str = ""
    promo: bool = False
    voucher_id: int | None = None
    points: str = ""


def amount_text(minor: int, currency: str, locale: str | None = None) -> str:
    """An amount as the form shows it for editing (digits grouped the locale's way, no symbol)."""
    return format_amount(minor, currency, locale or get_locale())


def total_error(raw: str, currency: str) -> tuple[int | None, str]:
    """(minor units, "") or (None, message) for the total field (zero reads: the rules refuse it)."""
    if not raw.strip():
        return None, t("purchase.err.total_empty")
    cents = decimals(currency) > 0
    try:
        minor = parse_money(raw, currency)
    except AmountTooLarge:
        return None, too_large_error(amount_text(MAX_AMOUNT, currency))
    except MoneyParseError:
        return None, t("purchase.err.total_bad_cents" if cents else "purchase.err.total_bad")
    return minor, ""


def read_purchase(
    values: PurchaseInput, currency: str, today: date
) -> tuple[OrderDraft | None, dict[str, str]]:
    """The draft the form describes, or None with a message per field that does not read as a
    date, an amount or a count (what the order rules then refuse: `draft_problems`)."""
    errors: dict[str, str] = {}
    try:
        day = read_typed_day(values.date, today)
    except DateOutOfRange:
        errors["date"] = date_range_error(values.date.strip())
        day = today
    except ValueError:
        errors["date"] = t("purchase.err.date_bad")
        day = today
    total, message = total_error(values.total, currency)
    if message:
        errors["total"] = message
    points = 0
    raw_points = values.points.strip().replace(".", "").replace(",", "")
    if raw_points:
        if re.fullmatch(r"-?[0-9]+", raw_points) is None:
            errors["points"] = t("purchase.err.points_bad")
        elif len(raw_points) > 15 or int(raw_points) > MAX_AMOUNT:
            errors["points"] = too_large_error(count_text(MAX_AMOUNT))
        else:
            points = int(raw_points)
    if errors or total is None:
        return None, errors
    draft = OrderDraft(
        date=day, total=total, items=values.items.strip(), channel=values.channel,
        promo=values.promo, voucher_id=values.voucher_id, points_redeemed=points,
    )
    return draft, {}


def draft_problems(draft: OrderDraft, today: date, max_redeemable: int | None = None) -> dict[str, str]:
    """What the order rules refuse in a draft that reads well, a message per field: a date
    after `today`, a total not above zero, negative points, more points than the order may
    use (`max_redeemable`, from its preview). The order service refuses a save with these
    messages; the form shows them as they are typed."""
    problems: dict[str, str] = {}
    if draft.date > today:
        problems["date"] = t("loyalty.err.future", date=format_day(draft.date), today=format_day(today))
    if draft.total <= 0:
        problems["total"] = t("loyalty.err.total")
    if draft.points_redeemed < 0:
        problems["points"] = t("loyalty.err.points_negative")
    elif max_redeemable is not None and draft.points_redeemed > max_redeemable:
        problems["points"] = t("loyalty.err.points_balance", available=max_redeemable,
                               asked=draft.points_redeemed)
    return problems
