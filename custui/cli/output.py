"""Printing command results as text or as one JSON document."""

from __future__ import annotations

from typing import Any

import click
import orjson


def emit(data: Any, output_format: str, text: str | None = None) -> None:
    """Print `data` as JSON (one document on stdout) or `text` for people."""
    if output_format == "json":
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode())
    else:
        click.echo(text if text is not None else str(data))


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
