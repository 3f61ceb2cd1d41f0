"""Strings of purchases and loyalty: order validation, voucher states, tier progress."""

STRINGS: dict[str, tuple[str, str]] = {
    # validation of a purchase
    "loyalty.err.no_customer": ("There is no customer #{id}.", "Không có khách hàng #{id}."),
    "loyalty.err.archived": (
        "{name} is archived: restore the customer before recording a purchase.",
        "{name} đã được lưu trữ: hãy khôi phục khách hàng trước khi ghi đơn hàng.",
    ),
    "loyalty.err.total": ("The total must be more than zero.", "Tổng tiền phải lớn hơn 0."),
    "loyalty.err.future": (
        "The date {date} is after today ({today}).",
        "Ngày {date} sau ngày hôm nay ({today}).",
    ),
    "loyalty.err.points_negative": (
        "Points to redeem cannot be negative.",
        "Số điểm dùng không được âm.",
    ),
    "loyalty.err.points_balance": (
        "Only {available} points can be redeemed on this order ({asked} asked).",
        "Đơn hàng này chỉ được dùng tối đa {available} điểm (đã nhập {asked}).",
    ),
    "loyalty.err.voucher_missing": ("There is no voucher #{id}.", "Không có phiếu quà tặng #{id}."),
    "loyalty.err.voucher.not_owner": (
        "Voucher #{id} belongs to another customer.",
        "Phiếu #{id} thuộc về khách hàng khác.",
    ),
    "loyalty.err.voucher.used": ("Voucher #{id} was already used.", "Phiếu #{id} đã được sử dụng."),
    "loyalty.err.voucher.expired": (
        "Voucher #{id} expired on {date}.",
        "Phiếu #{id} đã hết hạn ngày {date}.",
    ),
    "loyalty.err.voucher.void": ("Voucher #{id} was revoked.", "Phiếu #{id} đã bị thu hồi."),
    "loyalty.err.voucher.not_yet": (
        "Voucher #{id} was only issued on {date}, after this order.",
        "Phiếu #{id} chỉ được phát hành ngày {date}, sau đơn hàng này.",
    ),
    "loyalty.err.voucher.own_order": (
        "Voucher #{id} was issued by this order and cannot pay for it.",
        "Phiếu #{id} do chính đơn hàng này tạo ra, không dùng cho nó được.",
    ),
    "loyalty.err.no_order": ("There is no order #{id}.", "Không có đơn hàng #{id}."),
    "loyalty.err.order_void": (
        "Order #{id} is void and cannot be changed.",
        "Đơn hàng #{id} đã hủy, không thể sửa.",
    ),
    "loyalty.err.void_reason": (
        "Give a reason for voiding the order.",
        "Hãy nhập lý do hủy đơn hàng.",
    ),
    # reasons stored on revoked vouchers
    "loyalty.revoked.order_void": ("order #{id} voided: {reason}", "đơn #{id} bị hủy: {reason}"),
    "loyalty.revoked.order_changed": (
        "order #{id} corrected: no longer qualifies",
        "đơn #{id} được sửa: không còn đủ điều kiện",
    ),
    "loyalty.revoked.referral_moved": (
        "the referred customer's first order changed",
        "đơn đầu tiên của khách được giới thiệu đã thay đổi",
    ),
    # voucher states and names
    "loyalty.state.active": ("Active", "Còn hiệu lực"),
    "loyalty.state.used": ("Used", "Đã dùng"),
    "loyalty.state.expired": ("Expired", "Hết hạn"),
    "loyalty.state.void": ("Revoked", "Đã thu hồi"),
    "loyalty.voucher.referral": ("Referral reward", "Thưởng giới thiệu"),
    "loyalty.voucher.other": ("Voucher ({rule})", "Phiếu ({rule})"),
    "loyalty.voucher.percent": ("{percent}% off", "Giảm {percent}%"),
    "loyalty.voucher.amount": ("{amount} off", "Giảm {amount}"),
    # tier progress ("2.300.000 ₫ more to Gold by 31/03/2027")
    "loyalty.progress.spend": ("{amount} more to {tier} by {date}", "Thêm {amount} để lên {tier} trước {date}"),
    "loyalty.progress.orders": (
        "{count} more orders to {tier} by {date}",
        "Thêm {count} đơn để lên {tier} trước {date}",
    ),
    "loyalty.progress.both": (
        "{amount} and {count} more orders to {tier} by {date}",
        "Thêm {amount} và {count} đơn để lên {tier} trước {date}",
    ),
    "loyalty.progress.either": (
        "{amount} or {count} more orders to {tier} by {date}",
        "Thêm {amount} hoặc {count} đơn để lên {tier} trước {date}",
    ),
    "loyalty.progress.top": ("Top tier", "Hạng cao nhất"),
    "loyalty.tier.none": ("No tier", "Chưa có hạng"),
    "loyalty.tier.holds_until": ("{tier} until {date}", "{tier} đến {date}"),
}
