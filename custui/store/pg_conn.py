"""Connecting to PostgreSQL: URLs handed to libpq untouched, errors without credentials.

libpq reads what the URL leaves out from the environment (PGPASSWORD, PGHOST,
PGSSLMODE...) and ~/.pgpass, and honours `?sslmode=` in the URL, so psql users'
habits work. We only add a connect timeout and an application name when the
user gave none. Every URL we show has its password masked.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote

from custui.errors import BadInput, DatabaseUnreachable
from custui.i18n import t
from custui.paths import is_db_url

URL_SCHEMES = ("postgresql://", "postgres://")
MASK = "***"

# libpq reads a password up to the next `&` that starts another parameter, `#` and all
_QUERY_PASSWORD = re.compile(r"(?i)([?&]password=).*?(?=&[A-Za-z_]+=|$)", re.S)
# key=value conninfo: a value is 'quoted' (backslash escapes) or runs to the next space
_CONNINFO_PAIR = re.compile(r"""([A-Za-z_]+)(\s*=\s*)('(?:[^'\\]|\\.)*'?|(?:\\.|[^\s\\])*)""", re.S)


def is_pg_url(location: object) -> bool:
    """A PostgreSQL location: a postgresql:// URL or a libpq key=value string."""
    return is_db_url(location)


def _split_url(url: str) -> tuple[str, str | None, str]:
    """(scheme://, userinfo or None, the rest from the host on) of a postgresql:// URL.

    The userinfo runs to the LAST `@`: a password may hold raw `#`, `?`, `/` and even
    `@` (libpq itself may stop earlier, or refuse the URL, but the text is still secret).
    """
    start = url.find("://") + 3
    at = url.rfind("@")
    if at < start:
        return url[:start], None, url[start:]
    return url[:start], url[start:at], url[at:]


def _conninfo_values(text: str, key: str) -> list[str]:
    """The values of `key` in a key=value conninfo string, unquoted as libpq does."""
    found = []
    for match in _CONNINFO_PAIR.finditer(text):
        if match.group(1).lower() == key:
            value = match.group(3)
            if value.startswith("'"):
                value = value[1:-1] if len(value) > 1 and value.endswith("'") else value[1:]
            found.append(re.sub(r"\\(.)", r"\1", value, flags=re.S))
    return found


def mask_url(url: str) -> str:
    """The location with every password replaced by ***, fit to print.

    The one masking function: postgresql:// URLs (password in the userinfo or in
    `?password=`) and libpq key=value strings (`password=...`, quoted or not).
    """
    if not url.strip().lower().startswith(URL_SCHEMES):
        return _CONNINFO_PAIR.sub(
            lambda m: f"{m.group(1)}{m.group(2)}{MASK}" if m.group(1).lower() == "password" else m.group(0),
            url,
        )
    head, userinfo, rest = _split_url(url)
    if userinfo is not None:
        user, colon, _password = userinfo.partition(":")
        head += user + (":" + MASK if colon else "")
    return head + _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", rest)


def _secrets(url: str) -> list[str]:
    """Every password the location (or PGPASSWORD) holds, raw and decoded, and its pieces
    between `#?/@&` (libpq's error messages quote the part of a URL they could not read)."""
    found: list[str] = []
    if url.strip().lower().startswith(URL_SCHEMES):
        _head, userinfo, rest = _split_url(url)
        if userinfo is not None and ":" in userinfo:
            found.append(userinfo.partition(":")[2])
        found += [m.group(0).partition("=")[2] for m in _QUERY_PASSWORD.finditer(rest)]
    else:
        found += _conninfo_values(url, "password")
    env = os.environ.get("PGPASSWORD")
    if env:
        found.append(env)
    found += [unquote(secret) for secret in found]
    found += [piece for secret in found for piece in re.split(r"[#?/@&]", secret)]
    return sorted({s for s in found if len(s) >= 3}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """`text` (an error message) with the URL masked and any password literal removed."""
    text = text.replace(url, mask_url(url))
    for secret in _secrets(url):
        text = text.replace(secret, MASK)
    return " ".join(line.strip() for line in text.strip().splitlines())


def connect(url: str, *, autocommit: bool = False, application_name: str = "custui") -> Any:
    """A psycopg connection; DatabaseUnreachable (exit 3) with a clean message when it fails."""
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise DatabaseUnreachable(t("pg.no_driver")) from None
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        # libpq quotes the part it could not read, which may be a piece of the password
        reason = t("pg.bad_url") if _secrets(url) else scrub(str(exc), url)
        raise BadInput(t("pg.unreachable", url=mask_url(url), reason=reason)) from None
    extra: dict[str, Any] = {}
    if "connect_timeout" not in params and not os.environ.get("PGCONNECT_TIMEOUT"):
        extra["connect_timeout"] = 5
    if "application_name" not in params and not os.environ.get("PGAPPNAME"):
        extra["application_name"] = application_name
    try:
        return psycopg.connect(url, autocommit=autocommit, **extra)
    except psycopg.Error as exc:
        reason = scrub(str(exc), url).removeprefix("connection failed: ")
        raise DatabaseUnreachable(t("pg.unreachable", url=mask_url(url), reason=reason)) from None
