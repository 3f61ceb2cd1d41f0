"""Strings at the counter: type-ahead, nothing lost, 80x24, the palette."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "form.discard_typed": ("Discard what you typed here?", "Bỏ những gì đã nhập ở đây?"),
    "app.quit_discard": (
        "A form has changes that are not saved. Quit and lose them?",
        "Một biểu mẫu có thay đổi chưa lưu. Thoát và bỏ các thay đổi đó?",
    ),
    "survey.save": ("Save", "Lưu"),
    "app.read_only_refused": (
        "Read-only session: nothing was saved (the database is open with --read-only).",
        "Phiên chỉ đọc: không lưu gì cả (cơ sở dữ liệu đang mở với --read-only).",
    ),
    "app.read_only_form": (
        "Read-only session: this form cannot be saved.",
        "Phiên chỉ đọc: không thể lưu biểu mẫu này.",
    ),
    "lookup.none_offer": (
        "No customer matches “{query}”. n: new customer · /: search again",
        "Không có khách hàng nào khớp “{query}”. n: thêm khách mới · /: tìm lại",
    ),
}
