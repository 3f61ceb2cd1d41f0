"""The points ledger, derived entirely from a customer's orders and the loyalty rules.

Nothing about points is stored except what the order asked to redeem
(`points_redeemed`) and goodwill granted on a complaint (an interaction's
`points`): earning, bonuses, redemptions and expiry are
replayed from the orders every time, so changing loyalty.yaml re-derives every
customer and re-deriving twice gives the same ledger.

Replay rules:
- Earned on an order: floor(base / earn.per_amount) * earn.points * multiplier of
  the tier in force at the order (judged on its date from the orders before it).
  The base (`earn_base`) is what the customer paid (`paid`: the total less the
  voucher and the points redeemed, stored on the order when it is recorded) with
  `earn_on: paid`, the order total with `earn_on: total`. An order stored without
  `paid` (recorded before custui stored it, or imported) earns on its total, as
  it did when it was recorded: points already credited are never taken back.
- Redeemed on an order: what it asked, but never more than the balance just
  before it (an order cannot spend the points it earns) nor more than its total
  is worth in points. An order that asks for more shows `requested` on its entry.
- Referral bonus: `referral.reward_points` on the day a referred customer's first
  (non-void) order is dated; the caller passes those days.
- Goodwill bonus: points granted when a complaint is resolved (a "gift"
  interaction with `points`); the caller passes (day, points) pairs. A bonus is
  a lot like earned points: it expires `points_expiry_days` after its day.
- Expiry (when `points_expiry_days` is set): each lot of earned points expires
  `points_expiry_days` after the day it was earned (not usable on that day);
  redemptions consume the oldest lots first (FIFO).
- Same day: expiries first, then referral and goodwill bonuses, then orders by id.
- Only events dated on or before `today` count. Voided orders count for nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from custui.domain.loyalty import Order, active_orders, earn_base, order_day, timeline_of_active
from custui.domain.models.loyalty import Loyalty, Tier

# a referral bonus: (day of the referred customer's first order, referred customer id)
ReferralEvent = tuple[date, int]
# a goodwill bonus: (day granted, points)
BonusEvent = tuple[date, int]


_MULTIPLIERS: dict[float, Decimal] = {}  # a tier's multiplier as written (1.5, not 1.5000000001)


def earn_points(total: int, loyalty: Loyalty, tier: Tier | None = None) -> int:
    """Points an order of `total` minor units earns in `tier`."""
    base = (max(0, int(total)) // loyalty.earn.per_amount) * loyalty.earn.points
    if tier is None or tier.multiplier == 1:
        return base
    multiplier = _MULTIPLIERS.get(tier.multiplier)
    if multiplier is None:
        multiplier = _MULTIPLIERS[tier.multiplier] = Decimal(str(tier.multiplier))
    return int((base * multiplier).to_integral_value(rounding=ROUND_FLOOR))


def points_value(points: int, loyalty: Loyalty) -> int:
    """What `points` are worth in minor units when redeemed."""
    return points * loyalty.point_value


def points_for_amount(amount: int, loyalty: Loyalty) -> int:
    """Most points whose value fits in `amount` minor units."""
    return max(0, int(amount)) // loyalty.point_value


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    day: date
    kind: str  # earn | referral | goodwill | redeem | expire
    points: int  # signed: + for earn/referral/goodwill, - for redeem/expire
    balance: int  # balance after this entry
    order_id: int | None = None
    referred_id: int | None = None  # referral: the customer who was referred
    requested: int | None = None  # redeem: what the order asked, when more than allowed


@dataclass(frozen=True)
class Ledger:
    balance: int
    earned: int  # earn + referral + goodwill
    redeemed: int
    expired: int
    entries: tuple[LedgerEntry, ...]
    next_expiry: tuple[date, int] | None = None  # (day, points) of the next lot to expire

    def earned_by_order(self) -> dict[int, int]:
        return {e.order_id: e.points for e in self.entries if e.kind == "earn" and e.order_id is not None}

    def redeemed_by_order(self) -> dict[int, int]:
        return {
            e.order_id: -e.points for e in self.entries if e.kind == "redeem" and e.order_id is not None
        }


@dataclass
class _Lot:
    expires_on: date | None
    remaining: int


class _Replay:
    """Running state of the replay: FIFO lots whose remaining points sum to the balance."""

    def __init__(self, loyalty: Loyalty) -> None:
        self.loyalty = loyalty
        self.lots: deque[_Lot] = deque()
        self.balance = 0
        self.entries: list[LedgerEntry] = []
        self.totals = {"earned": 0, "redeemed": 0, "expired": 0}

    def expire_until(self, day: date) -> None:
        """Expire every lot whose expiry day is on or before `day`."""
        while self.lots:
            expires_on = self.lots[0].expires_on
            if expires_on is None or expires_on > day:
                break
            lot = self.lots.popleft()
            if lot.remaining > 0:
                self.balance -= lot.remaining
                self.totals["expired"] += lot.remaining
                self.entries.append(LedgerEntry(expires_on, "expire", -lot.remaining, self.balance))

    def add(self, day: date, kind: str, points: int, **ref: int | None) -> None:
        if points <= 0:
            return
        days = self.loyalty.points_expiry_days
        self.lots.append(_Lot(day + timedelta(days=days) if days else None, points))
        self.balance += points
        self.totals["earned"] += points
        self.entries.append(LedgerEntry(day, kind, points, self.balance, **ref))

    def redeem(self, day: date, requested: int, total: int, order_id: int | None) -> None:
        if requested <= 0:
            return
        allowed = min(requested, self.balance, points_for_amount(total, self.loyalty))
        left = allowed
        while left > 0:
            lot = self.lots[0]
            take = min(left, lot.remaining)
            lot.remaining -= take
            left -= take
            if lot.remaining == 0:
                self.lots.popleft()
        self.balance -= allowed
        self.totals["redeemed"] += allowed
        self.entries.append(
            LedgerEntry(
                day, "redeem", -allowed, self.balance, order_id=order_id,
                requested=requested if allowed < requested else None,
            )
        )

    def next_expiry(self) -> tuple[date, int] | None:
        live = [lot for lot in self.lots if lot.remaining > 0 and lot.expires_on is not None]
        if not live:
            return None
        first = live[0].expires_on
        assert first is not None
        return first, sum(lot.remaining for lot in live if lot.expires_on == first)


def points_ledger(
    orders: Iterable[Order],
    loyalty: Loyalty,
    today: date,
    referrals: Sequence[ReferralEvent] = (),
    bonuses: Sequence[BonusEvent] = (),
) -> Ledger:
    """Replay the customer's orders (and referral and goodwill bonuses) up to `today`."""
    ordered = active_orders(orders)
    tiers = timeline_of_active(ordered, loyalty)
    # (day, phase, seq, payload): phase 0 referral (payload: referred id), 1 goodwill
    # (payload: points as a 1-tuple), 2 order
    events: list[tuple[date, int, int, object]] = []
    if loyalty.referral.reward_points > 0:
        for seq, (day, referred_id) in enumerate(sorted(referrals)):
            events.append((day, 0, seq, referred_id))
    for seq, (day, points) in enumerate(sorted(bonuses)):
        events.append((day, 1, seq, (int(points),)))
    for seq, (order, tier) in enumerate(zip(ordered, tiers, strict=True)):
        events.append((order_day(order), 2, seq, (order, tier)))
    if len(events) > len(ordered):  # orders alone are in (day, phase, seq) order already
        events.sort(key=lambda e: (e[0], e[1], e[2]))

    replay = _Replay(loyalty)
    for day, phase, _seq, payload in events:
        if day > today:
            break
        replay.expire_until(day)
        if phase == 0:
            assert isinstance(payload, int)
            replay.add(day, "referral", loyalty.referral.reward_points, referred_id=payload)
            continue
        if phase == 1:
            assert isinstance(payload, tuple)
            replay.add(day, "goodwill", payload[0])
            continue
        order, tier = payload  # type: ignore[misc]
        order_id = order.get("id")
        total = int(order.get("total") or 0)
        replay.redeem(day, int(order.get("points_redeemed") or 0), total, order_id)
        replay.add(day, "earn", earn_points(earn_base(order, loyalty), loyalty, tier), order_id=order_id)
    replay.expire_until(today)
    return Ledger(
        balance=replay.balance,
        earned=replay.totals["earned"],
        redeemed=replay.totals["redeemed"],
        expired=replay.totals["expired"],
        entries=tuple(replay.entries),
        next_expiry=replay.next_expiry(),
    )
