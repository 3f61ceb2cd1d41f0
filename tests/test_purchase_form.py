"""Reading the purchase form: dates and amounts the way shop staff type them, errors per field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from custui.domain.dates import read_typed_day as parse_day
from custui.i18n import set_locale
from custui.services.purchase_form import PurchaseInput, draft_problems, read_purchase

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("typed", "expected"), [
    ("", TODAY),
    ("2026-11-26", date(2026, 11, 26)),
    ("26/11/2026", date(2026, 11, 26)),
    ("26.11.2026", date(2026, 11, 26)),
    ("6/1/26", date(2026, 1, 6)),
    ("26/11", date(2026, 11, 26)),
])
def test_dates_in_iso_and_day_first_forms(typed: str, expected: date) -> None:
    assert parse_day(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["11/26/2026", "yesterday", "2026-13-01", "31/02/2026"])
def test_impossible_dates_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_day(typed, TODAY)


@pytest.mark.parametrize("typed", ["1250000", "1.250.000", "1,250,000", "1,25tr", "1.25m", "1250k"])
def test_every_way_of_writing_the_vnd_total_reads_the_same(typed: str) -> None:
    draft, errors = read_purchase(PurchaseInput(date="26/11/2026", total=typed), "VND", TODAY)
    assert errors == {}
    assert draft is not None and draft.total == 1_250_000 and draft.date == date(2026, 11, 26)


def test_usd_total_has_cents() -> None:
    draft, _ = read_purchase(PurchaseInput(date="", total="12.50"), "USD", TODAY)
    assert draft is not None and draft.total == 1250


def test_each_wrong_field_gets_its_own_message_in_the_current_language() -> None:
    form = PurchaseInput(date="2026-13-01", total="abc", points="ten")
    draft, errors = read_purchase(form, "VND", TODAY)
    assert draft is None
    assert errors == {
        "date": "Not a date: write 2026-11-26 or 26/11/2026.",
        "total": "Not an amount: write 1250000, 1.250.000 or 1,25tr.",
        "points": "Points are a whole number, e.g. 150.",
    }
    set_locale("vi")
    _, errors = read_purchase(PurchaseInput(date="", total="", points="ba"), "VND", TODAY)
    assert errors == {"total": "Hãy nhập tổng tiền.", "points": "Số điểm là số nguyên, ví dụ 150."}


def test_the_order_rules_have_one_message_each_with_the_date_as_the_form_writes_it() -> None:
    draft, errors = read_purchase(PurchaseInput(date="2026-12-01", total="0", points="-5"), "VND", TODAY)
    assert draft is not None and errors == {}  # it reads: the rules refuse it
    assert draft_problems(draft, TODAY) == {
        "date": "The date 2026-12-01 is after today (2026-11-28).",
        "total": "The total must be more than zero.",
        "points": "Points to redeem cannot be negative.",
    }
    fine = replace(draft, date=TODAY, total=500_000, points_redeemed=200)
    assert draft_problems(fine, TODAY) == {}
    assert draft_problems(fine, TODAY, max_redeemable=155) == {
        "points": "Only 155 points can be redeemed on this order (200 asked)."}
    set_locale("vi")
    assert draft_problems(draft, TODAY)["date"] == "Ngày 01/12/2026 sau ngày hôm nay (28/11/2026)."


def test_the_other_fields_carry_over() -> None:
    form = PurchaseInput(date="", total="500k", items="  2 áo  ", channel="phone", promo=True,
                         voucher_id=7, points="1.000")
    draft, _ = read_purchase(form, "VND", TODAY)
    assert draft is not None
    assert (draft.items, draft.channel, draft.promo, draft.voucher_id, draft.points_redeemed) == (
        "2 áo", "phone", True, 7, 1000)


def test_vietnamese_money_keeps_its_no_break_space_on_screen() -> None:
    from custui.domain.money import format_money
    from custui.widgets.safe import plain

    shown = plain(format_money(1_250_000, "VND", "vi")).plain
    assert shown == "1.250.000\u00a0₫"  # not "1.250.000\ufffd₫"
    assert plain("a\x1b[31mb").plain == "a\ufffd[31mb"  # escape codes are still defused
