from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "kapclinic.audit"

    def ready(self) -> None:
        from kapclinic.audit import checks  # noqa: F401 (registers the checks)
        from kapclinic.audit.maintenance import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="kapclinic_audit_sqlite")
