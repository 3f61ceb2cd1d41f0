"""The custom segment rule language: YAML data parsed into a small, safe rule tree.

A rule is one of::

    {all: [rule, ...]}          every sub-rule holds (at least one)
    {any: [rule, ...]}          some sub-rule holds (at least one)
    {not: rule}                 the sub-rule does not hold
    {field: NAME, OP: VALUE}    a comparison with exactly one operator

Operators: is, is_not, eq, ne (equality; `is: null` tests for a missing value),
gt, gte, lt, lte (numbers), in, not_in (a list of values), contains (text or tags).
Text compares without case or Vietnamese diacritics ("Hà Nội" == "ha noi").
Money fields take amounts in the currency's main unit; `parse_rule(money_scale=)`
turns them into minor units. Nothing is ever evaluated as code.

Error paths name the key that is wrong, e.g. ``all[1].gte``; the root is ``""``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from custui.domain.enums import GENDERS, KINDS, LIFECYCLES, ROLES, SCOPES, SOURCES
from custui.domain.text import fold

RFM_GROUPS = (
    "champions", "loyal", "potential_loyalist", "new", "at_risk", "cannot_lose", "hibernating", "lost",
)

# field kinds
CHOICE, TEXT, INT, NUMBER, BOOL, TAGS = "choice", "text", "int", "number", "bool", "tags"

EQUALITY = ("is", "is_not", "eq", "ne")
ORDERING = ("gt", "gte", "lt", "lte")
MEMBERSHIP = ("in", "not_in")
OPERATORS = EQUALITY + ORDERING + MEMBERSHIP + ("contains",)
COMBINATORS = ("all", "any", "not")

_KIND_OPS: dict[str, tuple[str, ...]] = {
    CHOICE: EQUALITY + MEMBERSHIP,
    TEXT: EQUALITY + MEMBERSHIP + ("contains",),
    INT: EQUALITY + ORDERING + MEMBERSHIP,
    NUMBER: EQUALITY + ORDERING + MEMBERSHIP,
    BOOL: EQUALITY,
    TAGS: ("contains",),
}


@dataclass(frozen=True)
class FieldSpec:
    """A field rules may name: its kind, allowed values (choice fields) and meaning."""

    name: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    money: bool = False


def _f(name: str, kind: str, help_: str, choices: tuple[str, ...] = (), money: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, help_, choices, money)


_FIELD_LIST = (
    # customer record
    _f("kind", CHOICE, "individual or business", KINDS),
    _f("scope", CHOICE, "external or internal", SCOPES),
    _f("role", CHOICE, "end_user, buyer, agent, supplier, department", ROLES),
    _f("gender", CHOICE, "female, male, other or empty", GENDERS),
    _f("source", CHOICE, "channel the customer came from", SOURCES),
    _f("region", TEXT, "region / location"),
    _f("income_band", TEXT, "income band as recorded"),
    _f("tags", TAGS, "the customer's tags"),
    _f("age", INT, "years, from birth_year (missing when unknown)"),
    _f("consent_to_contact", BOOL, "agreed to be contacted"),
    _f("referred", BOOL, "was referred by another customer"),
    _f("days_since_created", INT, "days since the customer was recorded"),
    # derived from orders and the rules
    _f("lifecycle", CHOICE, "potential, current, loyal, lapsed", LIFECYCLES),
    _f("tier", CHOICE, "loyalty tier id (loyalty.yaml)"),
    _f("orders", INT, "number of orders (void ones excluded)"),
    _f("total_spend", INT, "lifetime spend", money=True),
    _f("avg_order_value", NUMBER, "average order value", money=True),
    _f("days_since_last_order", INT, "days since the last order (missing with none)"),
    _f("days_since_first_order", INT, "days since the first order (missing with none)"),
    _f("avg_days_between_orders", NUMBER, "average gap between orders (needs 2 orders)"),
    _f("orders_last_30d", INT, "orders in the last 30 days"),
    _f("orders_last_90d", INT, "orders in the last 90 days"),
    _f("orders_last_365d", INT, "orders in the last 365 days"),
    _f("spend_last_30d", INT, "spend in the last 30 days", money=True),
    _f("spend_last_90d", INT, "spend in the last 90 days", money=True),
    _f("spend_last_365d", INT, "spend in the last 365 days", money=True),
    _f("promo_orders", INT, "orders bought on promotion"),
    _f("promo_share", NUMBER, "share of orders bought on promotion, 0-1"),
    _f("price_sensitive", BOOL, "promo_share above price_sensitive_share"),
    _f("frequency_band", CHOICE, "purchase frequency band id (segments.yaml)"),
    _f("aov_band", CHOICE, "average order value band id (segments.yaml)"),
    _f("rfm_group", CHOICE, "RFM group", RFM_GROUPS),
    _f("recency_score", INT, "RFM recency score 1-5"),
    _f("frequency_score", INT, "RFM frequency score 1-5"),
    _f("monetary_score", INT, "RFM monetary score 1-5"),
    _f("high_value", BOOL, "on the special list (top share by average order value)"),
    _f("top_spender", BOOL, "in the top 20% by lifetime spend"),
    _f("complaints", INT, "complaints ever opened"),
    _f("open_complaints", INT, "complaints not yet resolved or closed"),
)
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _FIELD_LIST}


class RuleError(ValueError):
    """A rule that cannot be used; `problems` lists every (path, message) found."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        self.path, self.message = problems[0]
        super().__init__("; ".join(f"{p or '(rule)'}: {m}" for p, m in problems))


def split_path(path: str) -> tuple[str | int, ...]:
    """``"all[1].gte"`` -> ``("all", 1, "gte")``, for mapping a problem back to a YAML node."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)


# -- the tree ---------------------------------------------------------------------------

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
    test: Callable[[Any], bool] = field(repr=False, compare=False)

    def matches(self, record: Mapping[str, Any]) -> bool:
        return self.test(record.get(self.field))

    def select(self, columns: Columns, rows: int) -> set[int]:
        test = self.test
        return {i for i, value in enumerate(columns[self.field]) if test(value)}

    def fields(self) -> set[str]:
        return {self.field}


# -- comparisons ------------------------------------------------------------------------


def _make_test(spec: FieldSpec, op: str, value: Any) -> Callable[[Any], bool]:
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


# -- parsing ----------------------------------------------------------------------------

_KIND_WORD = {
    CHOICE: "a choice", TEXT: "text", INT: "a number", NUMBER: "a number", BOOL: "true or false",
    TAGS: "a tag",
}


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


class _Parser:
    def __init__(self, choices: Mapping[str, Sequence[str]], money_scale: int) -> None:
        self.problems: list[tuple[str, str]] = []
        self.choices = choices
        self.money_scale = money_scale

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def rule(self, data: Any, path: str) -> Rule | None:
        if not isinstance(data, Mapping):
            self.fail(path, f"a rule must be a mapping like {{field: lifecycle, is: loyal}}, got {_describe(data)}")
            return None
        heads = [key for key in data if key in COMBINATORS or key == "field"]
        if len(heads) != 1:
            if heads:
                self.fail(path, f"a rule takes exactly one of all, any, not, field; got {', '.join(map(str, heads))}")
            else:
                keys = ", ".join(map(str, data)) or "nothing"
                self.fail(path, f"a rule needs one of all, any, not or field; got {keys}")
            return None
        head = heads[0]
        if head == "field":
            return self.compare(data, path)
        extra = [key for key in data if key != head]
        if extra:
            self.fail(_join(path, str(extra[0])), f"unexpected key {extra[0]!r} beside {head!r}")
            return None
        body = data[head]
        sub_path = _join(path, head)
        if head == "not":
            inner = self.rule(body, sub_path)
            return None if inner is None else Not(inner)
        if not isinstance(body, list):
            self.fail(sub_path, f"{head!r} takes a list of rules, got {_describe(body)}")
            return None
        if not body:
            self.fail(sub_path, f"{head!r} needs at least one rule")
            return None
        parsed = [self.rule(item, _join(sub_path, i)) for i, item in enumerate(body)]
        if any(item is None for item in parsed):
            return None
        rules = tuple(item for item in parsed if item is not None)
        return AllOf(rules) if head == "all" else AnyOf(rules)

    def compare(self, data: Mapping[str, Any], path: str) -> Rule | None:
        name = data["field"]
        spec = FIELDS.get(name) if isinstance(name, str) else None
        if spec is None:
            hint = difflib.get_close_matches(str(name), FIELDS, n=1)
            more = f"; did you mean {hint[0]!r}?" if hint else f"; known fields: {', '.join(FIELDS)}"
            self.fail(_join(path, "field"), f"unknown field {name!r}{more}")
            return None
        ops = [key for key in data if key != "field"]
        unknown = [key for key in ops if key not in OPERATORS]
        if unknown:
            self.fail(
                _join(path, str(unknown[0])),
                f"unknown operator {unknown[0]!r}; use one of: {', '.join(_KIND_OPS[spec.kind])}",
            )
            return None
        if len(ops) != 1:
            got = f"got {', '.join(ops)}" if ops else "got none"
            self.fail(path, f"a comparison takes exactly one operator ({got}); combine several with all")
            return None
        op = ops[0]
        op_path = _join(path, op)
        allowed = _KIND_OPS[spec.kind]
        if op not in allowed:
            self.fail(op_path, f"{op!r} does not apply to {name} ({_KIND_WORD[spec.kind]}); use one of: {', '.join(allowed)}")
            return None
        value = self.value(spec, op, data[op], op_path)
        if value is _BAD:
            return None
        return Compare(name, op, value, _make_test(spec, op, value))

    def value(self, spec: FieldSpec, op: str, raw: Any, path: str) -> Any:
        if op in MEMBERSHIP:
            if not isinstance(raw, list) or not raw:
                self.fail(path, f"{op!r} takes a non-empty list of values, got {_describe(raw)}")
                return _BAD
            items = [self.scalar(spec, item, _join(path, i), allow_null=False) for i, item in enumerate(raw)]
            return _BAD if any(item is _BAD for item in items) else tuple(items)
        if op == "contains":
            if not isinstance(raw, str | int) or isinstance(raw, bool):
                self.fail(path, f"'contains' takes text, got {_describe(raw)}")
                return _BAD
            return str(raw)
        return self.scalar(spec, raw, path, allow_null=op in EQUALITY)

    def scalar(self, spec: FieldSpec, raw: Any, path: str, allow_null: bool) -> Any:
        if raw is None:
            if allow_null:
                return None
            self.fail(path, f"expected {_KIND_WORD[spec.kind]} for {spec.name}, got null")
            return _BAD
        kind = spec.kind
        if kind in (INT, NUMBER):
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                self.fail(path, f"expected a number for {spec.name}, got {_describe(raw)}")
                return _BAD
            return raw * self.money_scale if spec.money else raw
        if kind == BOOL:
            if not isinstance(raw, bool):
                self.fail(path, f"expected true or false for {spec.name}, got {_describe(raw)}")
                return _BAD
            return raw
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.fail(path, f"expected {_KIND_WORD[kind]} for {spec.name}, got {_describe(raw)}")
            return _BAD
        text = str(raw)
        choices = tuple(self.choices.get(spec.name, spec.choices))
        if kind == CHOICE and choices and text not in choices:
            self.fail(path, f"{text!r} is not a known {spec.name}; use one of: {', '.join(choices) or '(none)'}")
            return _BAD
        return text


_BAD: Any = object()


def _parse(
    data: Any, choices: Mapping[str, Sequence[str]] | None, money_scale: int
) -> tuple[Rule | None, list[tuple[str, str]]]:
    parser = _Parser(choices or {}, money_scale)
    rule = parser.rule(data, "")
    return rule, parser.problems


def parse_rule(
    data: Any, *, choices: Mapping[str, Sequence[str]] | None = None, money_scale: int = 1
) -> Rule:
    """Parse rule data (as loaded from YAML) into a rule tree; RuleError lists what is wrong.

    `choices` adds or replaces the allowed values of choice fields whose values come
    from config (e.g. {"tier": ["member", "gold"], "frequency_band": [...]}); choice
    fields with no known values accept any text. `money_scale` is the number of minor
    units per main unit (100 for USD) applied to money fields.
    """
    rule, problems = _parse(data, choices, money_scale)
    if problems or rule is None:
        raise RuleError(problems or [("", "empty rule")])
    return rule


def validate_rule(
    data: Any, *, choices: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[str, str]]:
    """Every problem in rule data as (path, message); empty when the rule is good.

    Paths are relative to the rule (``all[1].gte``; ``""`` is the rule itself);
    `split_path` turns one into keys for finding the YAML line.
    """
    return _parse(data, choices, 1)[1]
