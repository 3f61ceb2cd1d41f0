"""The purchase form's preview: points, the amount they are earned on, vouchers, tier change
and amount due, as five lines."""

from __future__ import annotations

from rich.text import Text

from custui.config.loader import AppConfig
from custui.domain.money import format_money
from custui.domain.purchase import OrderPreview
from custui.i18n import count_text, format_day, get_locale, t
from custui.widgets.safe import plain

LABEL_WIDTH = 15  # the form's label column; the preview lines up with it


def preview_text(preview: OrderPreview, config: AppConfig, currency: str) -> Text:
    """The five preview lines: points, earned on (loyalty.yaml earn_on), vouchers, tier, amount due."""
    loc = get_locale()
    loyalty = config.loyalty

    def money(minor: int) -> str:
        return format_money(minor, currency, loc)

    num = count_text
    used = ""
    if preview.points_redeemed:
        used = t("purchase.preview.points_used", used=num(preview.points_redeemed),
                 max=num(preview.max_redeemable))
    points = t("purchase.preview.points_text", earned=num(preview.points_earned), used=used,
               before=num(preview.balance_before), after=num(preview.balance_after))
    if not preview.points_redeemed and preview.max_redeemable:
        points += t("purchase.preview.points_max", max=num(preview.max_redeemable))
    names = {rule.id: rule.name.get(loc) for rule in loyalty.vouchers}
    grants = [
        t("purchase.preview.voucher", name=names.get(grant.rule, grant.rule),
          value=(f"{grant.percent:g}%" if grant.percent else money(grant.amount or 0)),
          date=format_day(grant.expires_at))
        for grant in preview.vouchers
    ]
    if preview.referral:
        grants.append(t("purchase.preview.referral"))
    tier_names = [tier.name.get(loc) if tier else t("loyalty.tier.none")
                  for tier in (preview.tier_before, preview.tier_after)]
    direction = preview.tier_direction(loyalty)
    if direction > 0:
        tier = t("purchase.preview.tier_up", before=tier_names[0], after=tier_names[1])
    elif direction < 0:
        tier = t("purchase.preview.tier_down", before=tier_names[0], after=tier_names[1])
    else:
        tier = t("purchase.preview.tier_same", tier=tier_names[1])
    off = preview.voucher_discount + preview.redeem_value
    due = money(preview.amount_due)
    if off:
        due = t("purchase.preview.due_off", due=due, off=money(off))
    rows = [
        (t("purchase.preview.points"), points),
        (t("purchase.preview.base"),
         t(f"purchase.preview.base_{preview.earn_on}", amount=money(preview.earn_base))),
        (t("purchase.preview.vouchers"), "; ".join(grants) or t("purchase.preview.no_vouchers")),
        (t("purchase.preview.tier"), tier),
        (t("purchase.preview.due"), due),
    ]
    lines = []
    for label, value in rows:
        line = Text(f"{label:<{LABEL_WIDTH - 1}} ", style="dim")
        line.append_text(plain(value, style="bold" if label == rows[-1][0] else ""))
        lines.append(line)
    return Text("\n").join(lines)
