"""A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, a free port on 127.0.0.1.

The cluster runs as an unprivileged user (postgres refuses to run as root):
the current user when not root, else `CUSTUI_PG_USER` or `postgres` or `nobody`,
through `runuser`. It has one superuser `custui` with password `secret` over TCP
(scram-sha-256), so wrong-password tests are real. It is started once per test
session (shared by every module that uses the `pg_server` fixture) and stopped at exit.

When no server can be started, tests that need it skip with the reason (also
shown as a warning) — except in CI (env CI=true), where the fixture fails loudly.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from custui.store.pg_store import PgStore

SUPERUSER = "custui"
PASSWORD = "secret"
_counter = itertools.count(1)


def _bin_dir() -> Path | None:
    env = os.environ.get("CUSTUI_PG_BIN")
    if env:
        return Path(env)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as_user() -> str | None:
    """The unprivileged user to run the server as, or None to run as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    for name in (os.environ.get("CUSTUI_PG_USER"), "postgres", "nobody"):
        if not name:
            continue
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and no unprivileged user (postgres, nobody) exists")


@dataclass
class PgServer:
    bin_dir: Path
    root: Path
    port: int
    user: str | None
    log: Path = field(init=False)
    stopped: bool = False

    def __post_init__(self) -> None:
        self.log = self.root / "server.log"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _cmd(self, *args: str) -> list[str]:
        if self.user:
            return ["runuser", "-u", self.user, "--", *args]
        return list(args)

    def _run(self, *args: str, timeout: float = 60) -> None:
        done = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o700)
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
            f"--pwfile={pwfile}", "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB"
        )
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                  "-o", options, "-w", "-t", "30", "start")
        atexit.register(self.stop)
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE custui_tests TEMPLATE template0")

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres", password: str | None = PASSWORD) -> str:
        auth = f"{SUPERUSER}:{password}" if password is not None else SUPERUSER
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh empty database (a database of its own: 0.4 s); returns its URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def new_schema(self) -> str:
        """A fresh empty custui database as a schema of the shared test database (a few ms).

        The URL sets search_path through libpq's `options`, as a shop could.
        """
        import psycopg

        name = f"s{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url("custui_tests"), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url("custui_tests") + f"?options=-csearch_path%3D{name}"


_server: PgServer | None = None
_failure: str | None = None


def start_server() -> PgServer:
    """The session's server, started on first use; raises RuntimeError with the reason."""
    global _server, _failure
    if _server is not None:
        return _server
    if _failure is not None:
        raise RuntimeError(_failure)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _failure = "psycopg is not installed (pip install -e '.[pg]')"
        raise RuntimeError(_failure) from None
    bin_dir = _bin_dir()
    if bin_dir is None:
        _failure = "no PostgreSQL server binaries (apt-get install postgresql, or set CUSTUI_PG_BIN)"
        raise RuntimeError(_failure)
    root = Path(tempfile.mkdtemp(prefix="custui-pg-"))
    try:
        user = _run_as_user()
        server = PgServer(bin_dir=bin_dir, root=root, port=_free_port(), user=user)
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        _failure = f"cannot start a PostgreSQL server: {exc}"
        raise RuntimeError(_failure) from None
    _server = server
    return server


def require_server() -> PgServer:
    """Start (or reuse) the server; skip with a printed reason, or fail when CI=true."""
    try:
        return start_server()
    except RuntimeError as exc:
        reason = f"PostgreSQL tests need a server: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: PostgreSQL tests must run)", pytrace=False)
        warnings.warn(reason, stacklevel=2)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    return require_server()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh empty custui database for this test."""
    return pg_server.new_schema()


@pytest.fixture
def opened() -> Iterator[list[PgStore]]:
    """The stores a test opens (it appends them), closed when the test ends."""
    stores: list[PgStore] = []
    yield stores
    for store in stores:
        store.close()


def wait_for(predicate: object, timeout: float = 10.0) -> bool:
    """Poll `predicate()` until true (remote changes arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return bool(predicate())  # type: ignore[operator]
