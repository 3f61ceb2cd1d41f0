"""Messages of the database file store (open, init, backup, restore)."""

STRINGS: dict[str, tuple[str, str]] = {
    "db.exists": (
        "A database already exists at {path}. Use --force to replace it (a backup is kept).",
        "Đã có cơ sở dữ liệu tại {path}. Dùng --force để thay thế (bản sao lưu được giữ lại).",
    ),
}
