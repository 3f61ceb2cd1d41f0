"""The lookup index: folding, phone formats, typos, word order, ranking, archived, live updates."""

from __future__ import annotations

import pytest

from custui.services.customers import archive_customer, create_customer, update_customer
from custui.services.search import CustomerIndex
from custui.services.workspace import Workspace
from custui.store.memory import MemoryStore


@pytest.fixture
def index(store: MemoryStore) -> CustomerIndex:
    return CustomerIndex(store)


def names(index: CustomerIndex, query: str, **kw: object) -> list[str]:
    return [d["name"] for d in index.search(query, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ["nguyen thi anh", "NGUYỄN THỊ ÁNH", "anh nguyen", "thi  anh"])
def test_name_is_diacritic_case_and_order_insensitive(index: CustomerIndex, query: str) -> None:
    assert names(index, query)[0] == "Nguyễn Thị Ánh"


def test_d_with_stroke_folds_to_d(index: CustomerIndex) -> None:
    assert names(index, "dang duc") == ["Đặng Văn Đức"]
    assert names(index, "ĐẶNG") == ["Đặng Văn Đức"]


@pytest.mark.parametrize("query", ["0901234567", "090 123 4567", "090.123.4567", "+84 90 123 4567",
                                   "84901234567", "0901-234-567", "4567"])
def test_phone_matches_whatever_is_typed(index: CustomerIndex, query: str) -> None:
    assert names(index, query)[0] == "Nguyễn Thị Ánh"


def test_phone_stored_with_country_code_is_found_by_local_number(index: CustomerIndex) -> None:
    assert names(index, "0912 223 333") == ["Đặng Văn Đức"]


def test_one_letter_typos_still_find_names(index: CustomerIndex) -> None:
    assert names(index, "hoagn long") == ["Công ty TNHH Hoàng Long"]  # transposition
    assert names(index, "nguyn thi") == ["Nguyễn Thị Ánh"]  # a letter missing
    assert names(index, "tran minh khoj") == ["Trần Minh Khôi"]  # a wrong letter


def test_code_and_email(index: CustomerIndex) -> None:
    assert names(index, "C000003") == ["Công ty TNHH Hoàng Long"]
    assert names(index, "c000003") == ["Công ty TNHH Hoàng Long"]
    assert names(index, "duc@example") == ["Đặng Văn Đức"]


def test_name_and_phone_together(index: CustomerIndex) -> None:
    assert names(index, "nguyen 0901") == ["Nguyễn Thị Ánh"]
    assert names(index, "nguyen 0977") == []


def test_exact_word_ranks_before_typo_and_prefix(store: MemoryStore, index: CustomerIndex) -> None:
    store.insert("customers", {"code": "C000010", "name": "Lê Văn Anhh", "phone": ""})
    store.insert("customers", {"code": "C000011", "name": "Phạm Anh", "phone": ""})
    found = names(index, "anh")
    assert found.index("Phạm Anh") < found.index("Lê Văn Anhh")


def test_no_match_is_empty(index: CustomerIndex) -> None:
    assert names(index, "zzzz qqq") == []


def test_empty_query_lists_most_recently_active_first(index: CustomerIndex) -> None:
    # Eve bought on 2026-11-27, Ánh on 2026-11-20, Đức in June, Khôi in 2025, Hoàng Long never
    assert names(index, "") == ["[b]Eve[/]", "Nguyễn Thị Ánh", "Đặng Văn Đức", "Trần Minh Khôi",
                                "Công ty TNHH Hoàng Long"]


def test_hostile_name_is_found_literally(index: CustomerIndex) -> None:
    assert names(index, "[b]") == ["[b]Eve[/]"]
    assert names(index, "eve") == ["[b]Eve[/]"]


def test_index_follows_creates_edits_and_archives(workspace: Workspace) -> None:
    index = CustomerIndex(workspace.store)
    assert names(index, "vo thanh") == []
    doc = create_customer(workspace, {"name": "Võ Thành Tâm", "phone": "0933 444 555"})
    assert names(index, "vo thanh") == ["Võ Thành Tâm"]
    assert names(index, "")[0] == "Võ Thành Tâm"  # newest activity
    update_customer(workspace, doc["id"], {"name": "Võ Thành Trung", "phone": "0933444666"})
    assert names(index, "tam") == []
    assert names(index, "0933444666") == ["Võ Thành Trung"]
    assert names(index, "0933444555") == []
    archive_customer(workspace, doc["id"])
    assert names(index, "vo thanh") == []
    assert names(index, "vo thanh", include_archived=True) == ["Võ Thành Trung"]
    assert index.total() == 5 and index.total(include_archived=True) == 6


def test_parse_joins_phone_words() -> None:
    assert CustomerIndex.parse("Nguyễn +84 90 123") == [("text", "nguyen"), ("phone", "090123")]


def test_a_name_with_dots_and_commas_is_found_as_written(store: MemoryStore, index: CustomerIndex) -> None:
    """Staff paste a company's name from an invoice: its words with "." and "," are name words."""
    store.insert("customers", {"code": "C000020", "name": "Hưng Thịnh Co., Ltd.", "phone": "",
                               "email": "sales@hungthinh.vn"})
    store.insert("customers", {"code": "C000021", "name": "ThS. Lê Minh", "phone": ""})
    assert names(index, "Hưng Thịnh Co., Ltd.") == ["Hưng Thịnh Co., Ltd."]
    assert names(index, "co., ltd.") == ["Hưng Thịnh Co., Ltd."]
    assert names(index, "ths. le minh") == ["ThS. Lê Minh"]
    assert names(index, "hungthinh.vn") == ["Hưng Thịnh Co., Ltd."]  # a dotted word still finds e-mails
