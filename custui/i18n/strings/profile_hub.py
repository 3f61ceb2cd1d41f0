"""Strings of the profile as the hub: record-tab actions and the feedback answers view."""

STRINGS: dict[str, tuple[str, str]] = {
    "profile.complaint_status": ("Status", "Trạng thái"),
    "profile.feedback_answers": ("Answers", "Xem trả lời"),
    "profile.void_short": ("Void", "Hủy đơn"),
    "profile.no_record_selected": ("Nothing selected.", "Chưa chọn dòng nào."),
    "profile.feedback_title": ("{survey} · {date}", "{survey} · {date}"),
    "profile.feedback_none": ("No answers recorded.", "Không có câu trả lời."),
    "profile.close": ("Close", "Đóng"),
}
