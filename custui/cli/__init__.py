"""The `custui` command: opens the app, plus non-interactive subcommands.

Exit codes: 0 ok, 2 bad input or config, 3 database locked, unreadable or missing.
Errors print as messages on stderr, never as tracebacks (set CUSTUI_DEBUG=1 for one).
"""

from __future__ import annotations

import io
import os
import sys

import click

from custui.cli.options import common_options, option, resolve
from custui.cli.output import say
from custui.errors import EXIT_BAD_INPUT, CustuiError


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@common_options
@click.option("--read-only", is_flag=True, help="Open without taking the write lock.")
@click.version_option(package_name="custui")
@click.pass_context
def cli(ctx: click.Context, read_only: bool) -> None:
    """custui: look customers up, record purchases, feedback and complaints, run loyalty.

    Without a subcommand, opens the app on the database.
    """
    if ctx.invoked_subcommand is None:
        from custui.cli.run_app import run_app

        run_app(resolve(ctx), read_only=read_only, operator=option(ctx, "operator"))


def _register() -> None:
    from custui.cli import config_commands, customer_commands, db_commands, migrate_command

    for module in (db_commands, config_commands, migrate_command, customer_commands):
        for command in module.COMMANDS:
            cli.add_command(command)
    try:  # optional command modules added by later work
        from custui.cli import data_commands  # noqa: F401
    except ImportError:
        pass
    else:
        for command in data_commands.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns custui errors into messages and exit codes."""
    try:
        cli.main(args=argv, prog_name="custui", standalone_mode=False)
    except click.exceptions.Abort:
        say("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        shown = io.StringIO()  # click quotes what was typed (a command name, a value)
        exc.show(file=shown)
        say(shown.getvalue().rstrip("\n"), err=True)
        sys.exit(EXIT_BAD_INPUT if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except CustuiError as exc:
        say(f"custui: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        from custui.store.safe_files import NotARegularFile

        if isinstance(exc, NotARegularFile):  # an output path that is a symlink, FIFO, device
            say(f"custui: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        _internal_error(exc)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        _internal_error(exc)
    sys.exit(0)


def _internal_error(exc: Exception) -> None:
    if os.environ.get("CUSTUI_DEBUG"):
        raise exc
    say(f"custui: internal error: {type(exc).__name__}: {exc}", err=True)
    say("Run with CUSTUI_DEBUG=1 for details.", err=True)
    sys.exit(1)
