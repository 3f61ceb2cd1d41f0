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
The fields and their kinds are in rule_fields, the parsed tree in rule_tree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from custui.domain.rule_fields import (
    BOOL,
    CHOICE,
    COMBINATORS,
    EQUALITY,
    FIELDS,
    INT,
    KIND_OPS,
    MEMBERSHIP,
    NUMBER,
    OPERATORS,
    RFM_GROUPS,
    TAGS,
    TEXT,
    FieldSpec,
)
from custui.domain.rule_tree import AllOf, AnyOf, Compare, Not, Rule, make_test

__all__ = [
    "FIELDS", "MAX_RULE_DEPTH", "RFM_GROUPS", "FieldSpec", "Rule", "RuleError", "parse_rule", "split_path", "validate_rule",
]


# all/any/not may nest this deep; a rule deeper than this is a mistake (or an attack) that
# would only exhaust the stack when checked or evaluated
MAX_RULE_DEPTH = 32


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

    def rule(self, data: Any, path: str, depth: int = 1) -> Rule | None:
        if depth > MAX_RULE_DEPTH:
            self.fail(path, f"rules nest more than {MAX_RULE_DEPTH} levels deep (all/any/not); "
                            "write it flatter")
            return None
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
            inner = self.rule(body, sub_path, depth + 1)
            return None if inner is None else Not(inner)
        if not isinstance(body, list):
            self.fail(sub_path, f"{head!r} takes a list of rules, got {_describe(body)}")
            return None
        if not body:
            self.fail(sub_path, f"{head!r} needs at least one rule")
            return None
        parsed = [self.rule(item, _join(sub_path, i), depth + 1) for i, item in enumerate(body)]
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
                f"unknown operator {unknown[0]!r}; use one of: {', '.join(KIND_OPS[spec.kind])}",
            )
            return None
        if len(ops) != 1:
            got = f"got {', '.join(ops)}" if ops else "got none"
            self.fail(path, f"a comparison takes exactly one operator ({got}); combine several with all")
            return None
        op = ops[0]
        op_path = _join(path, op)
        allowed = KIND_OPS[spec.kind]
        if op not in allowed:
            self.fail(op_path, f"{op!r} does not apply to {name} ({_KIND_WORD[spec.kind]}); use one of: {', '.join(allowed)}")
            return None
        value = self.value(spec, op, data[op], op_path)
        if value is _BAD:
            return None
        return Compare(name, op, value, make_test(spec, op, value))

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
