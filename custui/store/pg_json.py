"""Docs as PostgreSQL stores them: a jsonb column without "id" (and, for customers, without
"version", which has its own column)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from psycopg.types.json import Jsonb

from custui.store.base import VERSION_FIELD, Doc

VERSION = VERSION_FIELD


def jsonb(doc: Mapping[str, Any]) -> Jsonb:
    """A doc as a jsonb parameter, serialised by orjson."""
    return Jsonb(doc, dumps=lambda obj: orjson.dumps(obj).decode())


def stored_fields(table: str, doc: Mapping[str, Any]) -> Doc:
    """What goes into the doc column: everything but the id (and a customer's version)."""
    return {k: v for k, v in doc.items() if k != "id" and not (k == VERSION and table == "customers")}
