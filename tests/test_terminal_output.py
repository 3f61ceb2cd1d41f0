"""What the CLI writes to a terminal never carries escape codes, BEL or C1 controls from
user text (a customer name must not retitle the terminal or clear the screen); files and
pipes get the data unchanged.

The commands run under a real pseudo-terminal, so isatty() is true as for an operator.
"""

from __future__ import annotations

import errno
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run_cli
from test_import_cli import write

from custui.domain.text import terminal_text

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\u009b31mName\x0fX\rY"
FORBIDDEN = (b"\x1b", b"\x07", "\u009b".encode(), b"\x0f")


def in_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run `custui ARGS` with stdout and stderr on a pseudo-terminal; everything it wrote."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "custui", *args], stdin=subprocess.DEVNULL, stdout=slave,
        stderr=slave, env={**os.environ, **env, "NO_COLOR": "1"}, close_fds=True)
    os.close(slave)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError as exc:  # EIO: the child closed the terminal
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
        proc.wait(timeout=120)
    return b"".join(chunks)


def assert_clean(shown: bytes) -> None:
    for bad in FORBIDDEN:
        assert bad not in shown, shown
    assert b"Evil" in shown and b"pwned" in shown, shown  # shown, made harmless (or JSON-escaped)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "cfg").mkdir()
    values = {"CUSTUI_DB": str(tmp_path / "db.json"), "CUSTUI_CONFIG": str(tmp_path / "cfg")}
    assert run_cli(["init"], values)[0] == 0
    people = write(tmp_path, "c.csv", f'code,name\nC1,"{EVIL}"\n')
    code, _out, err = run_cli(["import", "customers", people], values)
    assert code == 0, err
    orders = write(tmp_path, "o.csv", f'customer_code,date,total,items\nC1,2026-01-05,100000,"{EVIL}"\n')
    assert run_cli(["import", "orders", orders], values)[0] == 0
    return values


def test_terminal_text_keeps_lines_and_tabs_and_replaces_the_rest() -> None:
    assert terminal_text("a\tb\r\nc\n\x1b[2J\x07\u009b\rd") == "a\tb\r\nc\n\ufffd[2J\ufffd\ufffd\ufffdd"
    assert terminal_text("Nguyễn Thị Ánh 1.250.000\u00a0₫") == "Nguyễn Thị Ánh 1.250.000\u00a0₫"


def test_exports_to_a_terminal_are_neutralised(env: dict[str, str]) -> None:
    for args in (["export", "customers"], ["export", "orders"], ["export", "customers", "--format", "json"],
                 ["explain", "C1"]):
        shown = in_terminal(args, env)
        assert_clean(shown)


def test_pipes_and_out_files_keep_the_data(env: dict[str, str], tmp_path: Path) -> None:
    code, out, _err = run_cli(["export", "customers"], env)
    assert code == 0 and EVIL.replace("\r", "").split("\x0f")[0] in out
    assert run_cli(["export", "customers", "--out", str(tmp_path / "out.csv")], env)[0] == 0
    [target] = tmp_path.glob("out*.csv")
    assert "Evil\x1b]0;pwned\x07\x1b[2J\u009b31mName" in target.read_text(encoding="utf-8-sig")


def test_messages_echoing_user_text_are_neutralised(env: dict[str, str], tmp_path: Path) -> None:
    bad_rows = write(tmp_path, "bad.csv", f'code,name,phone\nC2,Bình,"{EVIL}"\n')
    shown = in_terminal(["import", "customers", bad_rows], env)
    assert b"bad phone" in shown
    assert_clean(shown)
    (tmp_path / "cfg" / "settings.yaml").write_text(f'currency: VND\n"{EVIL}": 1\n'.replace("\x1b", "\\e")
                                                    .replace("\x07", "\\a").replace("\u009b", "\\x9b")
                                                    .replace("\x0f", "\\x0f").replace("\r", "\\r"))
    shown = in_terminal(["config", "check"], env)
    assert b"unknown key" in shown
    assert_clean(shown)
    (tmp_path / "cfg" / "settings.yaml").unlink()
    missing = str(tmp_path / f"{EVIL}.json")
    shown = in_terminal(["info", "--db", missing], env)
    assert b"No database" in shown
    assert_clean(shown)
