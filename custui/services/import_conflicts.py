"""Rows of one customers file that are the same customer but disagree: conflicts, never merged.

Two rows are the same customer when they share a code, a phone in any form (by its
normalised digits: `0912 345 678` = `+84 912 345 678`), an e-mail, or match the same
stored customer. Rows that agree on every field both give are not a conflict (the
second changes nothing); rows that differ are all refused, each naming the other line,
what they share and the fields that differ, so neither silently overwrites the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# fields compared between two rows (phone by its normalised form)
_SKIP = {"phone_norm"}
Key = tuple[str, str]


@dataclass(frozen=True)
class Conflict:
    lines: tuple[int, ...]
    same: str  # what the rows share: "phone 0912345678", "code C000001", "customer C000001"
    fields: dict[str, list[Any]] = field(default_factory=dict)  # field -> each row's value

    def reason(self, line: int) -> str:
        others = ", ".join(str(other) for other in self.lines if other != line)
        differ = "; ".join(
            f"{name} " + " / ".join(repr(v) for v in values) for name, values in self.fields.items())
        return f"conflicts with line {others} (same {self.same}): {differ}"

    def as_dict(self) -> dict[str, Any]:
        return {"lines": list(self.lines), "same": self.same, "fields": self.fields}


def _keys(doc: dict[str, Any], stored: str | None) -> list[Key]:
    keys: list[Key] = []
    for name, kind in (("code", "code"), ("phone_norm", "phone"), ("email", "e-mail")):
        value = str(doc.get(name) or "").strip()
        if value:
            keys.append((kind, value.lower() if kind == "e-mail" else value))
    if stored is not None:
        keys.append(("customer", stored))
    return keys


def _value(doc: dict[str, Any], name: str) -> Any:
    return doc.get("phone_norm") if name == "phone" else doc.get(name)


def _differences(docs: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """Fields that at least two rows give with different values (a blank cell is not a value)."""
    names: list[str] = []
    for doc in docs:
        names.extend(name for name in doc if name not in _SKIP and name not in names)
    found: dict[str, list[Any]] = {}
    for name in names:
        given = {repr(_value(doc, name)) for doc in docs if _value(doc, name) not in (None, "")}
        if len(given) > 1:
            found[name] = [doc.get(name) for doc in docs]
    return found


def find_conflicts(rows: Sequence[tuple[int, dict[str, Any]]],
                   stored_code: Callable[[dict[str, Any]], str | None]) -> list[Conflict]:
    """Conflicts among `rows` ((line, parsed customer)); `stored_code` names the stored
    customer a row matches (by code, phone or e-mail), None when it matches none."""
    parent = list(range(len(rows)))
    shared: dict[int, Key] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Key, int] = {}
    for i, (_line, doc) in enumerate(rows):
        for key in _keys(doc, stored_code(doc)):
            if key in owner:
                a, b = root(i), root(owner[key])
                if a != b:
                    parent[a] = b
                shared.setdefault(root(i), key)
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(root(i), []).append(i)
    conflicts: list[Conflict] = []
    for top, members in groups.items():
        if len(members) < 2:
            continue
        docs = [rows[i][1] for i in members]
        fields = _differences(docs)
        if not fields:
            continue
        kind, value = shared.get(top) or next(
            (shared[i] for i in members if i in shared), ("customer", "?"))
        conflicts.append(Conflict(tuple(rows[i][0] for i in members), f"{kind} {value}", fields))
    return conflicts
