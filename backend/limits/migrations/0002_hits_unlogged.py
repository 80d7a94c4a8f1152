"""On PostgreSQL the hits table is UNLOGGED: its rows are counters, lost on a server crash as
Redis's are on a restart, and writing them without the write-ahead log means a counted request
commits without waiting for the disk (a vote's hit is the busiest insert of the site)."""

from django.db import migrations


def set_logged(logged: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = apps.get_model("limits", "Hit")._meta.db_table
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(table)} SET {'LOGGED' if logged else 'UNLOGGED'}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("limits", "0001_hits")]

    operations = [migrations.RunPython(set_logged(False), set_logged(True))]
