from django.apps import AppConfig


class AuditReviewConfig(AppConfig):
    """Installed for its templates (audit/*.html); its URLs keep the "audit" namespace."""

    name = "kapclinic.audit_review"
