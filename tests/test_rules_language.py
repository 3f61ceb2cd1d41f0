"""The custom segment rule language: parsing, matching, and every error with its path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custui.domain.rules import FIELDS, RuleError, parse_rule, split_path, validate_rule

LOYAL = {"lifecycle": "loyal", "orders_last_90d": 3, "region": "Hà Nội", "tags": ["VIP", "Sỉ"], "age": None}


def test_seed_example_matches_loyal_active_buyers() -> None:
    rule = parse_rule({"all": [{"field": "lifecycle", "is": "loyal"}, {"field": "orders_last_90d", "gte": 3}]})
    assert rule.matches(LOYAL)
    assert not rule.matches({**LOYAL, "orders_last_90d": 2})
    assert not rule.matches({**LOYAL, "lifecycle": "current"})
    assert rule.fields() == {"lifecycle", "orders_last_90d"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"field": "orders_last_90d", "gt": 2}, True),
        ({"field": "orders_last_90d", "gt": 3}, False),
        ({"field": "orders_last_90d", "lt": 3}, False),
        ({"field": "orders_last_90d", "lte": 3}, True),
        ({"field": "orders_last_90d", "eq": 3}, True),
        ({"field": "orders_last_90d", "ne": 3}, False),
        ({"field": "orders_last_90d", "in": [1, 3]}, True),
        ({"field": "orders_last_90d", "not_in": [1, 3]}, False),
        ({"field": "lifecycle", "is_not": "loyal"}, False),
        ({"field": "lifecycle", "in": ["current", "loyal"]}, True),
        # text ignores case and Vietnamese diacritics
        ({"field": "region", "is": "ha noi"}, True),
        ({"field": "region", "contains": "NOI"}, True),
        ({"field": "region", "in": ["HCM", "hà nội"]}, True),
        ({"field": "tags", "contains": "vip"}, True),
        ({"field": "tags", "contains": "si"}, True),
        ({"field": "tags", "contains": "VI"}, False),  # a tag, not a substring
        # missing values: equality with null, never matched by comparisons
        ({"field": "age", "is": None}, True),
        ({"field": "age", "is_not": None}, False),
        ({"field": "age", "gte": 0}, False),
        ({"field": "age", "ne": 30}, True),
        ({"field": "age", "not_in": [30]}, True),
        ({"any": [{"field": "age", "gte": 18}, {"field": "lifecycle", "is": "loyal"}]}, True),
        ({"not": {"field": "lifecycle", "is": "loyal"}}, False),
    ],
)
def test_operators(data: dict[str, Any], expected: bool) -> None:
    assert parse_rule(data).matches(LOYAL) is expected


def test_money_fields_scale_to_minor_units() -> None:
    rule = parse_rule({"field": "total_spend", "gte": 12.5}, money_scale=100)
    assert rule.matches({"total_spend": 1250})
    assert not rule.matches({"total_spend": 1249})
    # non-money fields are never scaled
    assert parse_rule({"field": "orders", "gte": 2}, money_scale=100).matches({"orders": 2})


def test_select_over_columns_agrees_with_matches() -> None:
    rule = parse_rule({"any": [{"field": "orders", "gte": 3}, {"not": {"field": "kind", "is": "business"}}]})
    columns = {"orders": [0, 5, 1, None], "kind": ["business", "business", "individual", "business"]}
    rows = [{name: col[i] for name, col in columns.items()} for i in range(4)]
    assert rule.select(columns, 4) == {i for i, row in enumerate(rows) if rule.matches(row)} == {1, 2}


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        ({"field": "lifecycl", "is": "loyal"}, "field", "did you mean 'lifecycle'"),
        ({"field": "zzz", "is": 1}, "field", "unknown field 'zzz'"),
        ({"field": "orders", "gtt": 1}, "gtt", "unknown operator 'gtt'"),
        ({"field": "lifecycle", "gt": 1}, "gt", "'gt' does not apply to lifecycle"),
        ({"field": "tags", "is": "vip"}, "is", "'is' does not apply to tags"),
        ({"field": "orders", "gte": "three"}, "gte", "expected a number"),
        ({"field": "orders", "gte": True}, "gte", "expected a number"),
        ({"field": "orders", "gte": None}, "gte", "got null"),
        ({"field": "consent_to_contact", "is": "yes"}, "is", "expected true or false"),
        ({"field": "lifecycle", "is": "loyl"}, "is", "'loyl' is not a known lifecycle"),
        ({"field": "lifecycle", "in": "loyal"}, "in", "non-empty list"),
        ({"field": "lifecycle", "in": []}, "in", "non-empty list"),
        ({"field": "lifecycle", "in": ["loyal", "x"]}, "in[1]", "'x' is not a known lifecycle"),
        ({"field": "region", "contains": ["a"]}, "contains", "'contains' takes text"),
        ({"field": "orders"}, "", "exactly one operator (got none)"),
        ({"field": "orders", "gt": 1, "lt": 5}, "", "exactly one operator (got gt, lt)"),
        ({"all": []}, "all", "'all' needs at least one rule"),
        ({"any": []}, "any", "'any' needs at least one rule"),
        ({"all": {"field": "orders", "gt": 1}}, "all", "takes a list of rules"),
        ({"all": [{"field": "orders", "gt": 1}], "x": 1}, "x", "unexpected key 'x' beside 'all'"),
        ({"all": [], "any": []}, "", "exactly one of all, any, not, field"),
        ({"fields": "orders"}, "", "needs one of all, any, not or field"),
        ("orders > 3", "", "must be a mapping"),
        ({"not": [{"field": "orders", "gt": 1}]}, "not", "must be a mapping"),
        ({"all": [{"field": "orders", "gt": 1}, {"any": [{"field": "kind", "is": "shop"}]}]}, "all[1].any[0].is",
         "'shop' is not a known kind"),
    ],
)
def test_every_error_names_its_path(data: Any, path: str, fragment: str) -> None:
    problems = validate_rule(data)
    assert len(problems) == 1, problems
    assert problems[0][0] == path
    assert fragment in problems[0][1]
    with pytest.raises(RuleError) as caught:
        parse_rule(data)
    assert caught.value.path == path


def test_all_problems_are_reported_together() -> None:
    data = {"all": [{"field": "orders", "gte": "x"}, {"field": "nope", "is": 1}, {"any": []}]}
    assert [path for path, _ in validate_rule(data)] == ["all[0].gte", "all[1].field", "all[2].any"]


def test_config_choices_restrict_tiers() -> None:
    assert validate_rule({"field": "tier", "is": "platinum"}) == []  # no tiers known: any text
    problems = validate_rule({"field": "tier", "in": ["gold", "platinum"]}, choices={"tier": ["gold"]})
    assert problems == [("in[1]", "'platinum' is not a known tier; use one of: gold")]


def test_split_path_gives_yaml_keys() -> None:
    assert split_path("all[1].any[0].gte") == ("all", 1, "any", 0, "gte")
    assert split_path("") == ()


def test_rule_is_data_not_code() -> None:
    """A value that looks like Python is compared as text, never run."""
    rule = parse_rule({"field": "region", "is": "__import__('os').system('true')"})
    assert not rule.matches({"region": "Hà Nội"})


NUMBERS = st.one_of(st.none(), st.integers(-50, 50))


@given(value=NUMBERS, bound=st.integers(-50, 50))
def test_not_is_the_complement(value: int | None, bound: int) -> None:
    for op in ("gt", "gte", "lt", "lte", "eq", "ne"):
        rule = parse_rule({"field": "orders", op: bound})
        negated = parse_rule({"not": {"field": "orders", op: bound}})
        assert negated.matches({"orders": value}) is not rule.matches({"orders": value})


@given(value=st.integers(-50, 50), bound=st.integers(-50, 50))
def test_ordering_partitions_numbers(value: int, bound: int) -> None:
    record = {"orders": value}
    lt = parse_rule({"field": "orders", "lt": bound}).matches(record)
    eq = parse_rule({"field": "orders", "eq": bound}).matches(record)
    gt = parse_rule({"field": "orders", "gt": bound}).matches(record)
    assert [lt, eq, gt].count(True) == 1


def test_every_field_accepts_some_operator() -> None:
    for spec in FIELDS.values():
        value: Any = {"choice": spec.choices[0] if spec.choices else "x", "text": "x", "int": 1,
                      "number": 1.5, "bool": True, "tags": "x"}[spec.kind]
        op = "contains" if spec.kind == "tags" else "is"
        assert validate_rule({"field": spec.name, op: value}) == [], spec.name
