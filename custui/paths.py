"""Where the database and config live: --flag, then environment, then settings, then user dirs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "custui"
DB_ENV = "CUSTUI_DB"
CONFIG_ENV = "CUSTUI_CONFIG"
CONFIG_FILES = ("settings.yaml", "loyalty.yaml", "surveys.yaml", "segments.yaml", "care.yaml", "messages.yaml")


def shipped_config_dir() -> Path:
    """The default YAML shipped with custui (inside the wheel, or the repo's config/)."""
    packaged = Path(__file__).parent / "_shipped_config"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "config"


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_path() -> Path:
    return user_data_dir() / "custui.json"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.json"


def resolve_config_dir(flag: str | Path | None) -> Path | None:
    """The user's config dir (flag, env, user dir), or None to use only shipped defaults."""
    if flag:
        return _existing_dir(Path(flag).expanduser(), "--config")
    env = os.environ.get(CONFIG_ENV)
    if env:
        return _existing_dir(Path(env).expanduser(), f"${CONFIG_ENV}")
    user = user_config_dir()
    return user if user.is_dir() else None


def _existing_dir(path: Path, source: str) -> Path:
    """A config folder the user named must exist: a typo must not silently mean "defaults"."""
    from custui.errors import BadInput
    from custui.i18n import t

    if not path.exists():
        raise BadInput(t("config.dir_missing", path=str(path), source=source))
    if not path.is_dir():
        raise BadInput(t("config.dir_not_dir", path=str(path), source=source))
    return path


# libpq key=value connection strings start with one of its keywords: `host=db dbname=shop`
_CONNINFO_START = re.compile(
    r"^\s*(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|connect_timeout"
    r"|application_name|options|target_session_attrs)\s*=", re.IGNORECASE)


def is_db_url(location: object) -> bool:
    """A server database (`postgresql://...` or libpq `host=... dbname=...`), kept as a
    string, never made a Path."""
    if not isinstance(location, str):
        return False
    return location.strip().lower().startswith(("postgresql://", "postgres://")) or bool(
        _CONNINFO_START.match(location))


def resolve_db_path(flag: str | Path | None, settings_db: str | None) -> Path | str:
    """Database path order: --db, $CUSTUI_DB, settings.yaml `db`, user data dir.

    A file path comes back as a Path; a `postgresql://` URL as the str given.
    """
    for candidate in (flag, os.environ.get(DB_ENV), settings_db):
        if candidate:
            if is_db_url(candidate):
                return str(candidate).strip()
            return Path(candidate).expanduser()
    return default_db_path()
