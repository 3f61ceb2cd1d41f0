"""Share repeated short strings between records after parsing.

orjson makes a new string object for every value, so a million orders hold a million
copies of a few hundred dates and a handful of channels. Sharing them keeps about 100
bytes per order out of memory (the big-file memory goal) for a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern

from custui.store.base import Doc

# fields whose values repeat a lot (few distinct values across many records)
REPEATED_FIELDS: dict[str, tuple[str, ...]] = {
    "orders": ("date", "channel", "items"),
    "feedback": ("survey_id", "channel"),
    "complaints": ("category", "severity", "status"),
    "interactions": ("type", "outcome"),
    "vouchers": ("rule", "expires_at"),
    "customers": ("kind", "scope", "role", "region", "gender", "source"),
}


def share_repeated_strings(table: str, docs: Iterable[Doc]) -> None:
    """Replace repeated string values of `table`'s docs by one shared object each."""
    fields = REPEATED_FIELDS.get(table)
    if not fields:
        return
    for doc in docs:
        for name in fields:
            value = doc.get(name)
            if type(value) is str and len(value) <= 40:
                doc[name] = intern(value)
