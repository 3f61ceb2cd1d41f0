"""Segment names and group titles (built-in segments, RFM groups)."""

STRINGS: dict[str, tuple[str, str]] = {
    # groups of segments, as headings
    "segments.group.lifecycle": ("Lifecycle", "Vòng đời"),
    "segments.group.kind": ("Kind", "Loại khách"),
    "segments.group.scope": ("Scope", "Phạm vi"),
    "segments.group.role": ("Role", "Vai trò"),
    "segments.group.tier": ("Loyalty tier", "Hạng thành viên"),
    "segments.group.frequency": ("Purchase frequency", "Tần suất mua"),
    "segments.group.aov": ("Average order value", "Giá trị đơn trung bình"),
    "segments.group.price": ("Price sensitivity", "Nhạy cảm về giá"),
    "segments.group.rfm": ("RFM", "RFM"),
    "segments.group.value": ("Value", "Giá trị"),
    "segments.group.custom": ("Custom", "Tự định nghĩa"),
    # built-in segments
    "segments.frequency.once": ("One order only", "Mới mua một lần"),
    "segments.price_sensitive": ("Price-sensitive", "Nhạy cảm về giá"),
    "segments.top_spenders": ("Top 20% by spend", "20% chi tiêu cao nhất"),
    "segments.high_value": ("High-value list", "Danh sách khách chi tiêu cao"),
    "segments.no_tier": ("No tier", "Chưa có hạng"),
    # RFM groups
    "segments.rfm.champions": ("Champions", "Khách xuất sắc"),
    "segments.rfm.loyal": ("Loyal (RFM)", "Trung thành (RFM)"),
    "segments.rfm.potential_loyalist": ("Potential loyalists", "Có thể thành trung thành"),
    "segments.rfm.new": ("New customers", "Khách mới"),
    "segments.rfm.at_risk": ("At risk", "Có nguy cơ rời bỏ"),
    "segments.rfm.cannot_lose": ("Cannot lose them", "Không thể để mất"),
    "segments.rfm.hibernating": ("Hibernating", "Ngủ đông"),
    "segments.rfm.lost": ("Lost", "Đã mất"),
}
