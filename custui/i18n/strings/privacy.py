"""Personal data: consent per purpose, subject export, forget, roles and refusals."""

STRINGS: dict[str, tuple[str, str]] = {
    # why a customer may not be contacted or profiled (domain/consent.py REASONS)
    "consent.reason.archived": ("archived", "đã lưu trữ"),
    "consent.reason.forgotten": ("data erased on request", "dữ liệu đã xoá theo yêu cầu"),
    "consent.reason.no_consent": ("no consent recorded", "chưa ghi nhận đồng ý"),
    "consent.reason.withdrawn": ("consent withdrawn", "đã rút lại đồng ý"),
    "consent.reason.unsubscribed": ("unsubscribed", "đã huỷ đăng ký"),
    "consent.reason.no_address": ("no address for this channel", "không có địa chỉ cho kênh này"),
    "consent.reason.limit": ("marketing message limit reached", "đã đạt giới hạn tin tiếp thị"),
    # purposes and channels
    "consent.purpose.marketing": ("Marketing messages", "Tin tiếp thị"),
    "consent.purpose.survey": ("Surveys", "Khảo sát"),
    "consent.purpose.profiling": ("Profiling for segments", "Phân nhóm khách hàng"),
    "consent.channel.in_person": ("in person", "trực tiếp"),
    "consent.channel.phone": ("phone", "điện thoại"),
    "consent.channel.email": ("e-mail", "e-mail"),
    "consent.channel.sms": ("SMS", "SMS"),
    "consent.channel.web": ("web form", "biểu mẫu web"),
    "consent.channel.paper": ("paper form", "phiếu giấy"),
    "consent.channel.other": ("other", "khác"),
}
