"""A parsed rule: a tree of all/any/not nodes over comparisons, evaluated on one record or
over column lists (pure; rules.py builds it from YAML data)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from custui.domain.rule_fields import MEMBERSHIP, TAGS, TEXT, FieldSpec
from custui.domain.text import fold

Columns = Mapping[str, Sequence[Any]]


class Rule:
    """A node of a parsed rule."""

    def matches(self, record: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def select(self, columns: Columns, rows: int) -> set[int]:
        """Row indexes matching, over column lists (one list per field, `rows` long)."""
        raise NotImplementedError

    def fields(self) -> set[str]:
        """Every field the rule reads."""
        raise NotImplementedError


@dataclass(frozen=True)
class AllOf(Rule):
    rules: tuple[Rule, ...]

    def matches(self, record: Mapping[str, Any]) -> bool:
        return all(rule.matches(record) for rule in self.rules)

    def select(self, columns: Columns, rows: int) -> set[int]:
        result = self.rules[0].select(columns, rows)
        for rule in self.rules[1:]:
            if not result:
                break
            result &= rule.select(columns, rows)
        return result

    def fields(self) -> set[str]:
        return set().union(*(rule.fields() for rule in self.rules))


@dataclass(frozen=True)
class AnyOf(Rule):
    rules: tuple[Rule, ...]

    def matches(self, record: Mapping[str, Any]) -> bool:
        return any(rule.matches(record) for rule in self.rules)

    def select(self, columns: Columns, rows: int) -> set[int]:
        result: set[int] = set()
        for rule in self.rules:
            result |= rule.select(columns, rows)
        return result

    def fields(self) -> set[str]:
        return set().union(*(rule.fields() for rule in self.rules))


@dataclass(frozen=True)
class Not(Rule):
    rule: Rule

    def matches(self, record: Mapping[str, Any]) -> bool:
        return not self.rule.matches(record)

    def select(self, columns: Columns, rows: int) -> set[int]:
        return set(range(rows)) - self.rule.select(columns, rows)

    def fields(self) -> set[str]:
        return self.rule.fields()


@dataclass(frozen=True)
class Compare(Rule):
    field: str
    op: str
    value: Any
    test: Callable[[Any], bool] = dataclasses.field(repr=False, compare=False)

    def matches(self, record: Mapping[str, Any]) -> bool:
        return self.test(record.get(self.field))

    def select(self, columns: Columns, rows: int) -> set[int]:
        test = self.test
        column = columns[self.field]
        try:  # the test once per distinct value: most columns hold a few hundred
            kinds = set(map(type, column)) - {type(None)}
            keys: Sequence[Any] = column if len(kinds) <= 1 else list(zip(map(type, column), column, strict=True))
            distinct = set(keys)  # with mixed types, (type, value): 1 and True may test apart
        except TypeError:  # unhashable values (tags)
            distinct = None
        if distinct is None or 2 * len(distinct) > len(column):
            return {i for i, value in enumerate(column) if test(value)}
        plain = keys is column
        verdict = {key: test(key if plain else key[1]) for key in distinct}
        return set(compress(range(len(keys)), map(verdict.__getitem__, keys)))

    def fields(self) -> set[str]:
        return {self.field}


# -- comparisons ------------------------------------------------------------------------


def make_test(spec: FieldSpec, op: str, value: Any) -> Callable[[Any], bool]:
    """A predicate over one record value; missing values (None) never match a comparison."""
    kind = spec.kind
    if op == "contains":
        needle = fold(str(value))
        if kind == TAGS:
            return lambda v: bool(v) and any(fold(str(tag)) == needle for tag in v)
        return lambda v: v is not None and needle in fold(str(v))
    # text compares folded; everything else as is
    key: Callable[[Any], Any] = (lambda v: fold(str(v))) if kind == TEXT else (lambda v: v)
    if op in MEMBERSHIP:
        wanted = frozenset(key(item) for item in value)
        if op == "in":
            return lambda v: v is not None and key(v) in wanted
        return lambda v: v is None or key(v) not in wanted
    if value is None:
        return (lambda v: v is None) if op in ("is", "eq") else (lambda v: v is not None)
    expected = key(value)
    if op in ("is", "eq"):
        if kind == TEXT:
            return lambda v: v is not None and key(v) == expected
        return lambda v: v == expected
    if op in ("is_not", "ne"):
        if kind == TEXT:
            return lambda v: v is None or key(v) != expected
        return lambda v: v != expected
    if op == "gt":
        return lambda v: v is not None and v > expected
    if op == "gte":
        return lambda v: v is not None and v >= expected
    if op == "lt":
        return lambda v: v is not None and v < expected
    return lambda v: v is not None and v <= expected
