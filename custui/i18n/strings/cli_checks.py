"""Messages for CLI input the commands refuse before touching anything."""

STRINGS: dict[str, tuple[str, str]] = {
    "db.is_dir": (
        "{path} is a folder, not a database file. Give the path of a .json file (or a postgresql:// URL).",
        "{path} là một thư mục, không phải tệp cơ sở dữ liệu. Hãy chỉ đường dẫn tới một tệp .json (hoặc URL postgresql://).",
    ),
    "config.dir_missing": (
        "Config folder {path} ({source}) does not exist. Create it with: custui config init {path}",
        "Thư mục cấu hình {path} ({source}) không tồn tại. Tạo bằng: custui config init {path}",
    ),
    "config.dir_not_dir": (
        "Config folder {path} ({source}) is a file, not a folder.",
        "Thư mục cấu hình {path} ({source}) là một tệp, không phải thư mục.",
    ),
    "backup.cannot_write": (
        "Cannot write the backup to {path}: {reason}",
        "Không ghi được bản sao lưu vào {path}: {reason}",
    ),
    "output.unsafe": (
        "{path} is {what}: give a new file name or an existing regular file.",
        "{path} là {what}: hãy cho một tên tệp mới hoặc một tệp thường đã có.",
    ),
    "output.no_folder": (
        "Cannot write {path}: the folder {folder} does not exist.",
        "Không ghi được {path}: thư mục {folder} không tồn tại.",
    ),
}
