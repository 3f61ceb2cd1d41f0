"""Errors the CLI and the app turn into messages and exit codes (never tracebacks)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3


class CustuiError(Exception):
    """Base class: carries a user-facing message and the exit code the CLI uses."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(CustuiError):
    """The user gave input we cannot use (a bad file, option or field); `field`: the form field
    it is about, when one is (a form flags it in place)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ConfigError(BadInput):
    """One or more YAML config problems, each already formatted `FILE:LINE: key.path: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class DatabaseError(CustuiError):
    """The database cannot be used: missing, unreadable, corrupt, locked or too new."""

    exit_code = EXIT_DATABASE


class DatabaseMissing(DatabaseError):
    pass


class DatabaseCorrupt(DatabaseError):
    pass


class DatabaseLocked(DatabaseError):
    """Another process holds the write lock; `owner` describes it (pid, host, command)."""

    def __init__(self, message: str, owner: str = "") -> None:
        super().__init__(message)
        self.owner = owner


class SchemaTooNew(DatabaseError):
    pass


class NotSaved(DatabaseError):
    """A write could not reach the disk (disk full, I/O error): nothing of it was kept."""


class ReadOnlyStore(DatabaseError):
    """A write was attempted on a store opened read-only."""


class StaleRecord(CustuiError):
    """Optimistic concurrency: the record changed since it was read (PostgreSQL store)."""

    exit_code = EXIT_DATABASE


class DatabaseUnreachable(DatabaseError):
    """The database server cannot be reached or refused us (wrong password, no such database)."""


class ConnectionLost(DatabaseError):
    """The connection dropped during a write: the change was not acknowledged (not saved)."""
