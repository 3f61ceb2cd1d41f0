"""What reaches the terminal from user text: no escape codes, no reordering, joined emoji intact."""

from __future__ import annotations

from custui.domain.text import fold, normalize_phone, strip_control


def test_escape_codes_and_bell_are_made_visible_not_sent() -> None:
    shown = strip_control("\x1b[31mred\x1b[0m \x1b]0;title\x07")
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == "\ufffd[31mred\ufffd[0m \ufffd]0;title\ufffd"


def test_bidi_overrides_are_neutralised_but_joiners_kept() -> None:
    assert strip_control("abc\u202edef") == "abc\ufffddef"
    family = "👩\u200d👩\u200d👧"
    assert strip_control(family) == family
    assert strip_control("1.250.000\u00a0₫") == "1.250.000\u00a0₫"


def test_fold_and_phone_normalisation_from_the_lookup_examples() -> None:
    assert fold("Nguyễn Thị Ánh") == "nguyen thi anh"
    assert fold("ĐẶNG") == "dang"
    assert normalize_phone("+84 90.123-4567") == normalize_phone("090 123 4567") == "0901234567"


def test_a_phone_prefix_ranks_phones_above_a_code_with_that_number() -> None:
    from custui.services.search import CustomerIndex
    from custui.store.memory import MemoryStore

    store = MemoryStore()
    store.insert("customers", {"code": "C000090", "name": "Code Ninety", "phone": "0311111111",
                               "phone_norm": "0311111111"})
    store.insert("customers", {"code": "C000001", "name": "Phone Owner", "phone": "090 123 4567",
                               "phone_norm": "0901234567"})
    index = CustomerIndex(store)
    assert [d["name"] for d in index.search("+84 90")] == ["Phone Owner"]
    assert [d["name"] for d in index.search("090")] == ["Phone Owner"]
    assert [d["name"] for d in index.search("90")][0] == "Code Ninety"
    assert [d["name"] for d in index.search("00090")][0] == "Code Ninety"
