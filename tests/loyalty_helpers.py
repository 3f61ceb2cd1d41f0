"""Loyalty rules for the loyalty tests: two tiers, ₫10,000 a point, ₫100 a point redeemed."""

from __future__ import annotations

from typing import Any

from custui.domain.models.loyalty import Loyalty

# like the shipped high_value_big_invoice: a high-value customer's order of ₫1,000,000 or more
BIG_INVOICE: dict[str, Any] = {
    "id": "big", "name": "High value, big invoice",
    "when": {"segment": "high_value", "min_order_total": 1_000_000},
    "amount": 100_000, "valid_days": 90,
}


def loyalty_rules(*vouchers: dict[str, Any], silver_orders: int = 2, **over: Any) -> Loyalty:
    """Member and Silver (₫5,000,000 over `silver_orders` orders, x1.5), the given voucher rules
    and a referral reward; keyword arguments replace whole sections."""
    base: dict[str, Any] = {
        "earn": {"per_amount": 10_000, "points": 1},
        "point_value": 100,
        "tier_match": "all",
        "tiers": [
            {"id": "member", "name": "Member"},
            {"id": "silver", "name": "Silver", "min_spend": 5_000_000, "min_orders": silver_orders,
             "multiplier": 1.5},
        ],
        "vouchers": list(vouchers),
        "referral": {"reward_points": 200, "reward_amount": 50_000, "valid_days": 90},
    }
    base.update(over)
    return Loyalty.model_validate(base)
