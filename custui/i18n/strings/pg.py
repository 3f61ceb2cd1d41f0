"""PostgreSQL store and `custui migrate` messages. URLs shown here always have the password masked."""

STRINGS: dict[str, tuple[str, str]] = {
    "pg.unreachable": (
        "Cannot connect to the database {url}: {reason}",
        "Không kết nối được cơ sở dữ liệu {url}: {reason}",
    ),
    "pg.bad_url": (
        "the URL cannot be read; write #, ?, / and @ in the password as %23, %3F, %2F and %40",
        "không đọc được URL; trong mật khẩu hãy viết #, ?, / và @ thành %23, %3F, %2F và %40",
    ),
    "pg.no_driver": (
        "PostgreSQL support is not installed: pip install 'custui[pg]'",
        "Chưa cài hỗ trợ PostgreSQL: pip install 'custui[pg]'",
    ),
    "pg.lost": (
        "Not saved: the connection to the database {url} was lost ({reason}). "
        "custui reconnects on the next try.",
        "Chưa lưu: mất kết nối tới cơ sở dữ liệu {url} ({reason}). "
        "custui sẽ kết nối lại ở lần thử sau.",
    ),
    "pg.failed": (
        "The database {url} refused the change: {reason}",
        "Cơ sở dữ liệu {url} từ chối thay đổi: {reason}",
    ),
    "pg.missing": (
        "{url} holds no custui database yet; create it with: custui init --db URL",
        "{url} chưa có cơ sở dữ liệu custui; tạo bằng: custui init --db URL",
    ),
    "pg.roles_failed": (
        "Could not set up the staff roles on {url}: {reason}. The role running custui init or "
        "migrate needs CREATEROLE (sudo -u postgres psql -c 'ALTER ROLE shop CREATEROLE').",
        "Không thiết lập được vai trò nhân viên trên {url}: {reason}. Vai trò chạy custui init "
        "hoặc migrate cần quyền CREATEROLE (sudo -u postgres psql -c 'ALTER ROLE shop CREATEROLE').",
    ),
    "pg.roles.not_pg": (
        "custui config db-roles works on a PostgreSQL database (--db postgresql://...)",
        "custui config db-roles chỉ dùng cho cơ sở dữ liệu PostgreSQL (--db postgresql://...)",
    ),
    "pg.roles.no_operators": (
        "no operators: in settings.yaml (see README, Staff roles)",
        "settings.yaml không có operators: (xem README, Staff roles)",
    ),
    "pg.exists": (
        "{url} already holds a custui database ({count:count} records); use --force to replace it "
        "(a JSON copy is kept first)",
        "{url} đã có cơ sở dữ liệu custui ({count:count} bản ghi); dùng --force để thay "
        "(một bản sao JSON được giữ trước)",
    ),
    "pg.too_new": (
        "{url} has PostgreSQL schema version {found}, newer than this custui supports ({supported}). "
        "Upgrade custui.",
        "{url} có phiên bản lược đồ PostgreSQL {found}, mới hơn phiên bản custui hỗ trợ "
        "({supported}). Hãy nâng cấp custui.",
    ),
    "pg.stale": (
        "Not saved: {what} was updated by another operator ({who}) at {at}: {fields}. "
        "Reload to see their changes; what you typed is kept.",
        "Chưa lưu: {what} vừa được người khác ({who}) cập nhật lúc {at}: {fields}. "
        "Tải lại để xem thay đổi; nội dung bạn đã nhập vẫn được giữ.",
    ),
    "pg.stale_question": (
        "Load their changes into the form? Fields you changed keep what you typed; "
        "the others show what was saved. Then check and save again.",
        "Nạp thay đổi của họ vào biểu mẫu? Các trường bạn đã sửa giữ nguyên nội dung bạn nhập; "
        "các trường khác hiện giá trị đã lưu. Sau đó kiểm tra và lưu lại.",
    ),
    "pg.stale_reload": ("Load their changes", "Nạp thay đổi"),
    "pg.stale_keep": ("Keep editing", "Tiếp tục sửa"),
    "pg.stale_title": ("Changed by another operator", "Người khác vừa thay đổi"),
    "pg.stale_theirs": (
        "You both changed this; they saved: {value}",
        "Cả hai cùng sửa trường này; họ đã lưu: {value}",
    ),
    "pg.stale_reloaded": (
        "Loaded their changes ({fields}); your typing is kept. Ctrl+S saves.",
        "Đã nạp thay đổi của họ ({fields}); nội dung bạn nhập được giữ. Ctrl+S để lưu.",
    ),
    "pg.stale_gone": ("This customer is no longer there.", "Khách hàng này không còn nữa."),
    "pg.changed_meanwhile": (
        "Another operator just saved this customer; saving will let you load their changes.",
        "Người khác vừa lưu khách hàng này; khi lưu bạn có thể nạp thay đổi của họ.",
    ),
    "pg.unknown_table": ("Unknown table {table}", "Bảng không tồn tại: {table}"),
    "migrate.same": (
        "--from and --to are the same database",
        "--from và --to là cùng một cơ sở dữ liệu",
    ),
    "migrate.not_empty": (
        "{target} already holds records ({count:count}); migrate only into an empty database",
        "{target} đã có dữ liệu ({count:count} bản ghi); chỉ chuyển vào cơ sở dữ liệu trống",
    ),
    "migrate.mismatch": (
        "Copy check failed in table {table}: {detail}",
        "Kiểm tra bản sao thất bại ở bảng {table}: {detail}",
    ),
    "migrate.done": (
        "Copied {total} records from {source} to {target} and checked every one.",
        "Đã chép {total} bản ghi từ {source} sang {target} và kiểm tra từng bản ghi.",
    ),
}
