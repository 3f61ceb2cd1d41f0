"""Names of screens and dialogs, as the help screen titles them."""

STRINGS: dict[str, tuple[str, str]] = {
    "help.screen.CareScreen": ("Today's care queue", "Việc chăm sóc hôm nay"),
    "help.screen.ComplaintsScreen": ("Complaints", "Khiếu nại"),
    "help.screen.SurveyResultsScreen": ("Survey results", "Kết quả khảo sát"),
    "help.screen.SurveyScreen": ("Survey", "Khảo sát"),
    "help.screen.SegmentsScreen": ("Segments", "Phân khúc"),
    "help.screen.SegmentMembersScreen": ("Segment members", "Thành viên phân khúc"),
    "help.screen.DashboardScreen": ("Dashboard", "Bảng điều khiển"),
    "help.screen.PurchaseModal": ("Purchase", "Đơn hàng"),
    "help.screen.VoidOrderModal": ("Void order", "Hủy đơn"),
    "help.screen.ComplaintModal": ("New complaint", "Khiếu nại mới"),
    "help.screen.ComplaintStatusModal": ("Complaint status", "Trạng thái khiếu nại"),
    "help.screen.InteractionModal": ("Interaction", "Tương tác"),
    "help.screen.CampaignModal": ("Campaign", "Chiến dịch"),
    "help.screen.FeedbackAnswersModal": ("Feedback answers", "Câu trả lời phản hồi"),
    "help.screen.PickCustomerModal": ("Pick a customer", "Chọn khách hàng"),
    "help.screen.ConfirmModal": ("Confirm", "Xác nhận"),
    "help.screen.DuplicateModal": ("Possible duplicate", "Có thể trùng"),
    "help.screen.ExportPathModal": ("Export", "Xuất"),
    "help.screen.PeriodModal": ("Period", "Khoảng thời gian"),
}
