"""Staff accounts made before admin-created addresses were marked verified (issue 11, item 6) get
their address verified now: allauth refuses TOTP enrolment while an unverified address exists,
and staff have no other way to verify theirs. Their clinic admin vouched for the address when
creating the account (accounts.services.create_staff_member does the same for new ones).

Patients and referrers confirm their own addresses and are left alone. Reversing is a no-op:
nobody can tell which addresses this verified.
"""

from django.db import migrations

# accounts.roles.STAFF_ROLES when this was written (a migration does not import live code).
STAFF_ROLES = (
    "intake",
    "physician",
    "nurse",
    "therapist",
    "billing",
    "clinic_admin",
    "privacy_officer",
)


def verify_staff_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.filter(role__in=STAFF_ROLES).exclude(email=""):
        addresses = EmailAddress.objects.filter(user=user, email__iexact=user.email)
        if addresses.exists():
            addresses.filter(verified=False).update(verified=True)
            continue
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=not has_primary
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_credential"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]
    operations = [migrations.RunPython(verify_staff_addresses, migrations.RunPython.noop)]
