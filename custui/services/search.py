"""Customer lookup: folded, diacritic-insensitive matching of name, phone, code and email.

A first version: substring matching on folded text, all words in any order. The
lookup issue replaces it with a ranked, typo-tolerant index.
"""

from __future__ import annotations

from dataclasses import dataclass

from custui.domain.text import fold, normalize_phone
from custui.store.base import Doc, Store


@dataclass(frozen=True, slots=True)
class Hit:
    customer_id: int
    score: float


class CustomerIndex:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._rows: list[tuple[int, str, str]] = []
        self._revision = -1

    def _refresh(self) -> None:
        if self._revision == self._store.revision:
            return
        rows = []
        for doc in self._store.all("customers"):
            text = fold(" ".join(str(doc.get(k) or "") for k in ("name", "code", "email")))
            rows.append((doc["id"], text, doc.get("phone_norm") or normalize_phone(doc.get("phone", ""))))
        self._rows = rows
        self._revision = self._store.revision

    def total(self) -> int:
        return self._store.count("customers")

    def search(self, query: str, limit: int = 200, include_archived: bool = False) -> list[Doc]:
        self._refresh()
        words = fold(query).split()
        digits = normalize_phone(query) if any(c.isdigit() for c in query) else ""
        found: list[Doc] = []
        for cid, text, phone in self._rows:
            if all(w in text for w in words) or (len(digits) >= 3 and digits in phone):
                doc = self._store.get("customers", cid)
                if doc and (include_archived or not doc.get("archived")):
                    found.append(doc)
                    if len(found) >= limit:
                        break
        return found
