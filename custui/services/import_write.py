"""Writing an import plan: new customers first (orders refer to them), with audit entries."""

from __future__ import annotations

from contextlib import AbstractContextManager

from custui.services.customers import FORM_FIELDS
from custui.services.import_plan import ImportPlan
from custui.store.base import Store

BULK_WRITES = 2_000  # above this, write one snapshot instead of journalling each doc


def write_context(store: Store, writes: int) -> AbstractContextManager[None]:
    return store.bulk() if writes > BULK_WRITES else store.batch()


def apply_plan(store: Store, plan: ImportPlan, *, now: str, operator: str) -> None:
    """Write a plan: new customers first (orders refer to them), then everything else."""
    with write_context(store, plan.writes()):
        new_ids: list[int] = []
        late: list[tuple[int, int]] = []  # (customer id, index of a referrer created after it)
        for doc in plan.new_customers:
            referrer = doc.get("referred_by")
            record = {**FORM_FIELDS, **doc, "archived": False, "merged_into": None,
                      "created_at": now, "updated_at": now}
            record.setdefault("phone_norm", "")
            if isinstance(referrer, tuple):
                known = referrer[1] < len(new_ids)
                record["referred_by"] = new_ids[referrer[1]] if known else None
            stored = store.insert("customers", record)
            new_ids.append(stored["id"])
            if isinstance(referrer, tuple) and stored["referred_by"] is None:
                late.append((stored["id"], referrer[1]))
            store.insert("audit", {
                "customer_id": stored["id"], "at": now, "who": operator, "action": "create",
                "changes": {k: [None, stored.get(k)] for k, v in doc.items()
                            if v not in ("", None, [], False)},
                "via": "import",
            })
        for cid, index in late:
            store.update("customers", cid, {"referred_by": new_ids[index]})
        for cid, changes in plan.customer_updates.items():
            referrer = changes.get("referred_by")
            if isinstance(referrer, tuple):
                changes = {**changes, "referred_by": new_ids[referrer[1]]}
            current = store.get("customers", cid) or {}
            store.update("customers", cid, {**changes, "updated_at": now})
            store.insert("audit", {
                "customer_id": cid, "at": now, "who": operator, "action": "update",
                "changes": {k: [current.get(k), v] for k, v in changes.items()}, "via": "import",
            })
        for order in plan.new_orders:
            ref = order["customer_id"]
            customer_id = new_ids[ref[1]] if isinstance(ref, tuple) else ref
            store.insert("orders", {**order, "customer_id": customer_id,
                                    "created_at": now, "updated_at": now})
        for oid, changes in plan.order_updates.items():
            store.update("orders", oid, {**changes, "updated_at": now})
