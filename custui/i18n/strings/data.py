"""Messages of the import, export and report commands."""

STRINGS: dict[str, tuple[str, str]] = {
    "data.import.progress": ("Importing {table}", "Đang nhập {table}"),
    "data.import.summary": (
        "{table}: {read:plural:row|rows} read, {created} created, {updated} updated, {unchanged} unchanged, "
        "{skipped} skipped",
        "{table}: đọc {read} dòng, tạo mới {created}, cập nhật {updated}, không đổi {unchanged}, "
        "bỏ qua {skipped}",
    ),
    "data.import.customers_created": (
        "{count:plural:new customer|new customers} created for unknown codes",
        "đã tạo {count:count} khách hàng mới cho các mã chưa có",
    ),
    "data.import.dry_run": ("Dry run: nothing was written.", "Chạy thử: chưa ghi gì."),
    "data.import.review_needs_dry_run": ("--review goes with --dry-run", "--review dùng cùng --dry-run"),
    "data.import.review_written": ("What each of the {rows} rows would do: {path}",
                                   "Việc sẽ làm với từng dòng ({rows} dòng): {path}"),
    "data.import.nothing_written": ("Nothing was written.", "Chưa ghi gì."),
    "data.import.ignored": ("Ignored columns: {columns}", "Các cột bỏ qua: {columns}"),
    "data.import.refused_1": (
        "1 bad row: nothing was written. Fix it, or use --skip-bad to import the rest.",
        "1 dòng lỗi: chưa ghi gì. Hãy sửa, hoặc dùng --skip-bad để nhập các dòng còn lại.",
    ),
    "data.import.refused": (
        "{count:plural:bad row|bad rows}: nothing was written. Fix them, or use --skip-bad to import the rest.",
        "{count:count} dòng lỗi: chưa ghi gì. Hãy sửa, hoặc dùng --skip-bad để nhập các dòng còn lại.",
    ),
    "data.export.written": ("Written to {path}", "Đã ghi vào {path}"),
    "data.export.no_folder": ("Give the folder: custui export all DIR",
                              "Hãy cho biết thư mục: custui export all THƯ_MỤC"),
    "data.export.two_folders": ("Two folders given ({a} and {b}): give one",
                                "Có hai thư mục ({a} và {b}): chỉ cho một"),
    "data.export.no_segment": (
        "There is no segment {name!r}. Segments: {ids}",
        "Không có nhóm khách hàng {name!r}. Các nhóm: {ids}",
    ),
    "data.report.title": (
        "Period {start} to {end}, compared with {vs_start} to {vs_end}",
        "Kỳ {start} đến {end}, so với {vs_start} đến {vs_end}",
    ),
    "data.report.comparison": ("comparison", "kỳ so sánh"),
    "data.report.col.figure": ("Figure", "Chỉ số"),
    "data.report.col.period": ("Period", "Kỳ này"),
    "data.report.col.comparison": ("Comparison", "Kỳ so sánh"),
    "data.report.col.change": ("Change", "Thay đổi"),
    "data.report.active": ("Active customers", "Khách đang mua"),
    "data.report.new": ("New customers", "Khách mới"),
    "data.report.retained": ("Retained", "Giữ chân được"),
    "data.report.retention_rate": ("Retention rate", "Tỷ lệ giữ chân"),
    "data.report.churn_rate": ("Churn rate", "Tỷ lệ rời bỏ"),
    "data.report.revenue": ("Revenue", "Doanh thu"),
    "data.report.orders": ("Orders", "Số đơn"),
    "data.report.avg_order_value": ("Average order value", "Giá trị đơn trung bình"),
    "data.report.top20_revenue_share": ("Revenue from top 20 %", "Doanh thu từ 20 % khách hàng đầu"),
    "data.report.nps": ("NPS", "NPS"),
    "data.report.by_lifecycle": ("Revenue share by lifecycle:", "Tỷ trọng doanh thu theo vòng đời:"),
    "data.report.by_category": ("Complaints by category:", "Khiếu nại theo loại:"),
}
