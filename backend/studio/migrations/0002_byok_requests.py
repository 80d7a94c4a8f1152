"""Bring-your-own-key generation goes through the queue: requests get a ``kind`` (every existing
row is a free-queue request) and a byok request may have no emulsion (the free queue's still must)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="generationrequest",
            name="kind",
            field=models.CharField(
                choices=[("free", "free queue"), ("byok", "own provider key")], default="free", max_length=8
            ),
        ),
        migrations.AlterField(
            model_name="generationrequest",
            name="emulsion",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="generation_requests",
                to="portraits.emulsion",
            ),
        ),
        migrations.AddConstraint(
            model_name="generationrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "byok"), ("emulsion__isnull", False), _connector="OR"),
                name="genreq_free_has_emulsion",
            ),
        ),
    ]
