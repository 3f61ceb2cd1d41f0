"""Run `custui ARGS` in-process, as the shell would, for the CLI tests.

In-process (click's isolation) costs milliseconds where a `python -m custui` subprocess costs
about a second of imports; tests/test_cli_core.py keeps true subprocesses for exit codes,
stdout/stderr separation and "no traceback" at the process boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from click.testing import CliRunner

from custui.cli import main

# the variables custui reads: unset unless a test sets them, whatever the shell running pytest has
CLEAN_ENV: dict[str, str | None] = dict.fromkeys(
    ("CUSTUI_DB", "CUSTUI_CONFIG", "CUSTUI_DEBUG", "CUSTUI_OPERATOR", "CUSTUI_PIN", "CUSTUI_TODAY"))


def run_cli_bytes(args: Sequence[str], env: Mapping[str, str | None] | None = None,
                  stdin: str | bytes | None = None) -> tuple[int, bytes, str]:
    """`custui ARGS` with `env` over a clean environment: (exit code, stdout bytes, stderr)."""
    code = 0
    with CliRunner().isolation(input=stdin, env={**CLEAN_ENV, **(env or {})}) as (out, err, _mixed):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, out.getvalue(), err.getvalue().decode()


def run_cli(args: Sequence[str], env: Mapping[str, str | None] | None = None,
            stdin: str | bytes | None = None) -> tuple[int, str, str]:
    """`custui ARGS` with `env` over a clean environment: (exit code, stdout, stderr)."""
    code, out, err = run_cli_bytes(args, env, stdin)
    return code, out.decode(), err
