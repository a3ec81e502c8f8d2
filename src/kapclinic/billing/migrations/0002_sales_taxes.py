"""Seed the sales taxes on services in Quebec and British Columbia (rows an admin edits)."""

from decimal import Decimal

from django.db import migrations

# province, code, English, French, rate
SALES_TAXES = [
    # Excise Tax Act s. 165(1): GST at 5 %; neither province levies HST.
    ("QC", "GST", "GST", "TPS", Decimal("0.05"), 1),
    # Act respecting the Québec sales tax s. 16: QST at 9.975 % (Revenu Québec).
    ("QC", "QST", "QST", "TVQ", Decimal("0.09975"), 2),
    ("BC", "GST", "GST", "TPS", Decimal("0.05"), 1),
    # No BC PST row: the Provincial Sales Tax Act taxes goods and listed services only,
    # and health or counselling services are not among them.
]


def seed(apps, schema_editor):
    Jurisdiction = apps.get_model("clinics", "Jurisdiction")
    SalesTax = apps.get_model("billing", "SalesTax")
    for province, code, name_en, name_fr, rate, position in SALES_TAXES:
        jurisdiction = Jurisdiction.objects.filter(province=province).first()
        if jurisdiction is None:
            continue
        SalesTax.objects.get_or_create(
            jurisdiction=jurisdiction,
            code=code,
            defaults={"name_en": name_en, "name_fr": name_fr, "rate": rate, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("clinics", "0002_jurisdictions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
