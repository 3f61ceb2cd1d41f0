"""`custui config check` and `custui config init`: summarize a loaded config, write defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from custui.config.loader import AppConfig
from custui.domain.money import format_amount
from custui.paths import CONFIG_FILES, shipped_config_dir


def summarize(config: AppConfig) -> dict[str, Any]:
    """A JSON-ready summary of what the config defines; amounts in integer minor units."""
    loyalty, segments, care = config.loyalty, config.segments, config.care
    return {
        "sources": {name: str(path) for name, path in config.sources.items()},
        "locale": config.settings.locale,
        "currency": config.currency,
        "tiers": [
            {
                "id": tier.id,
                "name": tier.name.en,
                "min_spend": tier.min_spend,
                "min_orders": tier.min_orders,
            }
            for tier in loyalty.tiers
        ],
        "vouchers": [rule.id for rule in loyalty.vouchers],
        "surveys": [
            {"id": survey.id, "title": survey.title.en, "questions": len(survey.questions)}
            for survey in config.surveys.surveys
        ],
        "segments": {
            "frequency_bands": [band.id for band in segments.frequency_bands],
            "aov_bands": [band.id for band in segments.aov_bands],
            "custom": [segment.id for segment in segments.custom],
        },
        "categories": [category.id for category in care.complaint_categories],
        "severities": [
            {"id": severity.id, "sla_hours": severity.sla_hours} for severity in care.severities
        ],
        "keymap": dict(config.settings.keymap),
    }


def write_defaults(target_dir: Path, force: bool = False) -> list[Path]:
    from custui.store.safe_files import write_atomic

    """Copy the shipped YAML files into target_dir; existing files are kept unless force.

    Returns the paths written (skipped files are not listed).
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in CONFIG_FILES:
        target = target_dir / name
        if target.exists() and not force:
            continue
        # never through a symlink or over a FIFO planted in the folder (NotARegularFile)
        write_atomic(target, [(shipped_config_dir() / name).read_bytes()])
        written.append(target)
    return written


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as short human-readable lines for `custui config check`."""
    currency = summary["currency"]
    segments = summary["segments"]
    lines = [f"{name}: {path}" for name, path in summary["sources"].items()]
    lines.append(f"locale {summary['locale']}, currency {currency}")
    tiers = ", ".join(
        f"{tier['name']} (from {format_amount(tier['min_spend'], currency)} or "
        f"{tier['min_orders']} orders)"
        for tier in summary["tiers"]
    )
    lines.append(f"tiers ({len(summary['tiers'])}): {tiers}")
    lines.append(f"voucher rules ({len(summary['vouchers'])}): {', '.join(summary['vouchers'])}")
    surveys = ", ".join(f"{s['id']} ({s['questions']} questions)" for s in summary["surveys"])
    lines.append(f"surveys ({len(summary['surveys'])}): {surveys}")
    for key in ("frequency_bands", "aov_bands", "custom"):
        lines.append(f"segments {key.replace('_', ' ')}: {', '.join(segments[key]) or '-'}")
    lines.append(f"complaint categories ({len(summary['categories'])}): {', '.join(summary['categories'])}")
    severities = ", ".join(f"{s['id']} {s['sla_hours']} h" for s in summary["severities"])
    lines.append(f"severities: {severities}")
    lines.append(f"keymap overrides: {len(summary['keymap'])}")
    return lines
