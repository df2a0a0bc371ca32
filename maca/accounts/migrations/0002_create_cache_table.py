"""The database cache table (sign-in throttling, used one-time codes).

Made here so `migrate` is the only set-up step; `createcachetable` is idempotent, and a
database cache configured elsewhere is simply left alone by the reverse.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
