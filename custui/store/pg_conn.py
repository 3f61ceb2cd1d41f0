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
from urllib.parse import unquote, urlsplit, urlunsplit

from custui.errors import BadInput, DatabaseUnreachable
from custui.i18n import t

URL_SCHEMES = ("postgresql://", "postgres://")
MASK = "***"


def is_pg_url(location: object) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(URL_SCHEMES)


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, fit to print."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"(?i)(password=)[^&\s]*", rf"\g<1>{MASK}", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":" + MASK
        netloc = f"{userinfo}@{host}"
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", rf"\g<1>\g<2>{MASK}", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _secrets(url: str) -> list[str]:
    found: list[str] = []
    try:
        parts = urlsplit(url)
        if parts.password:
            found += [parts.password, unquote(parts.password)]
    except ValueError:
        pass
    found += re.findall(r"(?i)password=([^&\s]+)", url)
    env = os.environ.get("PGPASSWORD")
    if env:
        found.append(env)
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
        raise BadInput(t("pg.unreachable", url=mask_url(url), reason=scrub(str(exc), url))) from None
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
