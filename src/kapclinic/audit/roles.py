"""The application's own PostgreSQL role: everything it needs, and nothing that could rewrite
the audit trail or the register (issue 11, item 7; SECURITY.md B3).

Two roles run kapclinic in production. The owner (migrator) role owns the tables: it runs
`kapclinic migrate`, `kapclinic db roles` and, when needed, the maintenance switch. The
application role (`kapclinic_app` by default) is what gunicorn and the worker connect as: it
reads and writes the ordinary tables, but on the append-only tables (append_only.TABLES) it may
only SELECT and INSERT: no UPDATE, DELETE, TRUNCATE or TRIGGER. Not owning them, it cannot
disable their triggers or replace the trigger function, and the trigger honours the maintenance
switch only for the owner, so a compromised application connection cannot use it.
"""

from dataclasses import dataclass

from django.db import connection

from kapclinic.audit.append_only import TABLES

DEFAULT_APP_ROLE = "kapclinic_app"
ORDINARY = "SELECT, INSERT, UPDATE, DELETE"


@dataclass(frozen=True)
class RolePlan:
    """What `kapclinic db roles` runs, so it can be shown (--print) or run."""

    app_role: str
    owner: str
    create: bool
    statements: list[str]


def append_only_tables() -> list[str]:
    return [table for tables in TABLES.values() for table in tables]


def _one(sql: str, params: list[str]) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def table_owner() -> str:
    """The role that owns the audit table (whoever ran the migrations)."""
    owner = _one(
        "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass",
        ["audit_auditevent"],
    )
    return str(owner)


def refusals(app_role: str, owner: str) -> list[str]:
    """Why `app_role` could not be the application's role (empty when it can)."""
    row_sql = (
        "SELECT rolsuper, rolbypassrls, rolcreaterole, pg_has_role(rolname, %s, 'MEMBER') "
        "FROM pg_roles WHERE rolname = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(row_sql, [owner, app_role])
        row = cursor.fetchone()
    if row is None:
        return []
    superuser, bypass_rls, create_role, owns = row
    found = []
    if app_role == owner or owns:
        found.append(f"{app_role} owns the tables (or is a member of {owner}, which does)")
    if superuser:
        found.append(f"{app_role} is a superuser")
    if create_role:
        found.append(f"{app_role} may create roles (and so grant itself {owner})")
    if bypass_rls:
        found.append(f"{app_role} bypasses row security")
    return found


def plan(app_role: str, *, password: str | None = None) -> RolePlan:
    """The statements that create (if missing) and grant the application role, idempotently."""
    quote = connection.ops.quote_name
    role, owner = quote(app_role), table_owner()
    database = quote(connection.settings_dict["NAME"])
    exists = bool(_one("SELECT count(*) FROM pg_roles WHERE rolname = %s", [app_role]))
    statements = []
    if not exists:
        statements.append(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB")
    if password is not None:
        literal = _one("SELECT quote_literal(%s)", [password])
        statements.append(f"ALTER ROLE {role} PASSWORD {literal}")
    statements += [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE CREATE ON SCHEMA public FROM {role}",
        f"GRANT {ORDINARY} ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables a later migration adds get the ordinary grants; run this command again after
        # each migrate so the append-only ones lose theirs (their triggers refuse meanwhile).
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA public "
        f"GRANT {ORDINARY} ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    for table in append_only_tables():
        statements += [
            f"REVOKE ALL ON {quote(table)} FROM {role}",
            f"GRANT SELECT, INSERT ON {quote(table)} TO {role}",
        ]
    return RolePlan(app_role=app_role, owner=owner, create=not exists, statements=statements)


def apply(role_plan: RolePlan) -> None:
    with connection.cursor() as cursor:
        for statement in role_plan.statements:
            cursor.execute(statement)
