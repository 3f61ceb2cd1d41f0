"""Strings of the purchase form, the void prompt and the profile's loyalty panel."""

STRINGS: dict[str, tuple[str, str]] = {
    # the purchase form
    "purchase.title_new": ("New purchase · {name} ({code})", "Ghi đơn hàng · {name} ({code})"),
    "purchase.title_fix": ("Correct order #{id} · {name} ({code})", "Sửa đơn #{id} · {name} ({code})"),
    "purchase.field.date": ("Date", "Ngày"),
    "purchase.field.total": ("Total", "Tổng tiền"),
    "purchase.field.items": ("Items / note", "Hàng / ghi chú"),
    "purchase.field.channel": ("Channel", "Kênh"),
    "purchase.field.promo": ("Bought on promotion", "Mua khi khuyến mãi"),
    "purchase.field.voucher": ("Voucher", "Phiếu quà tặng"),
    "purchase.field.points": ("Points to use", "Dùng điểm"),
    "purchase.ph.total": ("e.g. 1.250.000 or 1,25tr", "ví dụ 1.250.000 hoặc 1,25tr"),
    "purchase.ph.total_cents": ("e.g. 12.50", "ví dụ 12.50"),
    "purchase.ph.date": ("today, 2026-11-26 or 26/11/2026", "hôm nay, 26/11/2026 hoặc 2026-11-26"),
    "purchase.ph.points": ("0", "0"),
    "purchase.no_voucher": ("No voucher", "Không dùng phiếu"),
    "purchase.voucher_option": ("#{id} {value} · until {date}", "#{id} {value} · đến {date}"),
    "purchase.no_vouchers": ("No voucher to use", "Không có phiếu để dùng"),
    "purchase.keys": (
        "Tab next · Ctrl+S save · Esc cancel",
        "Tab sang ô sau · Ctrl+S lưu · Esc hủy",
    ),
    "purchase.save": ("Save", "Lưu"),
    "purchase.cancel": ("Cancel", "Hủy"),
    "purchase.discard": ("Discard this purchase?", "Bỏ đơn hàng đang nhập?"),
    "purchase.saving": ("Saving…", "Đang lưu…"),
    # asked before saving (services.purchase_guard); y/Enter saves, n/Esc back to the form
    "purchase.ask.unusual": (
        "{amount} is {ratio}× this shop's usual largest orders ({usual}). Save anyway?",
        "{amount} gấp {ratio} lần các đơn lớn thường thấy của cửa hàng ({usual}). Vẫn lưu?",
    ),
    "purchase.ask.double": (
        "Order #{id} of {amount} was recorded for this customer at {time}, under {minutes} minutes "
        "ago. Save this one too (not a double entry)?",
        "Đơn #{id} {amount} của khách này vừa ghi lúc {time}, chưa đến {minutes} phút trước. "
        "Vẫn lưu thêm đơn này (không phải ghi trùng)?",
    ),
    "purchase.ask.title": ("Check before saving", "Kiểm tra trước khi lưu"),
    "purchase.ask.save": ("Save", "Lưu"),
    "purchase.ask.back": ("Back to the form", "Quay lại đơn"),
    # errors shown next to a field
    "purchase.err.total_empty": ("Enter the total.", "Hãy nhập tổng tiền."),
    "purchase.err.total_bad": (
        "Not an amount: write 1250000, 1.250.000 or 1,25tr.",
        "Không phải số tiền: viết 1250000, 1.250.000 hoặc 1,25tr.",
    ),
    "purchase.err.total_bad_cents": (
        "Not an amount: write 12.50 or 1,250.00.",
        "Không phải số tiền: viết 12.50 hoặc 1,250.00.",
    ),
    "purchase.err.date_bad": (
        "Not a date: write 2026-11-26 or 26/11/2026.",
        "Không phải ngày: viết 26/11/2026 hoặc 2026-11-26.",
    ),
    "purchase.err.points_bad": ("Points are a whole number, e.g. 150.", "Số điểm là số nguyên, ví dụ 150."),
    "purchase.err.fix": ("Fix the marked fields first.", "Hãy sửa các ô được đánh dấu trước."),
    # the live preview
    "purchase.preview.title": ("If saved", "Khi lưu"),
    "purchase.preview.waiting": ("Type the total to see points and vouchers.",
                                 "Nhập tổng tiền để xem điểm và phiếu quà tặng."),
    "purchase.preview.points": ("Points", "Điểm"),
    "purchase.preview.points_text": (
        "+{earned} earned{used} · balance {before} → {after}",
        "+{earned} điểm{used} · số dư {before} → {after}",
    ),
    "purchase.preview.points_used": (", {used} used (max {max})", ", dùng {used} (tối đa {max})"),
    "purchase.preview.points_max": (" · up to {max} usable", " · dùng được tối đa {max}"),
    "purchase.preview.base": ("Earned on", "Tính điểm trên"),
    "purchase.preview.base_paid": ("{amount} paid (total less voucher and points)",
                                   "{amount} khách trả (tổng trừ phiếu và điểm)"),
    "purchase.preview.base_total": ("{amount} order total (before voucher and points)",
                                    "{amount} tổng đơn (trước phiếu và điểm)"),
    "purchase.preview.vouchers": ("Vouchers", "Phiếu"),
    "purchase.preview.no_vouchers": ("none triggered", "không có phiếu mới"),
    "purchase.preview.voucher": ("{name}: {value}, until {date}", "{name}: {value}, đến {date}"),
    "purchase.preview.referral": ("the referrer is rewarded", "người giới thiệu được thưởng"),
    "purchase.preview.tier": ("Tier", "Hạng"),
    "purchase.preview.tier_same": ("{tier} (no change)", "{tier} (không đổi)"),
    "purchase.preview.tier_up": ("{before} → {after} ▲ up", "{before} → {after} ▲ lên hạng"),
    "purchase.preview.tier_down": ("{before} → {after} ▼ down", "{before} → {after} ▼ xuống hạng"),
    "purchase.preview.due": ("Amount due", "Cần thu"),
    "purchase.preview.due_off": ("{due} ({off} off)", "{due} (đã giảm {off})"),
    # after saving
    "purchase.saved": (
        "Order saved: {total}, +{points:plural:point|points}.",
        "Đã lưu đơn hàng: {total}, +{points:count} điểm.",
    ),
    "purchase.saved_vouchers": (" New voucher: {vouchers}.", " Phiếu mới: {vouchers}."),
    "purchase.corrected": ("Order #{id} corrected.", "Đã sửa đơn #{id}."),
    "purchase.is_void": ("Order #{id} is void and cannot be corrected.", "Đơn #{id} đã hủy, không sửa được."),
    "purchase.no_order_selected": ("Select an order first.", "Hãy chọn một đơn hàng trước."),
    "purchase.note_voucher": ("voucher #{id}", "phiếu #{id}"),
    # voiding
    "void.title": ("Void order #{id} · {date} · {total}", "Hủy đơn #{id} · {date} · {total}"),
    "void.explain": (
        "The order is kept, marked VOID with your reason. Its points no longer count and the "
        "unused vouchers it gave are revoked.",
        "Đơn hàng vẫn được giữ, đánh dấu ĐÃ HỦY kèm lý do. Điểm của đơn không còn được tính và "
        "các phiếu chưa dùng do đơn tạo ra bị thu hồi.",
    ),
    "void.reason": ("Reason", "Lý do"),
    "void.reason_ph": ("e.g. wrong amount, returned", "ví dụ nhập sai số tiền, khách trả hàng"),
    "void.confirm": ("Void order", "Hủy đơn"),
    "void.keys": ("Enter/ctrl+s void · Esc keep the order", "Enter/ctrl+s hủy đơn · Esc giữ lại"),
    "void.done": ("Order #{id} voided.", "Đã hủy đơn #{id}."),
    "void.mark": ("VOID", "ĐÃ HỦY"),
    "void.mark_reason": ("VOID: {reason}", "ĐÃ HỦY: {reason}"),
    # profile bindings
    "profile.void_order": ("Void order", "Hủy đơn"),
    "profile.correct_order": ("Correct order", "Sửa đơn"),
    # the loyalty panel
    "panel.tier": ("Tier", "Hạng"),
    "panel.points": ("Points", "Điểm"),
    "panel.expiry": ("{points:plural:expires|expire} on {date}", "{points:count} điểm hết hạn ngày {date}"),
    "panel.no_expiry": ("none expiring", "không có điểm sắp hết hạn"),
    "panel.vouchers": ("Vouchers", "Phiếu"),
    "panel.no_vouchers": ("none", "chưa có"),
    "panel.voucher_line": ("#{id} {value} · {state}", "#{id} {value} · {state}"),
    "panel.until": ("until {date}", "đến {date}"),
    "panel.more": ("+{count:count} more", "+{count:count} phiếu khác"),
    "panel.loading": ("Loading loyalty…", "Đang tải điểm và hạng…"),
}
