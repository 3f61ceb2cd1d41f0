"""Printing command results as text or as one JSON document."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson

from custui.domain.text import terminal_text


def _is_terminal(err: bool) -> bool:
    stream = sys.stderr if err else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def say(text: str, err: bool = False) -> None:
    """click.echo that never passes escape codes, BEL or C1 controls to a terminal; output
    that goes to a file or a pipe keeps the text as it is."""
    click.echo(terminal_text(text) if _is_terminal(err) else text, err=err)


def deliver_bytes(data: bytes) -> None:
    """Bytes (an export) to stdout; neutralised like `say` only when stdout is a terminal."""
    if _is_terminal(False):
        data = terminal_text(data.decode("utf-8", errors="replace")).encode("utf-8")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def emit(data: Any, output_format: str, text: str | None = None) -> None:
    """Print `data` as JSON (one document on stdout) or `text` for people."""
    if output_format == "json":
        say(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode())
    else:
        say(text if text is not None else str(data))


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def output_file(path: Path, *, folder: bool = False) -> Path:
    """Check an output path given on the command line (`--out`, `--to`, a new database)
    before any work: it must be new or a regular file (with `folder`: a real folder), never a
    symlink, FIFO or device, and its folder must exist. BadInput (exit 2) otherwise.

    The write itself goes through custui.store.safe_files.write_atomic, which checks again."""
    import os
    import stat

    from custui.errors import BadInput
    from custui.i18n import t
    from custui.store.safe_files import NotARegularFile, check_replaceable, describe_mode

    path = path.expanduser()
    try:
        if folder:
            mode = os.lstat(path).st_mode
            if not stat.S_ISDIR(mode):
                raise BadInput(t("output.unsafe", path=str(path), what=describe_mode(mode)))
            return path
        check_replaceable(path)
    except FileNotFoundError:
        pass
    except NotARegularFile as exc:
        raise BadInput(t("output.unsafe", path=str(path), what=exc.what)) from None
    if not folder and not path.parent.is_dir():
        raise BadInput(t("output.no_folder", path=str(path), folder=str(path.parent)))
    return path
