"""Staff roles inside PostgreSQL: each operator logs in as their own database role, and the
grants on custui's tables hold a clerk to what custui lets a clerk do, even from psql.

`custui init` and `custui migrate` (to PostgreSQL) call `apply_roles` with the operators of
settings.yaml: two group roles, custui_clerk and custui_manager (NOLOGIN), one LOGIN role
per operator (created without a password when missing: the administrator sets one with
`ALTER ROLE binh PASSWORD '...'` or psql's `\\password binh`) made a member of its group,
and on this schema's tables:

- both groups read every table; nobody but the owner deletes a row (custui never does);
- a clerk adds customers, orders, feedback, complaints, interactions, vouchers and audit
  entries, and updates customers (contact fields), complaints, interactions and vouchers
  (a purchase uses one): never orders (void and correct are a manager's), feedback, the
  audit trail or meta;
- a trigger refuses a clerk's update of the fields behind manager actions: a customer's
  stage override, referrer, merge and erasure marks, a complaint's goodwill, a voucher's
  rule, and moving any record to another customer (merge);
- row-level security on vouchers: a clerk cannot create a goodwill voucher;
- a manager adds and updates every table.

Roles are cluster-wide: databases of one cluster share the two groups (grants stay per
table). Running it again is harmless: it changes only what differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from custui.domain.enums import TABLES
from custui.errors import BadInput
from custui.i18n import t
from custui.store.pg_conn import connect, mask_url, scrub

GROUPS = {"clerk": "custui_clerk", "manager": "custui_manager"}
EXTRA_TABLES = ("customer_changes", "custui_schema")

# what a clerk may write, per table (SELECT on every table for both groups)
CLERK_WRITES: dict[str, str] = {
    "customers": "INSERT, UPDATE", "orders": "INSERT", "feedback": "INSERT",
    "complaints": "INSERT, UPDATE", "interactions": "INSERT, UPDATE",
    "vouchers": "INSERT, UPDATE", "audit": "INSERT", "customer_changes": "INSERT",
}
# fields a clerk's UPDATE must leave as they are (besides customer_id, which is a merge)
GUARDED_FIELDS: dict[str, tuple[str, ...]] = {
    "customers": ("status_override", "referred_by", "merged_into", "forgotten", "forgotten_at",
                  "forgotten_by"),
    "complaints": ("goodwill_points", "goodwill_voucher_id"),
    "interactions": (),
    "vouchers": ("rule",),
}

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION custui_clerk_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  field text;
BEGIN
  IF NOT pg_has_role(current_user, 'custui_clerk', 'MEMBER')
     OR pg_has_role(current_user, 'custui_manager', 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF coalesce(NEW.doc->'customer_id', 'null') IS DISTINCT FROM coalesce(OLD.doc->'customer_id', 'null') THEN
    RAISE EXCEPTION 'custui: moving % to another customer (merge) needs a manager', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  FOREACH field IN ARRAY TG_ARGV LOOP
    IF coalesce(NEW.doc->field, 'null') IS DISTINCT FROM coalesce(OLD.doc->field, 'null') THEN
      RAISE EXCEPTION 'custui: changing % of % needs a manager', field, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END LOOP;
  RETURN NEW;
END $$
"""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ensure_role(name: str, login: bool) -> str:
    """CREATE ROLE unless it exists (another process creating it at once is no error)."""
    kind = "LOGIN" if login else "NOLOGIN"
    return (f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_literal(name)}) "
            f"THEN CREATE ROLE {_ident(name)} {kind}; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")


def role_statements(schema: str, operators: Iterable[tuple[str, str]]) -> list[str]:
    """The SQL that sets up the groups, the operators' roles and the grants on `schema`."""
    clerk, manager = GROUPS["clerk"], GROUPS["manager"]
    both = f"{clerk}, {manager}"
    sql = [_ensure_role(clerk, login=False), _ensure_role(manager, login=False)]
    for op_id, role in operators:
        group, other = GROUPS[role], GROUPS["manager" if role == "clerk" else "clerk"]
        sql += [_ensure_role(op_id, login=True), f"GRANT {group} TO {_ident(op_id)}",
                f"REVOKE {other} FROM {_ident(op_id)}"]
    tables = [*TABLES, *EXTRA_TABLES]
    sql.append(f"GRANT USAGE ON SCHEMA {_ident(schema)} TO {both}")
    for table in tables:
        name = _ident(table)
        sql += [f"REVOKE ALL ON {name} FROM PUBLIC, {both}", f"GRANT SELECT ON {name} TO {both}"]
        if table in CLERK_WRITES:
            sql.append(f"GRANT {CLERK_WRITES[table]} ON {name} TO {clerk}")
        if table != "custui_schema":
            sql.append(f"GRANT INSERT, UPDATE ON {name} TO {manager}")
    for table in TABLES:
        sequence = f"pg_get_serial_sequence({_literal(_ident(table))}, 'id')"
        sql.append(f"DO $$ BEGIN EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE ' || {sequence} || "
                   f"' TO {both}'; EXECUTE 'GRANT UPDATE ON SEQUENCE ' || {sequence} || ' TO {manager}'; "
                   "END $$")
    sql.append(GUARD_FUNCTION)
    for table, fields in GUARDED_FIELDS.items():
        trigger = _ident(f"{table}_clerk_guard")
        args = ", ".join(_literal(f) for f in fields)
        sql += [f"DROP TRIGGER IF EXISTS {trigger} ON {_ident(table)}",
                f"CREATE TRIGGER {trigger} BEFORE UPDATE ON {_ident(table)} FOR EACH ROW "
                f"EXECUTE FUNCTION custui_clerk_guard({args})"]
    sql += [
        "ALTER TABLE vouchers ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS custui_manager_all ON vouchers",
        f"CREATE POLICY custui_manager_all ON vouchers FOR ALL TO {manager} USING (true) WITH CHECK (true)",
        "DROP POLICY IF EXISTS custui_clerk_read ON vouchers",
        f"CREATE POLICY custui_clerk_read ON vouchers FOR SELECT TO {clerk} USING (true)",
        "DROP POLICY IF EXISTS custui_clerk_use ON vouchers",
        f"CREATE POLICY custui_clerk_use ON vouchers FOR UPDATE TO {clerk} USING (true) WITH CHECK (true)",
        "DROP POLICY IF EXISTS custui_clerk_add ON vouchers",
        f"CREATE POLICY custui_clerk_add ON vouchers FOR INSERT TO {clerk} "
        "WITH CHECK (rule IS DISTINCT FROM 'goodwill')",
    ]
    return sql


def apply_roles(url: str, operators: Iterable[tuple[str, str]]) -> None:
    """Create or update the roles and grants for `operators` ((id, role) pairs) on the custui
    schema at `url`, in one transaction; BadInput naming what the server refused (for example
    a connecting role without CREATEROLE)."""
    import psycopg

    operators = list(operators)
    with connect(url) as conn:
        try:
            with conn.transaction():
                schema = conn.execute("SELECT current_schema()").fetchone()[0]
                for statement in role_statements(schema, operators):
                    conn.execute(statement)
        except psycopg.Error as exc:
            raise BadInput(t("pg.roles_failed", url=mask_url(url), reason=scrub(str(exc), url))) from None


def database_role(conn: Any) -> str | None:
    """The custui role of the connected database user: "manager" or "clerk" by membership of
    the groups, None for the owner, a superuser or a database without custui roles."""
    row = conn.execute(
        "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        "(SELECT pg_has_role(oid, 'MEMBER') FROM pg_roles WHERE rolname = %s), "
        "(SELECT pg_has_role(oid, 'MEMBER') FROM pg_roles WHERE rolname = %s)",
        (GROUPS["manager"], GROUPS["clerk"])).fetchone()
    if row[0]:
        return None
    if row[1]:
        return "manager"
    if row[2]:
        return "clerk"
    return None
