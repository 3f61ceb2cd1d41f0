"""Read the five YAML files (user dir first, shipped defaults for any missing) and validate.

Errors are collected across all files and raised together as ConfigError with lines
formatted `FILE:LINE: key.path: message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from custui.config.care import Care
from custui.config.loyalty import Loyalty
from custui.config.segments import Segments
from custui.config.settings import Settings
from custui.config.surveys import Surveys
from custui.errors import ConfigError
from custui.paths import CONFIG_FILES, shipped_config_dir


@dataclass(frozen=True)
class AppConfig:
    settings: Settings
    loyalty: Loyalty
    surveys: Surveys
    segments: Segments
    care: Care
    # file name -> the path it was read from
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        return self.settings.currency


def source_path(name: str, config_dir: Path | None) -> Path:
    if config_dir is not None and (config_dir / name).is_file():
        return config_dir / name
    return shipped_config_dir() / name


def load_config(config_dir: Path | None = None) -> AppConfig:
    """PLACEHOLDER (to be replaced by the strict loader): plain load, no line numbers."""
    sources = {name: source_path(name, config_dir) for name in CONFIG_FILES}
    data = {}
    for name, path in sources.items():
        try:
            data[name] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError([f"{path}:1: {exc}"]) from exc
    return AppConfig(
        settings=Settings.model_validate(data["settings.yaml"]),
        loyalty=Loyalty.model_validate(data["loyalty.yaml"]),
        surveys=Surveys.model_validate(data["surveys.yaml"]),
        segments=Segments.model_validate(data["segments.yaml"]),
        care=Care.model_validate(data["care.yaml"]),
        sources=sources,
    )
