"""Options every command takes, before or after the subcommand, with the same meaning.

`custui --db X info` and `custui info --db X` both work: each occurrence stores its
value in the root context's meta, the one nearest the subcommand winning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from custui.config.loader import AppConfig, load_config
from custui.i18n import set_locale
from custui.paths import resolve_config_dir, resolve_db_path

F = TypeVar("F", bound=Callable[..., Any])
_META = "custui.options"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value is not False:
        ctx.find_root().meta.setdefault(_META, {})[param.name] = value
    return value


def common_options(func: F) -> F:
    """Add --db, --config, --lang and --operator to a command or group."""
    func = click.option(
        "--operator", "operator", metavar="ID", default=None, expose_value=False,
        callback=_remember, help="Who is working (settings.yaml operators) [env: CUSTUI_OPERATOR].",
    )(func)
    func = click.option(
        "--lang", type=click.Choice(["en", "vi"]), default=None, expose_value=False,
        callback=_remember, help="Interface language (default: settings.yaml locale).",
    )(func)
    func = click.option(
        "--config", "config", metavar="DIR", default=None, expose_value=False,
        callback=_remember, help="Config directory [env: CUSTUI_CONFIG].",
    )(func)
    func = click.option(
        "--db", "db", metavar="PATH", default=None, expose_value=False, callback=_remember,
        help="Database file [env: CUSTUI_DB].",
    )(func)
    return func


def format_option(func: F) -> F:
    return click.option(
        "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help="Output format; json prints one JSON document on stdout.",
    )(func)


@dataclass(frozen=True)
class Resolved:
    """The config and database path this invocation uses."""

    config: AppConfig
    config_dir: Path | None
    db_path: Path | str  # a str only for a postgresql:// URL


def option(ctx: click.Context, name: str) -> Any:
    return ctx.find_root().meta.get(_META, {}).get(name)


def resolve(ctx: click.Context) -> Resolved:
    """Load and validate config (ConfigError exits 2), apply the locale, find the database."""
    config_dir = resolve_config_dir(option(ctx, "config"))
    config = load_config(config_dir)
    set_locale(option(ctx, "lang") or config.settings.locale)
    db_path = resolve_db_path(option(ctx, "db"), config.settings.db)
    return Resolved(config=config, config_dir=config_dir, db_path=db_path)
