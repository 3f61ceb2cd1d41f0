"""`custui config check`, `init DIR`, `set-pin ID` and `db-roles`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from custui.cli.options import common_options, format_option, option
from custui.cli.output import emit, say
from custui.config.loader import load_config
from custui.errors import EXIT_BAD_INPUT, BadInput, ConfigError
from custui.paths import resolve_config_dir


@click.group("config")
@common_options
def config_group() -> None:
    """Check or write the YAML configuration."""


@config_group.command("check")
@common_options
@format_option
@click.pass_context
def check_command(ctx: click.Context, output_format: str) -> None:
    """Validate every config file; print a summary, or every error as FILE:LINE: key: message."""
    from custui.config.check import summarize, summary_lines

    try:
        config = load_config(resolve_config_dir(option(ctx, "config")))
    except BadInput as exc:  # ConfigError, or a --config/$CUSTUI_CONFIG folder that is not there
        _refuse(exc.problems if isinstance(exc, ConfigError) else [exc.message], output_format)
    summary = summarize(config)
    if output_format == "json":
        emit({"ok": True, **summary}, "json")
        return
    lines = ["Config OK.", *summary_lines(summary)]
    say("\n".join(lines))


def _refuse(problems: list[str], output_format: str) -> NoReturn:
    """Report config problems (JSON, or one a line on stderr) and exit with the bad-input code."""
    if output_format == "json":
        emit({"ok": False, "errors": problems}, "json")
    else:
        for problem in problems:
            say(problem, err=True)
        say(f"{len(problems)} error(s) in config.", err=True)
    sys.exit(EXIT_BAD_INPUT)


@config_group.command("init")
@common_options
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@format_option
def init_command(directory: Path, force: bool, output_format: str) -> None:
    """Write the shipped default config files into DIRECTORY for editing."""
    from custui.config.check import write_defaults

    written = write_defaults(directory, force=force)
    emit(
        {"written": [str(p) for p in written]}, output_format,
        "\n".join(f"wrote {p}" for p in written) or "Nothing written (files exist; use --force).",
    )


@config_group.command("set-pin")
@common_options
@click.argument("operator_id", metavar="ID")
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from the first line of stdin (scripts).")
@format_option
@click.pass_context
def set_pin_command(ctx: click.Context, operator_id: str, pin_stdin: bool, output_format: str) -> None:
    """Set an operator's PIN: asked twice (hidden), stored in settings.yaml as a salted scrypt hash."""
    from custui.cli.roles import interactive
    from custui.config.pin_writer import PinWriteError, with_pin_hash
    from custui.domain.pins import hash_pin
    from custui.i18n import t
    from custui.paths import shipped_config_dir
    from custui.services.exporter import write_private

    config = load_config(resolve_config_dir(option(ctx, "config")))
    path = config.sources.get("settings.yaml")
    if path is None or path.parent.resolve() == shipped_config_dir().resolve():
        raise BadInput("settings.yaml in use is the shipped default: copy it with "
                       "`custui config init DIR`, add operators: there, and use --config DIR")
    if not any(op.id == operator_id for op in config.settings.operators):
        raise BadInput(f"{path}: operator {operator_id!r} is not in operators:")
    if pin_stdin:
        pin = sys.stdin.readline().rstrip("\r\n")
    elif interactive():
        pin = click.prompt(t("roles.pin.prompt"), hide_input=True, confirmation_prompt=True, err=True)
    else:
        raise BadInput("custui config set-pin asks for the PIN at a terminal; in a script use --pin-stdin")
    try:
        text = path.read_text(encoding="utf-8")  # rewritten atomically, 0600
        write_private(path, with_pin_hash(text, operator_id, hash_pin(pin)).encode("utf-8"))
    except (ValueError, PinWriteError) as exc:
        raise BadInput(f"{path}: {exc}") from None
    emit({"operator": operator_id, "settings": str(path)}, output_format,
         t("roles.pin.set", id=operator_id, path=str(path)))


@config_group.command("db-roles")
@common_options
@format_option
@click.pass_context
def db_roles_command(ctx: click.Context, output_format: str) -> None:
    """PostgreSQL: give each operator of settings.yaml their database role and the grants
    (what init and migrate do; run it after adding an operator)."""
    from custui.cli.options import resolve
    from custui.cli.roles import authorize
    from custui.i18n import t
    from custui.store.dispatch import display_location, is_pg_url
    from custui.store.pg_open import ensure_schema
    from custui.store.pg_roles import apply_roles

    resolved = resolve(ctx)
    if not is_pg_url(resolved.db_path):
        raise BadInput(t("pg.roles.not_pg"))
    authorize(ctx, resolved, "init")
    operators = [(op.id, op.role) for op in resolved.config.settings.operators]
    if not operators:
        raise BadInput(t("pg.roles.no_operators"))
    ensure_schema(str(resolved.db_path), create=False)
    apply_roles(str(resolved.db_path), operators)
    emit({"database": display_location(resolved.db_path), "operators": dict(operators)}, output_format,
         "\n".join(f"{op_id}: {role}" for op_id, role in operators))


COMMANDS = [config_group]
