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
    "consent.left_out": (
        "{count} left out: no consent to be profiled or contacted for this.",
        "{count} khách bị bỏ qua: chưa đồng ý được phân nhóm hoặc liên hệ cho mục đích này.",
    ),
    "consent.title": ("Consent", "Đồng ý xử lý dữ liệu"),
    "consent.purpose": ("Purpose (1-3)", "Mục đích (1-3)"),
    "consent.answer": ("Answer (1-2)", "Trả lời (1-2)"),
    "consent.gives": ("gives consent", "đồng ý"),
    "consent.withdraws": ("withdraws consent", "rút lại đồng ý"),
    "consent.channel": ("How it was given (1-7)", "Cách ghi nhận (1-7)"),
    "consent.note": ("Note (optional)", "Ghi chú (không bắt buộc)"),
    "consent.keys": ("Digits pick · Tab next · ctrl+s save · Esc cancel",
                     "Số để chọn · Tab tiếp · ctrl+s lưu · Esc huỷ"),
    "consent.save": ("Save", "Lưu"),
    "consent.saved_yes": ("Consent recorded: {purpose}", "Đã ghi nhận đồng ý: {purpose}"),
    "consent.saved_no": ("Consent withdrawn: {purpose}", "Đã ghi nhận rút lại đồng ý: {purpose}"),
    "consent.heading": ("Consent", "Đồng ý xử lý dữ liệu"),
    "consent.state.yes": ("yes", "có"),
    "consent.state.no": ("no", "không"),
    "consent.state.never": ("never asked", "chưa hỏi"),
    "consent.state.legacy": ("(old \"agrees to be contacted\" box)", "(ô \"đồng ý được liên hệ\" cũ)"),
    "consent.state.line": ("{answer} · {at} · {channel} · by {who}", "{answer} · {at} · {channel} · bởi {who}"),
    "profile.consent": ("Consent", "Đồng ý"),
    "profile.audit.consent": ("consent", "đồng ý"),
    "customer.field.consent.marketing": ("Consent: marketing", "Đồng ý: tiếp thị"),
    "customer.field.consent.survey": ("Consent: surveys", "Đồng ý: khảo sát"),
    "customer.field.consent.profiling": ("Consent: profiling", "Đồng ý: phân nhóm"),
    "privacy.err.no_customer": ("No customer has the code {code}.", "Không có khách hàng mã {code}."),
    "privacy.err.already": ("{code} was already forgotten.", "{code} đã được xoá dữ liệu trước đó."),
    "privacy.exported": ("Wrote everything held about {code} ({rows} records) to {path}",
                         "Đã ghi toàn bộ dữ liệu về {code} ({rows} bản ghi) vào {path}"),
    "privacy.forget.needs_yes": (
        "custui customer forget asks twice at a terminal; in a script add --yes.",
        "custui customer forget hỏi lại hai lần ở terminal; trong script hãy thêm --yes.",
    ),
    "privacy.forget.warning": (
        "Forget {code} {name}: their name, phones, e-mail, address, birthday, notes and free-text "
        "answers are replaced by \"(forgotten)\". Orders, amounts, dates and ratings stay, so the "
        "shop's figures do not change. This cannot be undone, except by restoring a backup made "
        "before now.",
        "Xoá dữ liệu {code} {name}: tên, số điện thoại, e-mail, địa chỉ, ngày sinh, ghi chú và câu "
        "trả lời tự do được thay bằng \"(forgotten)\". Đơn hàng, số tiền, ngày và điểm đánh giá được "
        "giữ nên số liệu của cửa hàng không đổi. Không thể hoàn tác, trừ khi khôi phục bản sao lưu "
        "trước thời điểm này.",
    ),
    "privacy.forget.ask1": ("Forget this customer for good?", "Xoá vĩnh viễn dữ liệu khách này?"),
    "privacy.forget.ask2": ("To confirm, type the code {code}", "Để xác nhận, hãy gõ mã {code}"),
    "privacy.forget.kept": ("Nothing changed: {code} is kept.", "Không thay đổi gì: giữ nguyên {code}."),
    "privacy.forget.done": ("Forgotten: {code} by {who}. Records changed: {detail}.",
                            "Đã xoá dữ liệu: {code} bởi {who}. Bản ghi thay đổi: {detail}."),
    "profile.export_data": ("Export personal data", "Xuất dữ liệu cá nhân"),
    "profile.forget": ("Forget customer", "Xoá dữ liệu khách"),
    "privacy.export_title": ("Everything held about {code}, as JSON", "Toàn bộ dữ liệu về {code}, dạng JSON"),
    "privacy.forget.ask_again": (
        "Last chance: forget {code} {name}? Only restoring a backup made before now brings it back.",
        "Lần cuối: xoá dữ liệu {code} {name}? Chỉ khôi phục bản sao lưu trước thời điểm này mới lấy lại được.",
    ),
    "privacy.forget.done_app": ("Forgotten: {code} (by {who}).", "Đã xoá dữ liệu: {code} (bởi {who})."),
}
