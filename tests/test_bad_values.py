"""Dates and numbers custui cannot compute with are refused where they are typed or read.

Years run from MIN_YEAR to MAX_YEAR (custui.domain.dates); amounts are ASCII digits up to
MAX_AMOUNT minor units (custui.domain.money). An import names each bad line (exit 2,
--skip-bad skips them); a form flags the field; nothing is stored to fail later.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cli_helpers import run_cli
from pilot_helpers import open_profile, screen_text, settle
from test_import_cli import table, write
from textual.widgets import Input, Static

from custui.app import make_app
from custui.domain.csv_rows import RowError, parse_amount, parse_date
from custui.domain.dates import MAX_YEAR, MIN_YEAR
from custui.domain.money import MAX_AMOUNT, MoneyParseError, parse_money
from custui.domain.survey import nps_key
from custui.errors import BadInput
from custui.i18n import set_locale
from custui.modals.purchase import PurchaseModal
from custui.screens.dashboard import parse_period_day
from custui.services.customers import clean_customer
from custui.services.interactions import parse_day as follow_up_day
from custui.services.purchase_form import PurchaseInput, read_purchase
from custui.services.workspace import Workspace

TODAY = date(2026, 11, 28)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "cfg").mkdir()
    values = {"CUSTUI_DB": str(tmp_path / "db.json"), "CUSTUI_CONFIG": str(tmp_path / "cfg")}
    assert run_cli(["init"], values)[0] == 0
    code, _out, err = run_cli(["import", "customers", write(tmp_path, "c.csv", "code,name\nC1,An\n")],
                          values)
    assert code == 0, err
    return values


# -- 1. dates -------------------------------------------------------------------------------
def test_the_range_is_1900_to_2100() -> None:
    assert (MIN_YEAR, MAX_YEAR) == (1900, 2100)
    assert parse_date("1900-01-01") == "1900-01-01" and parse_date("31/12/2100") == "2100-12-31"


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "31/12/1899", "01/01/2101",
                                 "0001-01-01T00:00:00"])
def test_dates_outside_the_range_are_refused_in_csv_cells(raw: str) -> None:
    with pytest.raises(RowError, match="outside the years 1900 to 2100"):
        parse_date(raw)


def test_an_order_dated_year_1_is_refused_at_import_and_export_keeps_working(
    env: dict[str, str], tmp_path: Path,
) -> None:
    orders = write(tmp_path, "o.csv", "customer_code,date,total\nC1,0001-01-01,100\n"
                                      "C1,2026-01-05,200\nC1,9999-12-31,5\n")
    code, _out, err = run_cli(["import", "orders", orders], env)
    assert code == 2
    assert f"{orders}:2: bad date '0001-01-01': outside the years 1900 to 2100" in err
    assert f"{orders}:4: bad date '9999-12-31'" in err
    assert table(env, "orders") == []  # all or nothing
    code, _out, err = run_cli(["import", "orders", orders, "--skip-bad"], env)
    assert code == 0, err
    assert [o["date"] for o in table(env, "orders")] == ["2026-01-05"]
    code, out, err = run_cli(["export", "customers"], env)
    assert code == 0, err
    assert "C1" in out


def test_a_birthday_or_birth_year_outside_the_range_is_refused_at_import(
    env: dict[str, str], tmp_path: Path,
) -> None:
    path = write(tmp_path, "c2.csv", "code,name,birthday,birth_year\nC2,Bình,01/02/0001,\n"
                                     "C3,Chi,,0001\nC4,Dũng,,²\nC5,Em,,1990\n")
    code, _out, err = run_cli(["import", "customers", path], env)
    assert code == 2
    assert f"{path}:2: bad date '01/02/0001'" in err
    assert f"{path}:3: bad birth_year '0001'" in err and f"{path}:4: bad birth_year '²'" in err
    code, _out, err = run_cli(["import", "customers", path, "--skip-bad"], env)
    assert code == 0, err
    assert [c["code"] for c in table(env, "customers")] == ["C1", "C5"]


def test_report_and_as_of_dates_outside_the_range_are_bad_input(env: dict[str, str]) -> None:
    for args in (["report", "--from", "0001-01-01"], ["export", "customers", "--as-of", "9999-01-01"]):
        code, _out, err = run_cli(args, env)
        assert code == 2 and "outside the years 1900 to 2100" in err, (args, err)


def test_the_purchase_form_refuses_a_date_outside_the_range() -> None:
    draft, errors = read_purchase(PurchaseInput(date="01/01/0001", total="100000"), "VND", TODAY)
    assert draft is None and "1900" in errors["date"] and "2100" in errors["date"]


def test_dashboard_custom_dates_outside_the_range_say_so() -> None:
    with pytest.raises(ValueError, match="1900 to 2100"):
        parse_period_day("0001-01-01", date(2026, 12, 7))


@pytest.mark.parametrize("raw", ["0001-01-01", "+99999999999", "+²", "+٣"])
def test_a_follow_up_date_outside_the_range_or_not_a_number_is_bad_input(raw: str) -> None:
    with pytest.raises(BadInput):
        follow_up_day(raw, TODAY)


# -- 2. amounts and numbers -------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["²", "٣٤", "1.2.3", "1,2.5", "12.3.456", "1.2.3tr", "1²"])
def test_only_ascii_digits_in_well_formed_groups_are_amounts(raw: str) -> None:
    with pytest.raises(MoneyParseError):
        parse_money(raw, "VND")
    with pytest.raises(RowError, match="bad amount"):
        parse_amount(raw, "VND")


def test_thousands_groups_and_decimals_still_read() -> None:
    assert parse_money("1.250.000", "VND") == parse_money("1,250,000", "VND") == 1_250_000
    assert parse_money("1.250.000,50", "USD") == parse_money("1,250,000.50", "USD") == 125_000_050


def test_the_largest_amount_fits_64_bits_with_room_for_sums() -> None:
    assert MAX_AMOUNT * 900_000 < 2**63
    assert parse_amount(str(MAX_AMOUNT), "VND") == MAX_AMOUNT
    for raw, currency in ((str(MAX_AMOUNT + 1), "VND"), ("9" * 40, "VND"), ("200000000000", "USD")):
        with pytest.raises(RowError, match="more than"):
            parse_amount(raw, currency)


def test_bad_amounts_and_points_give_exit_2_with_the_line_and_skip_bad_skips_them(
    env: dict[str, str], tmp_path: Path,
) -> None:
    path = write(tmp_path, "o.csv", "customer_code,date,total,points_redeemed\n"
                                    "C1,2026-01-05,²,0\nC1,2026-01-05,1.2.3,0\nC1,2026-01-05,٣٤,0\n"
                                    f"C1,2026-01-05,{'9' * 25},0\nC1,2026-01-05,10,²\n"
                                    "C1,2026-01-05,10,99999999999999999999\nC1,2026-01-06,1.250.000,3\n")
    code, _out, err = run_cli(["import", "orders", path], env)
    assert code == 2, err
    for line in (2, 3, 4, 5, 6, 7):
        assert f"{path}:{line}: bad " in err
    assert "internal error" not in err
    code, _out, err = run_cli(["import", "orders", path, "--skip-bad"], env)
    assert code == 0, err
    assert [(o["total"], o["points_redeemed"]) for o in table(env, "orders")] == [(1_250_000, 3)]


@pytest.mark.parametrize(("total", "points", "field"), [
    ("²", "", "total"), ("1.2.3", "", "total"), ("٣٤", "", "total"), ("9" * 20, "", "total"),
    ("100000", "٣", "points"), ("100000", "9" * 20, "points"),
])
def test_the_purchase_form_flags_bad_numbers(total: str, points: str, field: str) -> None:
    draft, errors = read_purchase(PurchaseInput(date="", total=total, points=points), "VND", TODAY)
    assert draft is None and field in errors


def test_a_superscript_birth_year_is_flagged_not_a_crash() -> None:
    _values, errors = clean_customer({"name": "An", "birth_year": "²"}, TODAY)
    assert "birth_year" in errors


def test_a_superscript_digit_is_not_an_nps_score() -> None:
    assert nps_key("", "²") == (None, "")


async def test_the_purchase_form_flags_a_year_1_date_and_1_2_3_in_place(workspace: Workspace) -> None:
    set_locale("vi")
    app = make_app(workspace)
    before = len(workspace.store.all("orders"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, 1)
        await pilot.press("o")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PurchaseModal)
        modal.query_one("#f-date", Input).value = "01/01/0001"
        await pilot.press(*"1.2.3", "ctrl+s")
        await settle(pilot)
        assert app.screen is modal  # not saved
        assert modal.query_one("#err-date", Static).has_class("-shown")
        assert modal.query_one("#err-total", Static).has_class("-shown")
        assert "1900" in screen_text(app).replace("\u00a0", " ")
    assert len(workspace.store.all("orders")) == before


# -- 3. CSV cells beyond the csv module's limit -----------------------------------------------
@pytest.mark.parametrize("skip_bad", [[], ["--skip-bad"]])
def test_a_cell_larger_than_the_csv_limit_is_bad_input_naming_the_line(
    env: dict[str, str], tmp_path: Path, skip_bad: list[str],
) -> None:
    huge = '"' + "x" * 200_000 + '"'
    body = write(tmp_path, "big.csv", f"code,name,address\nC5,Big,{huge}\nC6,Ok,Hanoi\n")
    head = write(tmp_path, "head.csv", f"code,name,{huge}\nC6,Ok,Hanoi\n")
    for path, line in ((body, 2), (head, 1)):
        code, _out, err = run_cli(["import", "customers", path, *skip_bad], env)
        assert code == 2, err
        assert f"line {line}: a cell is longer than 131,072 characters" in err
        assert "internal error" not in err
    assert [c["code"] for c in table(env, "customers")] == ["C1"]  # nothing half-imported
