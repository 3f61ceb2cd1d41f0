"""Saving a purchase from the form, with second thoughts first: an amount far above the usual,
a double entry.

`save_purchase(...)` is the purchase form's one service call (run in its save worker): it
checks the draft, and either returns the questions to ask (`second_thoughts`, in order; the
form asks each through the confirm dialog, then calls again with `asked=True`) or saves. The shop's
usual largest order (its 99th-percentile total) comes from the shared derived cache and
is kept per cache revision, so only the first save after a change sorts the totals.
"""

from __future__ import annotations

import threading
import weakref
from datetime import datetime
from itertools import chain

from custui.domain.money import format_money
from custui.domain.purchase import OrderDraft, likely_double, percentile, unusual_ratio
from custui.i18n import count_text, get_locale, t
from custui.services.derived import Derived
from custui.services.orders import OrderResult, check_order, write_order
from custui.services.workspace import Workspace

USUAL_PERCENTILE = 99
_USUAL: weakref.WeakKeyDictionary[Derived, tuple[int, int | None]] = weakref.WeakKeyDictionary()
_USUAL_LOCK = threading.Lock()


def shop_usual_total(derived: Derived) -> int | None:
    """The shop's 99th-percentile order total (non-void orders), None with no orders yet."""
    snapshot = derived.snapshot()
    with _USUAL_LOCK:
        cached = _USUAL.get(derived)
    if cached is not None and cached[0] == snapshot.revision:
        return cached[1]
    value = percentile(list(chain.from_iterable(snapshot.day_totals.values())), USUAL_PERCENTILE)
    with _USUAL_LOCK:
        _USUAL[derived] = (snapshot.revision, value)
    return value


def second_thoughts(ws: Workspace, customer_id: int, draft: OrderDraft,
                    order_id: int | None = None) -> list[str]:
    """The questions to ask before saving `draft` (empty: save at once).

    `order_id`: the order being corrected (left out of the customer's orders; a correction
    is never a double entry).
    """
    loyalty = ws.config.loyalty
    orders = [o for o in ws.store.children("orders", customer_id)
              if o.get("id") != order_id and not o.get("void")]
    questions: list[str] = []
    largest = max((int(o.get("total") or 0) for o in orders), default=0)
    shop = shop_usual_total(ws.derived)
    ratio = unusual_ratio(draft.total, shop, largest, loyalty.unusual_amount_factor)
    if ratio is not None:
        usual = format_money(max(shop or 0, largest), ws.currency, get_locale())
        questions.append(t("purchase.ask.unusual", amount=format_money(draft.total, ws.currency, get_locale()),
                           ratio=count_text(ratio), usual=usual))
    if order_id is None:
        now = datetime.fromisoformat(ws.now_iso())
        twin = likely_double(draft.total, orders, now, loyalty.double_entry_minutes)
        if twin is not None:
            created = str(twin.get("created_at") or "")[11:16]
            questions.append(t("purchase.ask.double", amount=format_money(draft.total, ws.currency, get_locale()),
                               id=twin.get("id"), time=created, minutes=loyalty.double_entry_minutes))
    return questions


def save_purchase(ws: Workspace, customer_id: int, draft: OrderDraft, order_id: int | None = None,
                  asked: bool = False) -> OrderResult | list[str]:
    """Check `draft` (a new order for `customer_id`, or the correction of `order_id`; BadInput
    names the field), then return the questions to ask first unless they were `asked`
    (nothing saved), else save it: the OrderResult."""
    checked = check_order(ws.store, ws.config, customer_id, draft, ws.today(), order_id)
    if not asked:
        questions = second_thoughts(ws, customer_id, draft, order_id)
        if questions:
            return questions
    return write_order(ws.store, ws.config, checked, ws.now_iso())
