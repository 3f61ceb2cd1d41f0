"""Deterministic demo data: customers, orders, feedback, complaints and interactions.

Same seed and `today`, same documents: everything is drawn from one
random.Random(seed), and the clock is never read. Customers are shaped after the
shipped lifecycle thresholds (loyal: 5 orders in 365 days; lapsed: 180 days
without one) so every lifecycle group appears.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from custui.domain.enums import INTERACTION_TYPES
from custui.domain.text import fold, normalize_phone
from custui.store.base import Doc, Store

HISTORY_DAYS = 730
HOSTILE_NAME = "[b]Eve[/]"
HOSTILE_INDEX = 2  # the third customer, present at any size ≥ 3
_HANDLE_JUNK = re.compile(r"[^a-z0-9.]")

FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
    ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1),
    ("Lý", 1),
)
MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Gia")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Bảo", "Phương")
GIVEN_M = ("Đức", "Hùng", "Dũng", "Tuấn", "Nam", "Minh", "Long", "Phong", "Quân", "Khoa", "Huy",
           "Sơn", "Thắng", "Trung", "Bảo", "Hiếu", "Khánh", "Lộc")
GIVEN_F = ("Ánh", "Lan", "Hương", "Mai", "Linh", "Trang", "Hà", "Ngọc", "Thảo", "Yến", "Phương",
           "Nhung", "Hạnh", "Dung", "Vy", "Châu", "Tuyết", "Oanh")
EN_FIRST_M = ("James", "Michael", "Daniel", "Thomas", "José", "André", "Liam", "Noah")
EN_FIRST_F = ("Emily", "Olivia", "Sophie", "Chloé", "Zoë", "Renée", "Anna", "Mia")
EN_LAST = ("Smith", "Johnson", "Brown", "O'Neill", "Müller", "García", "Taylor", "Wilson",
           "Nguyen", "Lefèvre")
BUSINESS_WORDS = ("Minh Phát", "Hòa Bình", "Sao Việt", "Phú Thịnh", "Đại Nam", "An Khang",
                  "Hưng Thịnh", "Tân Phú", "Thành Công", "Việt Tiến", "Bình Minh", "Kim Long",
                  "Hải Âu", "Trường Sơn", "Đông Á", "Ánh Dương")
BUSINESS_TRADES = ("Thương mại", "Xây dựng", "Dịch vụ", "Công nghệ", "Thực phẩm", "Vận tải",
                   "Nội thất", "Du lịch")
BUSINESS_FORMS: tuple[Callable[[str, str], str], ...] = (
    lambda trade, name: f"Công ty TNHH {trade} {name}",
    lambda trade, name: f"Công ty Cổ phần {name}",
    lambda trade, name: f"{fold(name).title().replace(' ', '')} JSC",
    lambda trade, name: f"Công ty TNHH MTV {name}",
    lambda trade, name: f"Cửa hàng {name}",
    lambda trade, name: f"{fold(name).title()} Co., Ltd.",
)
DEPARTMENTS = ("Phòng Kế toán", "Phòng Nhân sự", "Phòng Kinh doanh", "Phòng Marketing",
               "Phòng Kỹ thuật", "Bộ phận Kho vận", "Phòng Hành chính", "IT Support")
REGIONS = (
    ("Hà Nội", 25), ("TP. Hồ Chí Minh", 30), ("Đà Nẵng", 8), ("Hải Phòng", 6), ("Cần Thơ", 5),
    ("Bình Dương", 5), ("Đồng Nai", 4), ("Khánh Hòa", 3), ("Thừa Thiên Huế", 3), ("Nghệ An", 3),
    ("Quảng Ninh", 3), ("Lâm Đồng", 2),
)
STREETS = ("Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt",
           "Phan Đình Phùng", "Điện Biên Phủ", "Võ Văn Tần", "Bạch Đằng", "Hoàng Diệu")
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035",
                  "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082",
                  "083", "084", "085", "086", "088", "089")
MAIL_HOSTS = ("gmail.com", "yahoo.com", "outlook.com", "fpt.vn", "vnn.vn")
SOURCES = (("walk_in", 20), ("website", 15), ("social", 20), ("email", 5), ("ads", 10),
           ("search", 10), ("event", 5), ("referral", 10), ("bought_data", 3), ("other", 2))
INCOME = ("low", "middle", "upper_middle", "high")
NEEDS = ("Quà tặng cho gia đình", "Đồ dùng văn phòng", "Thiết bị gia dụng", "Mỹ phẩm",
         "Office supplies in bulk", "Gifts for staff", "Đồ điện tử", "Nội thất")
ITEMS = ("Áo sơ mi", "Giày thể thao", "Nồi cơm điện", "Máy lọc nước", "Bình giữ nhiệt",
         "Tai nghe", "Sữa rửa mặt", "Bàn làm việc", "Ghế xoay", "Quạt điện", "Gift set",
         "Bộ chăn ga", "Máy xay sinh tố", "Laptop bag", "Trà ô long", "Cà phê hạt")
CHANNELS = ("store", "phone", "online")
# ids as in the shipped config/care.yaml
CATEGORIES = (
    "product_quality", "wrong_information", "staff_attitude", "transaction", "unclear_policy",
    "after_sales",
)
SEVERITY_HOURS = (("low", 72), ("medium", 24), ("high", 4))
COMPLAINT_TEXT = {
    "product_quality": "Sản phẩm không đúng như quảng cáo",
    "wrong_information": "Giá trên web khác giá tại cửa hàng",
    "staff_attitude": "Nhân viên trả lời chậm, thiếu hiểu biết",
    "transaction": "Giao hàng trễ, thiếu một món",
    "unclear_policy": "Chính sách đổi trả không rõ ràng",
    "after_sales": "Bảo hành chậm, chưa có lịch sửa chữa",
}
COMMENTS = ("Hài lòng, sẽ quay lại.", "Nhân viên rất nhiệt tình!", "Giao hàng hơi chậm.",
            "Great service, thank you.", "Giá hơi cao so với chất lượng.", "Đóng gói cẩn thận.",
            "Cần cải thiện chính sách đổi trả.", "")
INTERACTION_TEXT = {
    "call": ("Gọi điện hỏi thăm sau mua hàng", "reached"),
    "email": ("Gửi email giới thiệu sản phẩm mới", "sent"),
    "sms": ("SMS: voucher giảm 20% cho lần mua sau", "sent"),
    "meeting": ("Gặp trao đổi hợp đồng cung cấp", "follow_up"),
    "note": ("Khách thích liên hệ buổi sáng", ""),
    "gift": ("Tặng quà tri ân khách hàng thân thiết", "thanked"),
}
# archetype, weight: shapes order history after the lifecycle thresholds
ARCHETYPES = (("potential", 8), ("lapsed", 17), ("current", 45), ("loyal", 30))


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    names = [name for name, _ in pairs]
    cumulative, total = [], 0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return names, cumulative


class _Gen:
    """Draws every value from one Random so the output depends on the seed alone."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        # ISO day strings by days-before-today, built once
        self.days = [(today - timedelta(days=k)).isoformat() for k in range(HISTORY_DAYS + 400)]
        self.family = _weighted(FAMILY)
        self.regions = _weighted(REGIONS)
        self.sources = _weighted(SOURCES)
        self.archetypes = _weighted(ARCHETYPES)

    def pick(self, table: tuple[list[str], list[int]]) -> str:
        names, cumulative = table
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def stamp(self, days_ago: int) -> str:
        rng = self.rng
        return f"{self.days[days_ago]}T{rng.randrange(8, 21):02d}:{rng.randrange(60):02d}:00"

    # -- people --------------------------------------------------------------------------
    def person_name(self) -> tuple[str, str]:
        rng = self.rng
        female = rng.random() < 0.52
        gender = "female" if female else "male"
        if rng.random() < 0.12:
            first = rng.choice(EN_FIRST_F if female else EN_FIRST_M)
            return f"{first} {rng.choice(EN_LAST)}", gender
        middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        return f"{self.pick(self.family)} {middle} {given}", gender

    def business_name(self) -> str:
        rng = self.rng
        return rng.choice(BUSINESS_FORMS)(rng.choice(BUSINESS_TRADES), rng.choice(BUSINESS_WORDS))

    def phone(self) -> str:
        rng = self.rng
        digits = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
        style = rng.randrange(5)
        if style == 0:
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
        if style == 1:
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        if style == 2:
            return f"+84 {digits[1:3]} {digits[3:6]} {digits[6:]}"
        if style == 3:
            return f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"
        return digits

    def customer(self, index: int, code: str) -> tuple[Doc, str]:
        """A customer doc (without id) and its archetype."""
        rng = self.rng
        archetype = self.pick(self.archetypes)
        roll = rng.random()
        if roll < 0.06:
            scope, kind, role = "internal", "business", "department"
            name, gender = rng.choice(DEPARTMENTS), ""
        elif roll < 0.08:
            scope, kind, role = "internal", "individual", "department"
            name, gender = self.person_name()
        elif roll < 0.30:
            scope, kind = "external", "business"
            role = rng.choice(("buyer", "buyer", "agent", "supplier", "end_user"))
            name, gender = self.business_name(), ""
        else:
            scope, kind = "external", "individual"
            role = "end_user" if rng.random() < 0.7 else rng.choice(("buyer", "agent", "supplier"))
            name, gender = self.person_name()
        if index == HOSTILE_INDEX:
            name, gender, kind, scope, role = HOSTILE_NAME, "female", "individual", "external", "end_user"
        phone = self.phone() if rng.random() < 0.95 else ""
        handle = _HANDLE_JUNK.sub("", fold(name).replace(" ", ".")) or "khach"
        email = f"{handle}{rng.randrange(1, 999)}@{rng.choice(MAIL_HOSTS)}" if rng.random() < 0.7 else ""
        birth_year = rng.randrange(1955, 2006) if kind == "individual" and rng.random() < 0.8 else None
        created_ago = rng.randrange(HISTORY_DAYS + 30, HISTORY_DAYS + 365)
        if archetype == "potential":
            created_ago = rng.randrange(0, HISTORY_DAYS)
        created = self.stamp(created_ago)
        doc: Doc = {
            "code": code, "name": name, "kind": kind, "scope": scope, "role": role,
            "phone": phone, "phone_norm": normalize_phone(phone), "email": email,
            "address": f"{rng.randrange(1, 300)} {rng.choice(STREETS)}",
            "region": self.pick(self.regions), "gender": gender, "birth_year": birth_year,
            "birthday": f"{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}" if birth_year else None,
            "income_band": rng.choice(INCOME) if kind == "individual" else "",
            "needs": rng.choice(NEEDS), "budget": "",
            "source": self.pick(self.sources) if scope == "external" else "other",
            "tags": ["vip"] if archetype == "loyal" and rng.random() < 0.3 else [],
            "consent_to_contact": rng.random() < 0.85,
            "status_override": None, "referred_by": None, "merged_into": None, "archived": False,
            "created_at": created, "updated_at": created,
        }
        return doc, archetype

    # -- orders --------------------------------------------------------------------------
    def order_days(self, archetype: str) -> list[int]:
        """Days-before-today of each order, shaped so the archetype is the lifecycle."""
        rng = self.rng
        randrange = rng.randrange
        if archetype == "potential":
            return []
        if archetype == "lapsed":
            return [randrange(200, HISTORY_DAYS) for _ in range(randrange(1, 9))]
        if archetype == "current":
            recent = [randrange(0, 170)] + [randrange(0, 360) for _ in range(randrange(0, 3))]
            return recent + [randrange(366, HISTORY_DAYS) for _ in range(randrange(0, 9))]
        # loyal: heavy-tailed order counts, at least 5 in the last year, one lately
        count = min(120, 6 + int(rng.paretovariate(1.6) * 6))
        recent_count = max(5, count // 2)
        return ([randrange(0, 45)] + [randrange(0, 360) for _ in range(recent_count - 1)]
                + [randrange(366, HISTORY_DAYS) for _ in range(count - recent_count)])


def generate_demo(store: Store, customers: int = 500, seed: int = 0, *, today: date) -> dict[str, int]:
    """Fill `store` with `customers` demo customers and their history; returns counts written."""
    gen = _Gen(seed, today)
    rng = gen.rng
    random_ = rng.random
    randrange = rng.randrange
    days = gen.days
    counts = dict.fromkeys(("customers", "orders", "feedback", "complaints", "interactions"), 0)
    first_code = store.count("customers") + 1
    insert = store.insert
    with store.batch():
        for index in range(customers):
            doc, archetype = gen.customer(index, f"C{first_code + index:06d}")
            if doc["source"] == "referral" and counts["customers"]:
                doc["referred_by"] = randrange(1, counts["customers"] + 1) + first_code - 1
            cid = insert("customers", doc)["id"]
            counts["customers"] += 1
            business = doc["kind"] == "business"
            median = 4_000_000 if business else 600_000
            promo_rate = random_() * 0.7
            channel_weights = (0.5, 0.2, 0.3) if random_() < 0.5 else (0.2, 0.2, 0.6)
            satisfaction = random_()
            for ago in sorted(gen.order_days(archetype), reverse=True):
                total = max(20_000, round(rng.lognormvariate(0, 0.8) * median, -3))
                stamp = f"{days[ago]}T{randrange(8, 21):02d}:{randrange(60):02d}:00"
                qty = 1 + int(random_() * random_() * 4)
                fields: Doc = {
                    "customer_id": cid, "date": days[ago], "total": int(total),
                    "items": f"{ITEMS[randrange(len(ITEMS))]} x{qty}",
                }
                promo = random_() < promo_rate
                fields["channel"] = rng.choices(CHANNELS, weights=channel_weights)[0]
                void = random_() < 0.01
                # lean records: fields at their default (no promo, no voucher, no points,
                # not void, never updated) are left out; readers use .get() with defaults.
                # Python dicts of up to 10 keys take half the memory of larger ones,
                # which is what keeps 1M orders within the memory goal.
                if promo:
                    fields["promo"] = True
                if void:
                    fields["void"] = True
                    fields["void_reason"] = "entered twice"
                fields["created_at"] = stamp
                order = insert("orders", fields)
                counts["orders"] += 1
                if random_() < 0.12:
                    _feedback(gen, insert, cid, order, satisfaction, ago)
                    counts["feedback"] += 1
                if random_() < 0.03 + 0.04 * (satisfaction < 0.2):
                    _complaint(gen, insert, cid, order, ago)
                    counts["complaints"] += 1
            for _ in range(int(random_() * 4)):
                _interaction(gen, insert, cid)
                counts["interactions"] += 1
    return counts


def _feedback(gen: _Gen, insert: Callable[[str, Doc], Doc], cid: int, order: Doc,
              satisfaction: float, ago: int) -> None:
    rng = gen.rng
    base = 2 + satisfaction * 3

    def rating() -> int:
        return max(1, min(5, round(base + rng.uniform(-1.2, 1.2))))

    answers: dict[str, Any] = {
        "product_quality": rating(), "staff_attitude": rating(), "information_accuracy": rating(),
        "policy_clarity": rating(), "after_sales_support": rating(),
        "nps": max(0, min(10, round(satisfaction * 10 + rng.uniform(-2, 2)))),
    }
    comment = rng.choice(COMMENTS)
    if comment:
        answers["comment"] = comment
    insert("feedback", {
        "customer_id": cid, "order_id": order["id"], "survey_id": "after_purchase",
        "answers": answers, "channel": rng.choice(("sms", "email", "phone", "store")),
        "created_at": gen.stamp(max(0, ago - rng.randrange(0, 4))),
    })


def _complaint(gen: _Gen, insert: Callable[[str, Doc], Doc], cid: int, order: Doc, ago: int) -> None:
    rng = gen.rng
    category = rng.choice(CATEGORIES)
    severity, hours = rng.choice(SEVERITY_HOURS)
    opened_ago = max(0, ago - rng.randrange(0, 5))
    opened = date.fromisoformat(gen.days[opened_ago])
    opened_at = f"{opened.isoformat()}T{rng.randrange(8, 18):02d}:00:00"
    due_at = (datetime.fromisoformat(opened_at) + timedelta(hours=hours)).isoformat()
    # older complaints are mostly settled, recent ones still open
    if opened_ago > 30:
        status = rng.choices(("closed", "resolved", "in_progress", "open"), weights=(70, 20, 6, 4))[0]
    else:
        status = rng.choices(("open", "in_progress", "resolved", "closed"), weights=(35, 35, 20, 10))[0]
    history = [{"at": opened_at, "status": "open", "note": "Tiếp nhận khiếu nại"}]
    steps = ("in_progress", "resolved", "closed")
    reached = steps[: steps.index(status) + 1] if status != "open" else ()
    at = opened
    resolved_at = None
    for step in reached:
        at = min(at + timedelta(days=rng.randrange(0, 3)), gen.today)
        stamp = f"{at.isoformat()}T{rng.randrange(8, 18):02d}:30:00"
        history.append({"at": stamp, "status": step, "note": {"in_progress": "Đang xử lý",
                        "resolved": "Đã xử lý", "closed": "Khách xác nhận"}[step]})
        if step == "resolved":
            resolved_at = stamp
    insert("complaints", {
        "customer_id": cid, "order_id": order["id"], "category": category, "severity": severity,
        "description": COMPLAINT_TEXT[category], "status": status, "opened_at": opened_at,
        "due_at": due_at, "resolved_at": resolved_at,
        "resolution": "Đổi sản phẩm mới / replaced" if resolved_at else "",
        "history": history, "updated_at": history[-1]["at"],
    })


def _interaction(gen: _Gen, insert: Callable[[str, Doc], Doc], cid: int) -> None:
    rng = gen.rng
    kind = rng.choice(INTERACTION_TYPES)
    summary, outcome = INTERACTION_TEXT[kind]
    ago = rng.randrange(0, HISTORY_DAYS)
    follow = rng.random() < 0.2
    insert("interactions", {
        "customer_id": cid, "type": kind, "summary": summary, "outcome": outcome,
        "at": gen.stamp(ago),
        "follow_up_due": gen.days[max(0, ago - 7)] if follow else None,
        "follow_up_done": follow and ago > 30, "care_key": "",
    })
