"""Provider keys moved to the studio app (bring-your-own-key lives there). The table stays until the
studio's first migration adopts it, so no key is lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_discovery"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProviderKey")], database_operations=[]
        ),
    ]
