"""Strings of issue 14 (at the counter: type-ahead, nothing lost, 80x24, the palette)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "lookup.none_offer": (
        "No customer matches “{query}”. n: new customer · /: search again",
        "Không có khách hàng nào khớp “{query}”. n: thêm khách mới · /: tìm lại",
    ),
}
