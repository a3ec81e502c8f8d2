"""Seed the two jurisdictions the network works in, with their age of majority."""

from django.db import migrations

# Civil Code of Quebec, art. 153 (full age at 18); BC Age of Majority Act, RSBC 1996 c. 7, s. 1 (19).
JURISDICTIONS = {"QC": 18, "BC": 19}


def seed(apps, schema_editor):
    Jurisdiction = apps.get_model("clinics", "Jurisdiction")
    for province, minimum_age in JURISDICTIONS.items():
        Jurisdiction.objects.get_or_create(province=province, defaults={"minimum_age": minimum_age})


class Migration(migrations.Migration):
    dependencies = [("clinics", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
