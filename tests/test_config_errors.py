"""Every kind of config error is reported as FILE:LINE: key.path: message, all at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from custui.config.loader import load_config
from custui.errors import EXIT_BAD_INPUT, ConfigError

LOYALTY_OK = """\
tiers:
  - id: member
    name: {en: Member, vi: Thành viên}
  - id: silver
    name: {en: Silver, vi: Bạc}
    min_spend: 5000000
    min_orders: 5
vouchers:
  - id: big
    name: Big invoice
    when: {segment: high_value, min_order_total: 1000000}
    amount: 100000
"""


def problems(tmp_path: Path, **files: str) -> list[str]:
    """Write the given files (loyalty="...") into a config dir; return the problems, dir stripped."""
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.exit_code == EXIT_BAD_INPUT
    return [line.replace(f"{tmp_path}/", "") for line in caught.value.problems]


def test_unknown_top_level_key_points_at_the_key_and_suggests(tmp_path: Path) -> None:
    text = LOYALTY_OK + "tier_windw_days: 30\n"
    [problem] = problems(tmp_path, loyalty=text)
    assert problem.startswith(
        "loyalty.yaml:13: tier_windw_days: unknown key; did you mean 'tier_window_days'? (allowed: "
    )


def test_unknown_nested_key_in_a_list_item(tmp_path: Path) -> None:
    text = LOYALTY_OK.replace("    min_orders: 5\n", "    min_orders: 5\n    min_spnd: 1\n")
    [problem] = problems(tmp_path, loyalty=text)
    assert problem.startswith("loyalty.yaml:8: tiers[1].min_spnd: unknown key; did you mean 'min_spend'?")
    assert "allowed: id, name, min_spend, min_orders, multiplier, benefits" in problem


def test_wrong_types_are_errors_not_coerced(tmp_path: Path) -> None:
    text = LOYALTY_OK.replace("min_orders: 5", 'min_orders: "5"')
    assert problems(tmp_path, loyalty=text) == [
        "loyalty.yaml:7: tiers[1].min_orders: Input should be a valid integer (got '5')"
    ]
    surveys = """\
    surveys:
      - id: s
        title: S
        questions:
          - id: q
            type: rating
            text: Q
            required: "yes"
    """
    assert problems(tmp_path, surveys=surveys)[-1] == (
        "surveys.yaml:8: surveys[0].questions[0].required: Input should be a valid boolean (got 'yes')"
    )


def test_literal_choices_are_named(tmp_path: Path) -> None:
    assert problems(tmp_path, settings="locale: fr\n") == [
        "settings.yaml:1: locale: Input should be 'en' or 'vi' (got 'fr')"
    ]


def test_missing_key_points_at_the_parent_mapping(tmp_path: Path) -> None:
    text = LOYALTY_OK.replace("    name: {en: Silver, vi: Bạc}\n", "")
    assert problems(tmp_path, loyalty=text) == [
        "loyalty.yaml:4: tiers[1].name: required key is missing"
    ]


def test_model_rule_error_points_at_the_item(tmp_path: Path) -> None:
    text = LOYALTY_OK + "  - id: both\n    name: Both\n    when: {first_purchase: true}\n    amount: 1\n    percent: 5\n"
    assert problems(tmp_path, loyalty=text) == [
        "loyalty.yaml:13: vouchers[1]: give exactly one of amount or percent"
    ]


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "loyalty",
            LOYALTY_OK + "  - id: big\n    name: Again\n    when: {first_purchase: true}\n    amount: 5\n",
            "loyalty.yaml:13: vouchers[1].id: duplicate id 'big' (also vouchers[0] at line 9)",
        ),
        (
            "loyalty",
            LOYALTY_OK.replace("id: silver", "id: member"),
            "loyalty.yaml:4: tiers[1].id: duplicate id 'member' (also tiers[0] at line 2)",
        ),
        (
            "care",
            """\
            complaint_categories:
              - {id: a, name: A}
              - {id: a, name: B}
            severities:
              - {id: low, name: Low, sla_hours: 4}
              - {id: low, name: Low2, sla_hours: 5}
            """,
            "care.yaml:3: complaint_categories[1].id: duplicate id 'a' (also complaint_categories[0] at line 2)",
        ),
        (
            "surveys",
            """\
            surveys:
              - id: s
                title: S
                questions:
                  - {id: q, type: yes_no, text: Q}
                  - {id: q, type: yes_no, text: Q2}
            """,
            "surveys.yaml:6: surveys[0].questions[1].id: duplicate id 'q' (also surveys[0].questions[0] at line 5)",
        ),
        (
            "surveys",
            """\
            surveys:
              - id: s
                title: S
                questions:
                  - id: q
                    type: choice
                    text: Q
                    choices: [{id: a, text: A}, {id: a, text: B}]
              - id: s
                title: S again
                questions: [{id: q, type: text, text: Q}]
            """,
            "surveys.yaml:8: surveys[0].questions[0].choices[1].id: duplicate id 'a' "
            "(also surveys[0].questions[0].choices[0] at line 8)",
        ),
        (
            "segments",
            """\
            custom:
              - {id: vip, name: VIP, rule: {field: tier, is: gold}}
              - {id: vip, name: VIP2, rule: {field: tier, is: diamond}}
            """,
            "segments.yaml:3: custom[1].id: duplicate id 'vip' (also custom[0] at line 2)",
        ),
    ],
)
def test_duplicate_ids(tmp_path: Path, file: str, text: str, expected: str) -> None:
    assert expected in problems(tmp_path, **{file: text})


def test_duplicate_severities_and_surveys_both_reported(tmp_path: Path) -> None:
    care = """\
    complaint_categories: [{id: a, name: A}]
    severities:
      - {id: low, name: Low, sla_hours: 4}
      - {id: low, name: Low2, sla_hours: 5}
    """
    found = problems(tmp_path, care=care)
    assert found == ["care.yaml:4: severities[1].id: duplicate id 'low' (also severities[0] at line 3)"]


def test_segment_ids_may_not_clash_across_lists_or_with_builtins(tmp_path: Path) -> None:
    segments = """\
    aov_bands:
      - {id: small, name: Small, below: 100}
      - {id: big, name: Big}
    custom:
      - {id: loyal, name: Mine, rule: {field: tier, is: gold}}
      - {id: small, name: Again, rule: {field: tier, is: gold}}
    """
    assert problems(tmp_path, segments=segments) == [
        "segments.yaml:5: custom[0].id: id 'loyal' is already a built-in segment",
        "segments.yaml:6: custom[1].id: id 'small' is already used by aov_bands[0]",
    ]


def test_tier_thresholds_must_ascend_and_differ(tmp_path: Path) -> None:
    text = """\
    tiers:
      - id: member
        name: Member
      - id: silver
        name: Silver
        min_spend: 5000000
        min_orders: 5
      - id: gold
        name: Gold
        min_spend: 4000000
        min_orders: 9
      - id: gold2
        name: Gold 2
        min_spend: 4000000
        min_orders: 9
      - id: gold3
        name: Gold 3
        min_spend: 6000000
        min_orders: 2
    """
    assert problems(tmp_path, loyalty=text) == [
        "loyalty.yaml:10: tiers[2].min_spend: must not be lower than the tier before ('silver': "
        "5000000); list tiers from lowest to highest",
        "loyalty.yaml:12: tiers[3]: same min_spend and min_orders as tier 'gold'; raise one of them",
        "loyalty.yaml:19: tiers[4].min_orders: must not be lower than the tier before ('gold2': 9); "
        "list tiers from lowest to highest",
    ]


def test_bands_must_ascend_and_only_the_last_is_open(tmp_path: Path) -> None:
    segments = """\
    frequency_bands:
      - {id: weekly, name: Weekly, below: 10}
      - {id: monthly, name: Monthly, below: 10}
      - {id: odd, name: Odd}
      - {id: rare, name: Rare, below: 400}
    aov_bands:
      - {id: big, name: Big, below: 2000000}
      - {id: small, name: Small, below: 100000}
      - {id: rest, name: Rest}
    """
    assert problems(tmp_path, segments=segments) == [
        "segments.yaml:3: frequency_bands[1].below: must be greater than the band before (10.0); "
        "list bands from lowest up",
        "segments.yaml:4: frequency_bands[2]: only the last band may leave out `below`",
        "segments.yaml:5: frequency_bands[3].below: the last band takes everyone else: remove `below`",
        "segments.yaml:8: aov_bands[1].below: must be greater than the band before (2000000); "
        "list bands from lowest up",
    ]


def test_references_to_unknown_ids(tmp_path: Path) -> None:
    care = """\
    complaint_categories: [{id: a, name: A}, {id: b, name: B}]
    severities: [{id: low, name: Low, sla_hours: 4}]
    sla_overrides:
      - {category: a, severity: low, sla_hours: 2}
      - {category: zz, sla_hours: 2}
      - {category: b, severity: urgent, sla_hours: 2}
      - {category: a, severity: low, sla_hours: 3}
    follow_ups:
      feedback_survey: nope
    """
    loyalty = LOYALTY_OK.replace("segment: high_value", "segment: whales, tier: platinum")
    assert problems(tmp_path, care=care, loyalty=loyalty) == [
        "loyalty.yaml:11: vouchers[0].when.segment: unknown segment 'whales' (see segments.yaml)",
        "loyalty.yaml:11: vouchers[0].when.tier: unknown tier 'platinum' (tiers: member, silver)",
        "care.yaml:5: sla_overrides[1].category: unknown category 'zz' (categories: a, b)",
        "care.yaml:6: sla_overrides[2].severity: unknown severity 'urgent' (severities: low)",
        "care.yaml:7: sla_overrides[3]: same category and severity as sla_overrides[0]",
        "care.yaml:9: follow_ups.feedback_survey: unknown survey 'nope' (surveys.yaml has: "
        "after_purchase, complaint_follow_up, buying_factors)",
    ]


def test_voucher_rule_needs_a_condition(tmp_path: Path) -> None:
    text = LOYALTY_OK.replace("{segment: high_value, min_order_total: 1000000}", "{}")
    assert problems(tmp_path, loyalty=text) == [
        "loyalty.yaml:11: vouchers[0].when: give at least one condition"
    ]


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    text = "tiers:\n  - id: a\n    name: [unclosed\n  - id: b\n"
    [problem] = problems(tmp_path, loyalty=text)
    assert problem.startswith("loyalty.yaml:4: (yaml): YAML syntax error: ")


def test_unsafe_tags_are_refused(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, settings="db: !!python/object/apply:os.getcwd []\n")
    assert problem.startswith("settings.yaml:1: (yaml): YAML syntax error: could not determine a constructor")


def test_duplicate_mapping_keys(tmp_path: Path) -> None:
    text = "locale: en\ncurrency: VND\nlocale: vi\n"
    assert problems(tmp_path, settings=text) == [
        "settings.yaml:3: locale: duplicate key 'locale' (first at line 1)"
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "a list"), ("\n\njust words\n", "a single value ('just words')")],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    line = 1 if text.startswith("-") else 3
    assert problems(tmp_path, surveys=text) == [
        f"surveys.yaml:{line}: (top): the file must be a mapping of keys (like `currency: VND`), not {kind}"
    ]


def test_empty_file_means_defaults_and_required_keys_are_reported(tmp_path: Path) -> None:
    (tmp_path / "loyalty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert problems(tmp_path, care="") == ["care.yaml:1: complaint_categories: required key is missing",
                                            "care.yaml:1: severities: required key is missing"]


def test_keymap_keys_must_be_textual_key_names(tmp_path: Path) -> None:
    settings = """\
    keymap:
      lookup.new-customer: ctrl+n
      profile.new-order: F2
      app.help: question_mark
      lookup.focus-search: ctrl+?
      lookup.open: hyperspace
    """
    assert problems(tmp_path, settings=settings) == [
        "settings.yaml:3: keymap.profile.new-order: 'F2': unknown key 'F2' (e.g. ctrl+n, f2, n, "
        "escape, question_mark); did you mean 'f2'?",
        "settings.yaml:5: keymap.lookup.focus-search: 'ctrl+?': with a modifier, write the key's name "
        "(e.g. ctrl+question_mark), not '?'",
        "settings.yaml:6: keymap.lookup.open: 'hyperspace': unknown key 'hyperspace' (e.g. ctrl+n, "
        "f2, n, escape, question_mark)",
    ]


def test_keymap_binding_ids_checked_against_the_registry(tmp_path: Path) -> None:
    settings = "keymap:\n  lookup.new-customer: ctrl+n\n  lookup.serch: f2\n  zzz: f3\n"
    assert problems(tmp_path, settings=settings) == [
        "settings.yaml:3: keymap.lookup.serch: unknown binding id 'lookup.serch' (F1 lists them); "
        "did you mean 'lookup.focus-search'?",
        "settings.yaml:4: keymap.zzz: unknown binding id 'zzz' (F1 lists them)",
    ]


def test_the_real_binding_registry_accepts_its_own_ids(tmp_path: Path) -> None:
    from custui.keymap import DEFAULT_KEYS

    keymap = "".join(f"  {binding_id}: '{keys}'\n" for binding_id, keys in sorted(DEFAULT_KEYS.items()))
    (tmp_path / "settings.yaml").write_text("keymap:\n" + keymap, encoding="utf-8")
    assert load_config(tmp_path).settings.keymap == DEFAULT_KEYS


def test_a_keymap_clash_is_refused_at_load_naming_the_line(tmp_path: Path) -> None:
    assert problems(tmp_path, settings="keymap:\n  profile.merge: e\n") == [
        "settings.yaml:2: keymap.profile.merge: key 'e' is also 'profile.edit'",
    ]


def test_unknown_currency(tmp_path: Path) -> None:
    assert problems(tmp_path, settings="currency: XYZ\n") == [
        "settings.yaml:1: currency: 'XYZ' is not an ISO 4217 currency code (e.g. VND, USD)"
    ]


def test_errors_from_several_files_are_collected_in_file_order(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        care="complaint_categories: [{id: a, name: A}]\nseverities: []\nextra: 1\n",
        settings="backups_kept: -1\n",
        surveys="surveys: {}\n",
        segments="rfm: {window_days: 0}\n",
        loyalty="earn: {per_amount: 0}\n",
    )
    assert found == [
        "settings.yaml:1: backups_kept: Input should be greater than or equal to 0 (got -1)",
        "loyalty.yaml:1: earn.per_amount: Input should be greater than 0 (got 0)",
        "surveys.yaml:1: surveys: Input should be a valid list",
        "segments.yaml:1: rfm.window_days: Input should be greater than 0 (got 0)",
        "care.yaml:2: severities: List should have at least 1 item after validation, not 0",
        "care.yaml:3: extra: unknown key (allowed: complaint_categories, severities, "
        "sla_overrides, goodwill, follow_ups, detractors)",
    ]


def test_merge_keys_still_find_lines(tmp_path: Path) -> None:
    text = LOYALTY_OK + "referral:\n  <<: {reward_points: -5}\n"
    assert problems(tmp_path, loyalty=text) == [
        "loyalty.yaml:14: referral.reward_points: Input should be greater than or equal to 0 (got -5)"
    ]
