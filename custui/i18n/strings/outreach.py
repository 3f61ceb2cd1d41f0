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
        "P(alive): too little data ({repeat} repeat customers, {needed} needed); win-back uses recency",
        "P(còn mua): chưa đủ dữ liệu ({repeat} khách mua lại, cần {needed}); giữ chân theo lần mua cuối",
    ),
    "segments.at_risk": ("At risk of leaving", "Có nguy cơ rời bỏ"),
}
