"""The shipped defaults, per-file fallback, money scaling and `config init`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from custui.config.check import summarize, summary_lines, write_defaults
from custui.config.loader import load_config
from custui.domain.models.base import Localized
from custui.domain.models.loyalty import Loyalty, Tier
from custui.errors import ConfigError
from custui.paths import CONFIG_FILES, shipped_config_dir


def _labels(value: object) -> list[Localized]:
    """Every Localized label inside a model tree."""
    if isinstance(value, Localized):
        return [value]
    if isinstance(value, BaseModel):
        return [label for name in type(value).model_fields for label in _labels(getattr(value, name))]
    if isinstance(value, list):
        return [label for item in value for label in _labels(item)]
    return []


def test_shipped_defaults_follow_the_seeds() -> None:
    config = load_config(None)
    assert config.sources == {name: shipped_config_dir() / name for name in CONFIG_FILES}
    assert (config.settings.db, config.settings.locale, config.currency) == (None, "en", "VND")
    assert config.settings.backups_kept == 10 and config.settings.keymap == {}

    assert [c.id for c in config.care.complaint_categories] == [
        "product_quality", "wrong_information", "staff_attitude", "transaction",
        "unclear_policy", "after_sales",
    ]
    assert [(s.id, s.sla_hours) for s in config.care.severities] == [
        ("low", 72), ("medium", 24), ("high", 4),
    ]
    assert config.care.sla_hours("transaction", "high") == 2
    assert config.care.sla_hours("staff_attitude", "medium") == 24

    loyalty = config.loyalty
    assert [t.name.en for t in loyalty.tiers] == ["Member", "Silver", "Gold", "Diamond"]
    spends = [t.min_spend for t in loyalty.tiers]
    assert spends == sorted(spends) and loyalty.tier_window_days == 365
    seed_rule = next(rule for rule in loyalty.vouchers if rule.when.segment == "high_value")
    assert (seed_rule.when.min_order_total, seed_rule.amount) == (1_000_000, 100_000)
    assert any(rule.when.birthday_month for rule in loyalty.vouchers)
    assert any(rule.when.first_purchase for rule in loyalty.vouchers)
    assert loyalty.referral.reward_points > 0

    surveys = {s.id: s for s in config.surveys.surveys}
    after = [(q.id, q.type) for q in surveys["after_purchase"].questions]
    assert after == [
        ("product_quality", "rating"), ("staff_attitude", "rating"),
        ("information_accuracy", "rating"), ("policy_clarity", "rating"),
        ("after_sales_support", "rating"), ("nps", "nps"), ("comment", "text"),
    ]
    assert [q.type for q in surveys["complaint_follow_up"].questions] == ["yes_no", "rating", "text"]

    custom = {s.id: s.rule for s in config.segments.custom}
    assert custom["loyal_active"] == {
        "all": [{"field": "lifecycle", "is": "loyal"}, {"field": "orders_last_90d", "gte": 3}]
    }


def test_every_shipped_label_has_english_and_vietnamese() -> None:
    config = load_config(None)
    labels = [
        label
        for model in (config.loyalty, config.surveys, config.segments, config.care)
        for label in _labels(model)
    ]
    assert len(labels) > 50
    assert [label.en for label in labels if not (label.en and label.vi)] == []


def test_each_missing_file_falls_back_to_the_shipped_default(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("locale: vi\n", encoding="utf-8")
    (tmp_path / "care.yaml").write_text(
        "complaint_categories: [{id: late, name: {en: Late, vi: Trễ}}]\n"
        "severities: [{id: normal, name: Normal, sla_hours: 8}]\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.settings.locale == "vi" and config.settings.backups_kept == 10
    assert [c.id for c in config.care.complaint_categories] == ["late"]
    assert len(config.loyalty.tiers) == 4
    assert config.sources["care.yaml"] == tmp_path / "care.yaml"
    assert config.sources["loyalty.yaml"] == shipped_config_dir() / "loyalty.yaml"


def test_a_missing_config_dir_uses_only_shipped_files(tmp_path: Path) -> None:
    config = load_config(tmp_path / "does-not-exist")
    assert set(config.sources.values()) == {shipped_config_dir() / name for name in CONFIG_FILES}


def test_plain_string_label_is_the_english_label(tmp_path: Path) -> None:
    (tmp_path / "surveys.yaml").write_text(
        "surveys:\n  - id: s\n    title: Quick\n    questions: [{id: q, type: text, text: Why}]\n",
        encoding="utf-8",
    )
    (tmp_path / "care.yaml").write_text(
        "complaint_categories: [{id: a, name: A}]\nseverities: [{id: s, name: S, sla_hours: 1}]\n"
        "follow_ups: {feedback_survey: s, complaint_survey: null}\n",
        encoding="utf-8",
    )
    survey = load_config(tmp_path).surveys.surveys[0]
    assert survey.title == Localized(en="Quick") and survey.title.get("vi") == "Quick"


def test_own_surveys_without_the_shipped_ids_explain_the_shipped_care_file(tmp_path: Path) -> None:
    (tmp_path / "surveys.yaml").write_text(
        "surveys: [{id: s, title: S, questions: [{id: q, type: text, text: Why}]}]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    shipped = shipped_config_dir() / "care.yaml"
    shipped_lines = shipped.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(shipped_lines, 1) if "feedback_survey:" in text)
    assert caught.value.problems[0].startswith(
        f"{shipped}:{line}: follow_ups.feedback_survey: unknown survey 'after_purchase' (surveys.yaml has: s)"
        "; this is the shipped care.yaml: add your own copy (custui config init) to change it"
    )


def _loyalty(tmp_path: Path, currency: str, amount: str) -> Loyalty:
    (tmp_path / "settings.yaml").write_text(f"currency: {currency}\n", encoding="utf-8")
    (tmp_path / "loyalty.yaml").write_text(
        "earn: {per_amount: 10}\n"
        f"tiers:\n  - id: base\n    name: Base\n  - id: gold\n    name: Gold\n    min_spend: {amount}\n"
        f"vouchers:\n  - id: v\n    name: V\n    when: {{min_order_total: {amount}}}\n    amount: {amount}\n"
        "referral: {reward_amount: 5}\n",
        encoding="utf-8",
    )
    (tmp_path / "segments.yaml").write_text(
        f"aov_bands:\n  - {{id: low, name: Low, below: {amount}}}\n  - {{id: high, name: High}}\n",
        encoding="utf-8",
    )
    (tmp_path / "care.yaml").write_text(
        "complaint_categories: [{id: a, name: A}]\nseverities: [{id: s, name: S, sla_hours: 1}]\n"
        f"goodwill: {{voucher_amount: {amount}}}\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.segments.aov_bands[0].below == config.care.goodwill.voucher_amount
    return config.loyalty


def test_vnd_amounts_are_whole_dong(tmp_path: Path) -> None:
    loyalty = _loyalty(tmp_path, "VND", "1_000_000")
    assert loyalty.tiers[1].min_spend == 1_000_000
    assert loyalty.vouchers[0].amount == loyalty.vouchers[0].when.min_order_total == 1_000_000
    assert loyalty.earn.per_amount == 10 and loyalty.referral.reward_amount == 5


def test_usd_amounts_become_cents(tmp_path: Path) -> None:
    loyalty = _loyalty(tmp_path, "usd", "12.50")
    assert loyalty.tiers[1].min_spend == 1250 and loyalty.vouchers[0].amount == 1250
    assert loyalty.earn.per_amount == 1000 and loyalty.referral.reward_amount == 500


@pytest.mark.parametrize(
    ("currency", "amount", "message"),
    [
        ("VND", "1000.5", "VND amounts are whole numbers (got 1000.5)"),
        ("USD", "12.505", "USD amounts have at most 2 decimal places (got 12.505)"),
        ("VND", '"1.000.000"', "write an amount as a plain number without thousands separators, "
         "e.g. 1000000 (got '1.000.000')"),
    ],
)
def test_amounts_finer_than_the_currency_or_not_numbers_are_refused(
    tmp_path: Path, currency: str, amount: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _loyalty(tmp_path, currency, amount)
    assert f"{tmp_path}/loyalty.yaml:7: tiers[1].min_spend: {message}" in caught.value.problems
    assert f"{tmp_path}/care.yaml:3: goodwill.voucher_amount: {message}" in caught.value.problems


def test_models_built_in_python_take_minor_units_as_is() -> None:
    tier = Tier(id="gold", name=Localized(en="Gold"), min_spend=1250)
    assert tier.min_spend == 1250
    assert Loyalty.model_validate({"point_value": 5}, context={"currency": "USD"}).point_value == 500


def test_summary_lists_tiers_surveys_segments_categories_and_sources() -> None:
    summary = summarize(load_config(None))
    json.dumps(summary)  # ready for --format json
    assert [t["id"] for t in summary["tiers"]] == ["member", "silver", "gold", "diamond"]
    assert summary["tiers"][2]["min_spend"] == 20_000_000
    assert {s["id"]: s["questions"] for s in summary["surveys"]}["after_purchase"] == 7
    assert "loyal_active" in summary["segments"]["custom"]
    assert len(summary["categories"]) == 6
    assert summary["sources"]["care.yaml"].endswith("care.yaml")


def test_write_defaults_never_overwrites_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    written = write_defaults(target)
    assert written == [target / name for name in CONFIG_FILES]
    assert load_config(target).sources["loyalty.yaml"] == target / "loyalty.yaml"

    (target / "settings.yaml").write_text("locale: vi\n", encoding="utf-8")
    (target / "care.yaml").unlink()
    assert write_defaults(target) == [target / "care.yaml"]
    assert load_config(target).settings.locale == "vi"

    assert write_defaults(target, force=True) == written
    assert load_config(target).settings.locale == "en"


def test_summary_lines_read_well() -> None:
    lines = summary_lines(summarize(load_config(None)))
    assert (
        "tiers (4): Member (from 0 or 0 orders), Silver (from 5,000,000 or 5 orders), "
        "Gold (from 20,000,000 or 15 orders), Diamond (from 50,000,000 or 30 orders)"
    ) in lines
    assert (
        "surveys (3): after_purchase (7 questions), complaint_follow_up (3 questions), "
        "buying_factors (3 questions)"
    ) in lines
