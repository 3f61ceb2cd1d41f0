"""PostgreSQL passwords never reach the screen, whatever characters they hold.

libpq takes `#`, `?` and `/` in a password (raw in key=value strings and in `?password=`,
percent-encoded or even raw in a URL's userinfo), so the one masking function reads a
location the way libpq does. Every command is run against an unused local port: the
output and error paths are checked without a server.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from cli_helpers import run_cli
from test_import_cli import write

from custui.store.dispatch import display_location
from custui.store.pg_conn import mask_url, scrub

PASSWORD = "Tr0ub#d0r?Z3b/r4"
PIECES = [piece for piece in re.split(r"[#?/@]", PASSWORD) if len(piece) >= 3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def locations(port: int) -> list[str]:
    return [
        f"postgresql://shop:{PASSWORD}@127.0.0.1:{port}/shop",  # raw: libpq refuses it
        f"postgresql://shop:{PASSWORD.replace('/', '')}@127.0.0.1:{port}/shop",  # libpq reads it
        f"postgresql://shop:Tr0ub%23d0r%3FZ3b%2Fr4@127.0.0.1:{port}/shop",
        f"postgresql://shop@127.0.0.1:{port}/shop?sslmode=disable&password={PASSWORD}",
        f"postgres://shop:{PASSWORD}@127.0.0.1:{port}/shop?password={PASSWORD}&connect_timeout=2",
        f"host=127.0.0.1 port={port} dbname=shop user=shop password={PASSWORD}",
        f"host=127.0.0.1 port={port} dbname=shop password='{PASSWORD} x\\'y'",
    ]


def assert_hidden(text: str) -> None:
    for secret in (PASSWORD, "Tr0ub%23d0r", *PIECES):
        assert secret not in text, text


@pytest.mark.parametrize("location", locations(5432))
def test_mask_url_hides_the_password_and_keeps_the_rest(location: str) -> None:
    shown = mask_url(location)
    assert_hidden(shown)
    assert "***" in shown and "127.0.0.1" in shown and "shop" in shown
    assert display_location(location) == shown
    assert_hidden(scrub(f"could not read {location!r}", location))


def test_mask_url_takes_the_userinfo_to_the_last_at_sign() -> None:
    assert mask_url("postgresql://shop:p#s@s@host/db") == "postgresql://shop:***@host/db"
    assert mask_url("postgresql://shop@host:5433/db?sslmode=require") == (
        "postgresql://shop@host:5433/db?sslmode=require")  # nothing secret: unchanged
    assert mask_url("postgresql://host/db?password=a#b&sslmode=require") == (
        "postgresql://host/db?password=***&sslmode=require")


@pytest.fixture
def port() -> int:
    return free_port()


def commands(tmp_path: Path, location: str) -> list[list[str]]:
    file_db = tmp_path / "shop.json"
    csv = write(tmp_path, "c.csv", "code,name\nC9,Chi\n")
    return [
        ["info", "--db", location],
        ["info", "--db", location, "--format", "json"],
        ["init", "--db", location],
        ["init", "--db", location, "--demo", "--customers", "5"],
        ["migrate", "--from", str(file_db), "--to", location],
        ["migrate", "--from", location, "--to", str(tmp_path / "copy.json")],
        ["backup", "--db", location],
        ["restore", "--db", location, str(file_db)],
        ["export", "customers", "--db", location],
        ["report", "--db", location],
        ["import", "customers", csv, "--db", location],
    ]


@pytest.mark.parametrize("index", range(len(locations(1))))
def test_every_command_hides_the_password_when_the_server_is_unreachable(
    tmp_path: Path, port: int, index: int,
) -> None:
    location = locations(port)[index]
    env = {"CUSTUI_CONFIG": str(tmp_path), "PGCONNECT_TIMEOUT": "2"}
    assert run_cli(["init", "--db", str(tmp_path / "shop.json")], env)[0] == 0
    for args in commands(tmp_path, location):
        code, out, err = run_cli(args, env)
        assert code in (2, 3), (args, code, err)
        assert "internal error" not in err, (args, err)
        assert_hidden(out + err)
        if args[0] in ("info", "init", "migrate"):
            assert "***" in err, (args, err)
    code, out, err = run_cli(["info"], {**env, "CUSTUI_DB": location})  # through the environment
    assert code in (2, 3) and "***" in err
    assert_hidden(out + err)


def test_settings_db_with_a_password_is_masked_too(tmp_path: Path, port: int) -> None:
    location = locations(port)[3]
    (tmp_path / "settings.yaml").write_text(f"db: {json.dumps(location)}\n")
    code, out, err = run_cli(["info"], {"CUSTUI_CONFIG": str(tmp_path)})
    assert code == 3 and "***" in err
    assert_hidden(out + err)
