"""The one switch that lets a connection change audit rows.

Only two things use it: the test harness, to empty the database between tests, and (in
time) the retention purge. The application never turns it on while serving requests.
On PostgreSQL it is a session setting read by the trigger, honoured only when the connection's
role owns the table (the owner/migrator role or a superuser; never the application's role, see
audit/roles.py); on SQLite a function the trigger calls, registered per connection (a raw
sqlite3 shell lacks it, so it is refused).
"""

from typing import Any

SETTING = "kapclinic.audit_maintenance"
SQLITE_FUNCTION = "kapclinic_audit_maintenance"


def set_audit_maintenance(connection: Any, on: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, "on" if on else "off"])
    else:
        connection.kapclinic_audit_maintenance = on


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: gives SQLite the function its triggers ask."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_FUNCTION,
        0,
        lambda: int(getattr(connection, "kapclinic_audit_maintenance", False)),
        deterministic=False,
    )
