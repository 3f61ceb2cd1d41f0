"""Config that would hang or crash the loader is refused with FILE:LINE: key: message.

A "billion laughs" (aliases of aliases) is refused before anything walks the expanded
tree: the tests count the nodes the loader visits instead of timing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run_cli

from custui.config import loader
from custui.config.loader import MAX_EXPANDED_NODES, load_config
from custui.domain.rules import MAX_RULE_DEPTH, RuleError, parse_rule, validate_rule
from custui.errors import ConfigError

BOMB = "".join(
    [f'a: &a [{",".join(["lol"] * 9)}]\n']
    + [f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)]
)  # ~300 bytes; `i` expands to 9**9 (387 million) strings


class TooMuchWalking(Exception):
    pass


@pytest.fixture
def visits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count every node the loader visits (its checks and its alias sizing), and stop a walk
    that has clearly gone exponential instead of hanging the test run."""
    count = [0]

    def counting(func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            if count[0] > 200_000:
                raise TooMuchWalking(f"{count[0]} nodes visited")
            return func(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(loader, "_check_nodes", counting(loader._check_nodes))
    if hasattr(loader, "_children"):
        monkeypatch.setattr(loader, "_children", counting(loader._children))
    return count


def problems_of(config_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    return [p.replace(f"{config_dir}/", "") for p in caught.value.problems]


def test_a_billion_laughs_is_refused_after_visiting_each_node_once(
    tmp_path: Path, visits: list[int],
) -> None:
    assert len(BOMB.encode()) < 400
    (tmp_path / "settings.yaml").write_text(BOMB)
    try:
        parsed = loader._parse(tmp_path / "settings.yaml")
    except TooMuchWalking as exc:  # without the traceback: printing these nodes never ends
        pytest.fail(f"the loader walked the expanded aliases: {exc}", pytrace=False)
    assert visits[0] < 200  # about 30 distinct nodes, each visited twice: not 387 million
    assert parsed.data is None  # never constructed, so never validated
    [problem] = problems_of(tmp_path)
    assert problem.startswith("settings.yaml:5: e: aliases (*name) expand this value to more than "
                              f"{MAX_EXPANDED_NODES:,} values")


def test_every_command_refuses_the_bomb_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text(BOMB)
    env = {"CUSTUI_CONFIG": str(tmp_path), "CUSTUI_DB": str(tmp_path / "db.json")}
    for args in (["config", "check"], ["info"], ["init"]):
        code, _out, err = run_cli(args, env)
        assert code == 2 and "aliases (*name) expand" in err, (args, err)


def test_aliases_that_stay_small_still_work(tmp_path: Path, visits: list[int]) -> None:
    (tmp_path / "loyalty.yaml").write_text(
        "tiers:\n  - id: member\n    name: &same {en: Member, vi: Thành viên}\n"
        "  - id: silver\n    name: *same\n    min_spend: 5000000\n")
    tiers = load_config(tmp_path).loyalty.tiers
    assert [tier.name for tier in tiers] == [tiers[0].name, tiers[0].name]


def test_an_alias_inside_its_own_value_is_refused(tmp_path: Path, visits: list[int]) -> None:
    (tmp_path / "settings.yaml").write_text("currency: VND\nloop: &loop [1, *loop]\n")
    assert problems_of(tmp_path) == [
        "settings.yaml:1: (yaml): an alias (*name) refers to the value that contains it"]


def test_yaml_nested_hundreds_deep_names_the_line_not_a_recursion_error(tmp_path: Path) -> None:
    lines = "".join("  " * level + "x:\n" for level in range(2_000))
    (tmp_path / "settings.yaml").write_text(lines)
    [problem] = problems_of(tmp_path)
    assert problem.startswith("settings.yaml:") and "nested too deeply" in problem


# -- 3. segment rules nested too deep ----------------------------------------------------------
def nested(depth: int) -> dict[str, Any]:
    rule: dict[str, Any] = {"field": "lifecycle", "is": "loyal"}
    for level in range(depth):
        rule = {"not": rule} if level % 2 else {"all": [rule]}
    return rule


def test_rules_up_to_the_limit_parse() -> None:
    assert validate_rule(nested(MAX_RULE_DEPTH - 1)) == []
    parse_rule(nested(MAX_RULE_DEPTH - 1))


@pytest.mark.parametrize("depth", [MAX_RULE_DEPTH, 200, 5_000])
def test_rules_nested_deeper_than_the_limit_are_refused_not_a_recursion_error(depth: int) -> None:
    [(path, message)] = validate_rule(nested(depth))
    assert "nest more than 32 levels" in message and path.count(".") + path.count("[") >= 32
    with pytest.raises(RuleError):
        parse_rule(nested(depth))


def test_a_deep_segment_rule_in_yaml_names_file_line_and_key(tmp_path: Path) -> None:
    depth = 60
    rule = "{not: " * depth + "{field: lifecycle, is: loyal}" + "}" * depth
    (tmp_path / "segments.yaml").write_text(f"custom:\n  - id: deep\n    name: Deep\n    rule: {rule}\n")
    env = {"CUSTUI_CONFIG": str(tmp_path), "CUSTUI_DB": str(tmp_path / "db.json")}
    code, _out, err = run_cli(["config", "check"], env)
    assert code == 2, err
    assert f"{tmp_path}/segments.yaml:4: custom[0].rule.not.not." in err
    assert "rules nest more than 32 levels deep" in err and "internal error" not in err


def test_an_amount_in_yaml_above_the_largest_amount_is_refused(tmp_path: Path) -> None:
    (tmp_path / "loyalty.yaml").write_text(
        "tiers:\n  - id: member\n    name: {en: Member, vi: Thành viên}\n"
        "  - id: silver\n    name: {en: Silver, vi: Bạc}\n    min_spend: 99999999999999999999999\n")
    [problem] = problems_of(tmp_path)
    assert problem.startswith("loyalty.yaml:6: tiers[1].min_spend: an amount may be at most 10000000000000 VND")
