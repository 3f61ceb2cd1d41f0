"""Strings for who is slipping away (P(alive)) and for messages to customers."""

STRINGS: dict[str, tuple[str, str]] = {
    # -- P(alive), the BG/NBD model ----------------------------------------------------------
    "alive.values": (
        "P(alive) {p} % · {expected} purchases expected in {days} d",
        "P(còn mua) {p} % · dự kiến {expected} lần mua trong {days} ngày",
    ),
    "alive.no_repeat": (
        "P(alive): needs a second purchase", "P(còn mua): cần lần mua thứ hai",
    ),
    "alive.too_little": (
        "P(alive): too little data ({repeat:plural:repeat customer|repeat customers}, {needed} needed); win-back uses recency",
        "P(còn mua): chưa đủ dữ liệu ({repeat} khách mua lại, cần {needed}); giữ chân theo lần mua cuối",
    ),
    "segments.at_risk": ("At risk of leaving", "Có nguy cơ rời bỏ"),
    # -- messages -------------------------------------------------------------------------------
    "msg.err.no_template": (
        "No message template for {purpose} in messages.yaml.", "Không có mẫu tin {purpose} trong messages.yaml.",
    ),
    "msg.err.no_purpose": (
        "This row has no message to send.", "Việc này không có tin nhắn để gửi.",
    ),
    "msg.refused": ("Not sent: {reason}.", "Không gửi: {reason}."),
    "msg.outcome.queued": ("queued", "chờ gửi"),
    "msg.outcome.sent": ("sent ({reply})", "đã gửi ({reply})"),
    "msg.outcome.refused": (
        "refused by the server, still queued: {reply}", "máy chủ từ chối, vẫn chờ gửi: {reply}",
    ),
    "msg.outcome.bounced": (
        "bounced: the recipient's server returned it ({reply})",
        "bị trả lại: máy chủ người nhận trả về ({reply})",
    ),
    "msg.bounced_mark": ("BOUNCED {summary}", "BỊ TRẢ LẠI {summary}"),
    "msg.cli.bounces": (
        "Recorded {recorded} bounce(s); {already} recorded before; {unmatched} not about a message custui sent.",
        "Đã ghi {recorded} thư bị trả lại; {already} đã ghi trước đó; {unmatched} không phải thư custui gửi.",
    ),
    "msg.cli.no_reports": (
        "{file}: no delivery report in it (save the bounce e-mails as .eml or a mailbox file)",
        "{file}: không có báo cáo gửi thư nào (lưu thư bị trả lại dạng .eml hoặc tệp hộp thư)",
    ),
    "msg.outcome.cancelled": ("not sent: {reason}", "không gửi: {reason}"),
    "msg.outcome.quiet": ("waiting for the end of quiet hours ({until})", "chờ hết giờ yên lặng ({until})"),
    "msg.unsubscribed": ("Unsubscribed from messages ({channel})", "Hủy nhận tin nhắn ({channel})"),
    "msg.err.row_id": ("row {row}: no queued message with id {id!r}", "dòng {row}: không có tin chờ gửi mã {id!r}"),
    "msg.err.row_done": ("row {row}: message {id} is not waiting any more", "dòng {row}: tin {id} không còn chờ gửi"),
    "msg.err.row_status": (
        "row {row}: status must be sent, failed or bounced, not {status!r}",
        "dòng {row}: trạng thái phải là sent, failed hoặc bounced, không phải {status!r}",
    ),
    "msg.title": ("Message to {name}", "Tin nhắn cho {name}"),
    "msg.to": ("To: {to}", "Đến: {to}"),
    "msg.subject": ("Subject: {subject}", "Tiêu đề: {subject}"),
    "msg.keys": (
        "Ctrl+S send · Esc cancel", "Ctrl+S gửi · Esc hủy",
    ),
    "msg.send": ("Send", "Gửi"),
    "msg.cancel": ("Cancel", "Hủy"),
    "msg.sending": ("Sending…", "Đang gửi…"),
    "msg.sent": ("Sent to {to}.", "Đã gửi tới {to}."),
    "msg.queued_failed": (
        "Not sent, kept in the outbox: {reply}", "Chưa gửi được, giữ trong hộp thư đi: {reply}",
    ),
    "msg.queued_quiet": (
        "Quiet hours: it goes at {until}.", "Giờ yên lặng: tin sẽ gửi lúc {until}.",
    ),
    "msg.campaign.plan": (
        "{receive} will receive it; {skipped_total} skipped ({skipped}).",
        "{receive} khách sẽ nhận; bỏ qua {skipped_total} ({skipped}).",
    ),
    "msg.campaign.done": (
        "Campaign: {sent} sent, {failed} kept in the outbox, {waiting} waiting for quiet hours to end.",
        "Chiến dịch: đã gửi {sent}, {failed} còn trong hộp thư đi, {waiting} chờ hết giờ yên lặng.",
    ),
    "care.message": ("Message", "Nhắn tin"),
    "profile.message": ("Message", "Nhắn tin"),
    "members.message": ("E-mail all", "Gửi e-mail"),
    "msg.pick": ("Which message?", "Gửi tin nào?"),
    "msg.purpose.thank_you": ("Thank you", "Cảm ơn"),
    "msg.purpose.feedback_request": ("Feedback request", "Xin ý kiến"),
    "msg.purpose.birthday": ("Birthday", "Sinh nhật"),
    "msg.purpose.win_back": ("Win-back offer", "Ưu đãi giữ chân"),
    "msg.purpose.complaint_resolved": ("Complaint resolved", "Đã giải quyết khiếu nại"),
    "msg.purpose.campaign": ("Campaign", "Chiến dịch"),
    "msg.campaign.title": ("E-mail campaign to {segment}", "Chiến dịch e-mail cho {segment}"),
    "msg.cli.recorded": ("Recorded: {sent} sent, {failed} failed, {bounced} bounced.",
                         "Đã ghi: {sent} đã gửi, {failed} lỗi, {bounced} bị trả lại."),
    "msg.empty": (
        "Left empty for this customer: {names} (no open voucher, tier or link).",
        "Để trống với khách này: {names} (không có phiếu quà, hạng hoặc đường dẫn).",
    ),
}
