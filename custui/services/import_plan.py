"""What an import is asked, what it decides, and what it reports (no I/O but store reads)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from custui.store.base import Store

_CODE = re.compile(r"^C(\d+)$")


@dataclass
class ImportOptions:
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field (or "-")
    date_format: str | None = None
    skip_bad: bool = False
    dry_run: bool = False
    create_customers: bool = False
    allow_renames: bool = False  # an update may change a customer's name (not just its spelling)
    review: bool = False  # keep what each row would do (ImportResult.review)


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass(frozen=True)
class ReviewRow:
    """What one row does: create, update (changes: field -> [old, new]), unchanged,
    conflict or error (message)."""

    line: int
    action: str
    code: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)
    message: str = ""


@dataclass
class ImportResult:
    """What an import read, did (or with --dry-run would do), and refused."""

    table: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    customers_created: int = 0  # orders import with --create-customers
    bad: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # rows that are one customer
    written: bool = False
    dry_run: bool = False
    review: list[ReviewRow] | None = None  # with ImportOptions.review

    def refuse(self, line: int, reason: str, action: str = "error") -> None:
        self.bad.append(BadRow(line, reason))
        self.note(line, action, message=reason)

    def note(self, line: int, action: str, code: str = "", changes: dict[str, list[Any]] | None = None,
             message: str = "") -> None:
        if self.review is not None:
            self.review.append(ReviewRow(line, action, code, changes or {}, message))

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        del found["review"]
        return found


@dataclass
class ImportPlan:
    """Every write an import will make, decided before any is made."""

    new_customers: list[dict[str, Any]] = field(default_factory=list)
    customer_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    new_orders: list[dict[str, Any]] = field(default_factory=list)
    order_updates: dict[int, dict[str, Any]] = field(default_factory=dict)

    def writes(self) -> int:
        return (len(self.new_customers) + len(self.customer_updates) + len(self.new_orders)
                + len(self.order_updates))


# a customer is an existing id (int) or the index of a planned new customer ("new", n)
Ref = int | tuple[str, int]


class CustomerIndex:
    """Lookups by code, phone and e-mail over stored customers plus the ones planned."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.by_code: dict[str, Ref] = {}
        self.by_phone: dict[str, Ref] = {}
        self.by_email: dict[str, Ref] = {}
        self.highest_code = 0
        for doc in store.all("customers"):
            self._index(doc, doc["id"], first_wins=True)

    def _index(self, doc: Mapping[str, Any], ref: Ref, first_wins: bool = False) -> None:
        code = str(doc.get("code") or "")
        if code:
            self.by_code.setdefault(code, ref) if first_wins else self.by_code.__setitem__(code, ref)
            match = _CODE.match(code)
            if match:
                self.highest_code = max(self.highest_code, int(match.group(1)))
        phone = str(doc.get("phone_norm") or "")
        if phone:
            self.by_phone.setdefault(phone, ref)
        email = str(doc.get("email") or "").lower()
        if email:
            self.by_email.setdefault(email, ref)

    def follow(self, ref: Ref) -> Ref:
        """A customer archived by a merge stands for the one it was merged into."""
        seen = 0
        while isinstance(ref, int) and seen < 10:
            doc = self.store.get("customers", ref)
            target = doc.get("merged_into") if doc else None
            if not target:
                break
            ref, seen = int(target), seen + 1
        return ref

    def find(self, code: str = "", phone_norm: str = "", email: str = "") -> tuple[Ref | None, str]:
        for key, table in ((code, self.by_code), (phone_norm, self.by_phone),
                           (email.lower(), self.by_email)):
            if key and key in table:
                return self.follow(table[key]), "code" if table is self.by_code else "other"
        return None, ""

    def code_of(self, ref: Ref, plan: ImportPlan) -> str:
        """The code of a stored or planned customer."""
        if isinstance(ref, tuple):
            return str(plan.new_customers[ref[1]].get("code") or "")
        return str((self.store.get("customers", ref) or {}).get("code") or "")

    def next_code(self) -> str:
        self.highest_code += 1
        code = f"C{self.highest_code:06d}"
        while code in self.by_code:
            self.highest_code += 1
            code = f"C{self.highest_code:06d}"
        return code
