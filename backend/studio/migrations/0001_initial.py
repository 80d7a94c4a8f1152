"""The studio's tables. A database from before the studio app existed already has them under the
``generation_requests`` and ``accounts`` apps: those tables are renamed, rows and all, instead of
created (see :class:`AdoptTable`); a new database gets them created."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class AdoptTable(migrations.operations.base.Operation):
    """Create ``model_name``'s table, or rename ``old_table`` to it where an older database has that table."""

    reversible = True

    def __init__(self, model_name: str, old_table: str):
        self.model_name, self.old_table = model_name, old_table

    def state_forwards(self, app_label, state):
        pass  # the CreateModel before it declared the model

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.old_table in schema_editor.connection.introspection.table_names():
            schema_editor.alter_db_table(model, self.old_table, model._meta.db_table)
        else:
            schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.delete_model(from_state.apps.get_model(app_label, self.model_name))

    def describe(self):
        return f"Create {self.model_name}, or adopt the table {self.old_table}"


MOVED_CONTENT_TYPES = [("generation_requests", "generationrequest"), ("accounts", "providerkey")]


def move_content_types(apps, schema_editor):
    """Keep permissions and admin history attached: the moved models' content types now belong to the studio."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for old_label, model in MOVED_CONTENT_TYPES:
        if not content_type.objects.filter(app_label="studio", model=model).exists():
            content_type.objects.filter(app_label=old_label, model=model).update(app_label="studio")


def state_only(*operations):
    return migrations.SeparateDatabaseAndState(state_operations=list(operations), database_operations=[])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("genes", "0001_initial"),
        ("portraits", "0001_initial"),
        ("accounts", "0003_providerkey_to_studio"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        state_only(
            migrations.CreateModel(
                name="GenerationRequest",
                fields=[
                    (
                        "id",
                        models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                    ),
                    (
                        "status",
                        models.CharField(
                            choices=[
                                ("queued", "queued"),
                                ("running", "running"),
                                ("done", "done"),
                                ("failed", "failed"),
                            ],
                            default="queued",
                            max_length=8,
                        ),
                    ),
                    ("attempts", models.PositiveIntegerField(default=0)),
                    ("claimed_by", models.CharField(blank=True, max_length=128)),
                    ("claimed_at", models.DateTimeField(blank=True, null=True)),
                    ("finished_at", models.DateTimeField(blank=True, null=True)),
                    ("error", models.TextField(blank=True)),
                    ("created_at", models.DateTimeField(auto_now_add=True)),
                    (
                        "emulsion",
                        models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="generation_requests",
                            to="portraits.emulsion",
                        ),
                    ),
                    (
                        "gene",
                        models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="generation_requests",
                            to="genes.gene",
                        ),
                    ),
                    (
                        "portrait",
                        models.ForeignKey(
                            blank=True,
                            null=True,
                            on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+",
                            to="portraits.portrait",
                        ),
                    ),
                    (
                        "user",
                        models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="generation_requests",
                            to=settings.AUTH_USER_MODEL,
                        ),
                    ),
                ],
                options={
                    "ordering": ["-created_at", "-id"],
                    "indexes": [models.Index(fields=["status", "claimed_at"], name="genreq_status_claimed")],
                },
            ),
            migrations.CreateModel(
                name="ProviderKey",
                fields=[
                    (
                        "id",
                        models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                    ),
                    ("provider", models.CharField(choices=[("openai", "OpenAI images API")], max_length=32)),
                    ("model", models.CharField(max_length=128)),
                    ("encrypted_key", models.TextField(help_text="Fernet token; never the plain key")),
                    ("fingerprint", models.CharField(max_length=64)),
                    ("updated_at", models.DateTimeField(auto_now=True)),
                    (
                        "user",
                        models.OneToOneField(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="provider_key",
                            to=settings.AUTH_USER_MODEL,
                        ),
                    ),
                ],
            ),
        ),
        AdoptTable("generationrequest", "generation_requests_generationrequest"),
        AdoptTable("providerkey", "accounts_providerkey"),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
