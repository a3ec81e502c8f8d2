"""Ketamine is ordered in whole mg, like the administration and the register (issue 10, item 4).

An order of a fraction of a mg could be signed but never given: no order is rounded here, a
physician signs a new version first (the migration stops and names the orders). Titration
steps become whole numbers, and an administration keeps the tablets or sprays it took.
"""

from decimal import Decimal

from django.db import migrations, models


def whole_mg_only(apps, schema_editor):
    Order = apps.get_model("dosing", "Order")
    fractional = []
    for order in Order.objects.all():
        steps = [Decimal(str(step)) for step in order.titration_mg]
        if any(q != q.to_integral_value() for q in [Decimal(order.dose_mg), *steps]):
            fractional.append(order.pk)
            continue
        order.titration_mg = [int(step) for step in steps]
        order.save(update_fields=["titration_mg"])
    if fractional:
        raise RuntimeError(
            f"Ketamine orders {fractional} name a fraction of a mg, which can never be given: "
            "have a physician sign whole-mg versions of them, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [("dosing", "0001_dosing")]

    operations = [
        migrations.RunPython(whole_mg_only, migrations.RunPython.noop),
        migrations.AddField(
            model_name="administration",
            name="units",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="units (tablets or sprays)"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="dose_mg",
            field=models.PositiveIntegerField(verbose_name="dose (mg)"),
        ),
    ]
