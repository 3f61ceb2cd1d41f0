"""Parsing CSV cells: dates, amounts per currency, delimiters, headers, formula cells."""

from __future__ import annotations

import pytest

from custui.domain.csv_rows import (
    HeaderError,
    RowError,
    decode,
    detect_delimiter,
    map_headers,
    neutralise,
    order_identity,
    parse_amount,
    parse_customer,
    parse_date,
    split_rows,
    unneutralise,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1997-01-12", "1997-01-12"),
    ("1997-01-12T09:30:00", "1997-01-12"),
    ("1997-01-12 09:30", "1997-01-12"),
    ("12/01/1997", "1997-01-12"),
    ("2/1/1997", "1997-01-02"),
    ("12-01-1997", "1997-01-12"),
    ("12.01.1997", "1997-01-12"),
])
def test_dates_iso_and_day_first(raw: str, expected: str) -> None:
    assert parse_date(raw) == expected


def test_date_format_option_reads_other_layouts() -> None:
    assert parse_date("01/12/1997", "%m/%d/%Y") == "1997-01-12"
    assert parse_date("Jan 12 1997", "%b %d %Y") == "1997-01-12"
    # ISO still works alongside a custom format
    assert parse_date("1997-01-12", "%m/%d/%Y") == "1997-01-12"


@pytest.mark.parametrize(("raw", "reason"), [
    ("31/02/2024", "day is out of range"),
    ("12/31/2024", "month must be in 1..12"),
    ("yesterday", "expected YYYY-MM-DD or DD/MM/YYYY"),
    ("", "empty"),
])
def test_bad_dates_say_why(raw: str, reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        parse_date(raw)


@pytest.mark.parametrize(("raw", "currency", "minor"), [
    ("1250000", "VND", 1_250_000),
    ("1.250.000", "VND", 1_250_000),
    ("1,250,000", "VND", 1_250_000),
    ("12.00", "VND", 12),
    ("12.50", "USD", 1250),
    ("12", "USD", 1200),
    ("1,250.50", "USD", 125_050),
    ("0", "VND", 0),
])
def test_amounts_follow_the_currency_decimals(raw: str, currency: str, minor: int) -> None:
    assert parse_amount(raw, currency) == minor


@pytest.mark.parametrize(("raw", "currency"), [("12.5", "VND"), ("abc", "VND"), ("-5", "VND"),
                                               ("1.2.3,4,5", "USD")])
def test_bad_amounts_are_refused(raw: str, currency: str) -> None:
    with pytest.raises(RowError, match="bad amount"):
        parse_amount(raw, currency)


@pytest.mark.parametrize(("header", "sep"), [
    ("code,name,phone", ","),
    ("code;name;phone", ";"),
    ("code\tname\tphone", "\t"),
    ('"Tên, họ";"Mã";"SĐT"', ";"),
    ("code", ","),
])
def test_delimiter_detection(header: str, sep: str) -> None:
    assert detect_delimiter(header) == sep


def test_bom_is_dropped_and_codes_stay_text() -> None:
    text = decode("\ufeffMã KH;Họ tên\n00042;An\n".encode())
    header, rows = split_rows(text)
    assert header == ["Mã KH", "Họ tên"]
    assert list(rows) == [(2, ["00042", "An"])]


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(RowError, match="line 2: the file is not UTF-8"):
        decode(b"code,name\n1,Nguy\xe1n\n")  # Latin-1, not UTF-8


def test_line_numbers_count_multiline_cells_and_blank_lines() -> None:
    text = 'code,name,needs\n1,A,"two\nlines"\n\n2,B,x\n'
    _header, rows = split_rows(text)
    assert [line for line, _ in rows] == [2, 5]


def test_vietnamese_and_english_headers_map_by_themselves() -> None:
    header = ["Mã khách hàng", "Họ và tên", "Số điện thoại", "E-mail", "Địa chỉ", "Ghi chú"]
    hmap = map_headers(header, "customers")
    assert hmap.fields == {"code": 0, "name": 1, "phone": 2, "email": 3, "address": 4}
    assert hmap.ignored == ["Ghi chú"]
    orders = map_headers(["Customer ID", "Invoice Date", "Amount", "Product"], "orders")
    assert orders.fields == {"customer_code": 0, "date": 1, "total": 2, "items": 3}


def test_map_option_names_other_columns_and_wins() -> None:
    hmap = map_headers(["Khách", "Ngày", "Tiền", "Amount"], "orders",
                       {"Khách": "customer_code", "Tiền": "total", "Amount": "-"})
    assert hmap.fields == {"customer_code": 0, "date": 1, "total": 2}


def test_map_errors() -> None:
    with pytest.raises(HeaderError, match="no column 'nope'"):
        map_headers(["code"], "customers", {"nope": "name"})
    with pytest.raises(HeaderError, match="unknown field 'nam'"):
        map_headers(["code"], "customers", {"code": "nam"})
    with pytest.raises(HeaderError, match="both mean 'total'"):
        map_headers(["amount", "total"], "orders")


def test_customer_fields_are_checked() -> None:
    doc = parse_customer({"code": "00042", "name": "An", "phone": "+84 90 123 4567",
                          "kind": "Doanh nghiệp", "tags": "vip; sỉ", "birthday": "12/01/1997"})
    assert doc["code"] == "00042"
    assert doc["phone_norm"] == "0901234567"
    assert doc["kind"] == "business"
    assert doc["tags"] == ["vip", "sỉ"]
    assert (doc["birthday"], doc["birth_year"]) == ("01-12", 1997)
    with pytest.raises(RowError, match="bad email"):
        parse_customer({"email": "not-an-email"})
    with pytest.raises(RowError, match="bad role"):
        parse_customer({"role": "boss"})


def test_formula_cells_round_trip() -> None:
    for cell in ("=1+1", "+84 90", "-3", "@SUM(A1)", "plain", "'quoted"):
        assert unneutralise(neutralise(cell)) == cell
    assert neutralise("=HYPERLINK(\"x\")").startswith("'=")


def test_order_identity_ignores_formatting_but_not_content() -> None:
    a = order_identity("00042", parse_date("12/01/2024"), parse_amount("1.250.000", "VND"), "Áo  sơ mi")
    b = order_identity("00042", parse_date("2024-01-12"), parse_amount("1250000", "VND"), "áo sơ mi")
    c = order_identity("00042", "2024-01-12", 1_250_001, "áo sơ mi")
    assert a == b != c
