"""PostgreSQL triggers that announce every change a card's stamp depends on (backend/common/change_feed.py).

A stamp is a gene's ``updated_at``, its canonical portrait if public and its number of public
candidates (``backend.portraits.selectors._card_state_sql``), so the rows that matter are genes,
portraits (hidden, gene, emulsion), canonical choices and emulsions (blocked). Inserts and deletes
are announced once per statement, updates only when one of those columns changed; PostgreSQL
folds repeated notifications of one transaction into one, delivered at commit. SQLite has no
such feed and needs none.
"""

from django.db import migrations

from backend.common.change_feed import CHANNEL

FUNCTION = "iconoplasm_card_changed"

# (table, trigger suffix, timing clause)
TRIGGERS = [
    ("genes_gene", "rows", "AFTER INSERT OR DELETE OR TRUNCATE ON genes_gene FOR EACH STATEMENT"),
    (
        "genes_gene",
        "update",
        "AFTER UPDATE ON genes_gene FOR EACH ROW WHEN"
        " (OLD.updated_at IS DISTINCT FROM NEW.updated_at OR OLD.symbol IS DISTINCT FROM NEW.symbol)",
    ),
    (
        "portraits_portrait",
        "rows",
        "AFTER INSERT OR DELETE OR TRUNCATE ON portraits_portrait FOR EACH STATEMENT",
    ),
    (
        "portraits_portrait",
        "update",
        "AFTER UPDATE ON portraits_portrait FOR EACH ROW WHEN (OLD.hidden IS DISTINCT FROM NEW.hidden"
        " OR OLD.gene_id IS DISTINCT FROM NEW.gene_id OR OLD.emulsion_id IS DISTINCT FROM NEW.emulsion_id)",
    ),
    (
        "portraits_canonical",
        "rows",
        "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON portraits_canonical FOR EACH STATEMENT",
    ),
    (
        "portraits_emulsion",
        "rows",
        "AFTER DELETE OR TRUNCATE ON portraits_emulsion FOR EACH STATEMENT",
    ),
    (
        "portraits_emulsion",
        "update",
        "AFTER UPDATE ON portraits_emulsion FOR EACH ROW WHEN (OLD.blocked IS DISTINCT FROM NEW.blocked)",
    ),
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
    )
    for table, suffix, clause in TRIGGERS:
        schema_editor.execute(f"CREATE TRIGGER {table}_card_{suffix} {clause} EXECUTE FUNCTION {FUNCTION}()")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, suffix, _ in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_card_{suffix} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("portraits", "0003_emulsion_choices_from_records"),
        ("genes", "0006_gene_names_in_words"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
