"""Strings of the command palette's per-screen commands (the profile's customer actions)."""

STRINGS: dict[str, tuple[str, str]] = {
    "palette.profile.order": ("record purchase", "ghi đơn hàng"),
    "palette.profile.feedback": ("feedback survey", "khảo sát phản hồi"),
    "palette.profile.complaint": ("new complaint", "ghi khiếu nại"),
    "palette.profile.interaction": ("log interaction", "ghi tương tác"),
    "palette.profile.edit": ("edit customer", "sửa khách hàng"),
    "palette.profile.void": ("void the highlighted order", "hủy đơn đang chọn"),
    "palette.profile.export": ("export customer data", "xuất dữ liệu khách hàng"),
    "palette.profile.consent": ("consent", "đồng ý"),
    "palette.profile.message": ("send a message", "gửi tin nhắn"),
    "palette.profile.archive": ("archive customer", "lưu trữ khách hàng"),
    "palette.profile.restore": ("restore customer", "khôi phục khách hàng"),
    "palette.profile.merge": ("merge with another customer", "gộp với khách khác"),
    "palette.profile.forget": ("forget customer (erase personal data)", "xoá dữ liệu cá nhân của khách"),
}
