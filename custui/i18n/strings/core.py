STRINGS: dict[str, tuple[str, str]] = {
    # limits every form and command shares (custui.domain.dates, custui.domain.money)
    "input.err.date_range": (
        "{value}: custui works with the years {low} to {high} only.",
        "{value}: custui chỉ làm việc với các năm từ {low} đến {high}.",
    ),
    "input.err.amount_too_large": (
        "Too large: at most {largest}.", "Quá lớn: tối đa {largest}.",
    ),
    # enums shown in tables and selects
    "kind.individual": ("Individual", "Cá nhân"),
    "kind.business": ("Business", "Doanh nghiệp"),
    "scope.external": ("External", "Bên ngoài"),
    "scope.internal": ("Internal", "Nội bộ"),
    "role.end_user": ("End user", "Người dùng cuối"),
    "role.buyer": ("Buyer", "Người mua"),
    "role.agent": ("Agent", "Đại lý"),
    "role.supplier": ("Supplier", "Nhà cung cấp"),
    "role.department": ("Internal dept.", "Phòng ban nội bộ"),
    "lifecycle.potential": ("Potential", "Tiềm năng"),
    "lifecycle.current": ("Current", "Hiện tại"),
    "lifecycle.loyal": ("Loyal", "Trung thành"),
    "lifecycle.lapsed": ("Lapsed", "Đã rời bỏ"),
    "lifecycle.pending": ("…", "…"),
    # messages
    "db.locked": (
        "Database {path} is in use by another custui ({owner}). Close it first, or open read-only with --read-only.",
        "Cơ sở dữ liệu {path} đang được custui khác dùng ({owner}). Hãy đóng nó trước, hoặc mở chỉ đọc với --read-only.",
    ),
    "db.missing": (
        "No database at {path}. Create one with: custui init --db {path}",
        "Không có cơ sở dữ liệu tại {path}. Tạo mới bằng: custui init --db {path}",
    ),
    "db.corrupt": (
        "Database {path} cannot be read ({reason}). It was not changed. Newest good backup: {backup}",
        "Không đọc được cơ sở dữ liệu {path} ({reason}). Tệp không bị thay đổi. Bản sao lưu tốt gần nhất: {backup}",
    ),
    "db.journal_damaged": (
        "Journal {journal} is damaged at byte {offset} ({reason}). Nothing was changed. "
        "Newest good backup: {backup}",
        "Nhật ký {journal} bị hỏng tại byte {offset} ({reason}). Không có gì bị thay đổi. "
        "Bản sao lưu tốt gần nhất: {backup}",
    ),
    "db.no_backup": ("none", "không có"),
    "db.disk_full": ("no space left on the disk", "ổ đĩa đã hết chỗ trống"),
    "db.not_saved": (
        "Not saved: {reason} ({path}). Nothing was lost; free some space and save again.",
        "Chưa lưu: {reason} ({path}). Không mất dữ liệu nào; hãy giải phóng chỗ trống rồi lưu lại.",
    ),
    "db.bulk_not_saved": (
        "Not saved: {reason} Nothing of this change was kept; the database is as it was.",
        "Chưa lưu: {reason} Không thay đổi nào được giữ; cơ sở dữ liệu vẫn như trước.",
    ),
    "db.compact_failed": (
        "Could not rewrite {path}: {reason}. Every saved change is kept in {journal} and goes "
        "into the file at the next open once there is room.",
        "Không ghi lại được {path}: {reason}. Mọi thay đổi đã lưu vẫn nằm trong {journal} và sẽ "
        "được đưa vào tệp ở lần mở sau khi có đủ chỗ trống.",
    ),
    "db.too_new": (
        "Database {path} has schema version {found}, newer than this custui understands ({supported}). Upgrade custui.",
        "Cơ sở dữ liệu {path} có phiên bản lược đồ {found}, mới hơn bản custui này hỗ trợ ({supported}). Hãy nâng cấp custui.",
    ),
    "db.read_only": ("Read-only session: changes are not saved.", "Phiên chỉ đọc: thay đổi không được lưu."),
}
