"""A wrong witness password has its own action (was a failed sign-in with a JSON purpose).

Only the choices change: no SQL, so the append-only triggers are untouched."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_owner_only_bypass"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Create"),
                    ("read", "Read"),
                    ("update", "Update"),
                    ("search", "Search"),
                    ("export", "Export"),
                    ("execute", "Execute"),
                    ("login", "Sign in"),
                    ("login_failed", "Failed sign-in"),
                    ("witness_failed", "Wrong witness password"),
                    ("logout", "Sign out"),
                    ("denied", "Access denied"),
                ],
                max_length=20,
            ),
        ),
    ]
