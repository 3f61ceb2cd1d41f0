STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("custui", "custui"),
    "app.quit": ("Quit", "Thoát"),
    "app.help": ("Help", "Trợ giúp"),
    "app.palette": ("Commands", "Lệnh"),
    "app.palette_footer": ("palette", "lệnh"),  # the palette key at the footer's right
    "app.lookup": ("Lookup", "Tra cứu"),
    "app.read_only": ("READ-ONLY", "CHỈ ĐỌC"),
    "app.error": ("Something went wrong: {error}", "Đã xảy ra lỗi: {error}"),
    "lookup.search": ("Search", "Tìm"),
    "lookup.placeholder": (
        "Name, phone, code or email…", "Tên, số điện thoại, mã hoặc email…",
    ),
    "lookup.col.code": ("Code", "Mã"),
    "lookup.col.name": ("Name", "Tên"),
    "lookup.col.kind": ("Kind", "Loại"),
    "lookup.col.phone": ("Phone", "Điện thoại"),
    "lookup.col.tier": ("Tier", "Hạng"),
    "lookup.col.lifecycle": ("Lifecycle", "Vòng đời"),
    "lookup.col.last_order": ("Last order", "Mua gần nhất"),
    "lookup.col.spend": ("Spend", "Chi tiêu"),
    "lookup.col.last_month": ("Last", "Gần đây"),  # the last order's month (narrow terminal)
    "lookup.count": ("{shown} of {total:plural:customer|customers}", "{shown} / {total} khách hàng"),
    "lookup.none": ("No customer matches “{query}”.", "Không có khách hàng nào khớp “{query}”."),
    "lookup.open": ("Open", "Mở"),
    "lookup.focus_search": ("Search", "Tìm kiếm"),
}
