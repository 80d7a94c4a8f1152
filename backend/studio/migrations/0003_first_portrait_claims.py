"""Claims on genes' first portraits, so that one drawn on demand (a page or card request) or by the
backfill is drawn once."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("genes", "0006_gene_names_in_words"),
        ("studio", "0002_byok_requests"),
    ]

    operations = [
        migrations.CreateModel(
            name="FirstPortraitClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("claimed_by", models.CharField(max_length=128)),
                ("claimed_at", models.DateTimeField()),
                ("error", models.TextField(blank=True)),
                (
                    "gene",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="genes.gene"
                    ),
                ),
            ],
        ),
    ]
