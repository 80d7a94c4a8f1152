"""Usernames are unique regardless of case, enforced by the database (issue 12): a unique index on
``lower(username)`` of ``auth_user``, so that sign-ups at the same moment cannot create "Ada" and
"ada". (The same SQL on SQLite and PostgreSQL.)

A database that already holds names differing only in case is not changed: the migration stops
and names them, to be renamed (or merged) in the admin before migrating again.
"""

from django.db import migrations

INDEX = "accounts_username_lower_uniq"


class CaseDuplicateUsernames(Exception):
    pass


def refuse_case_duplicates(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT username FROM auth_user WHERE lower(username) IN "
            "(SELECT lower(username) FROM auth_user GROUP BY lower(username) HAVING COUNT(*) > 1) "
            "ORDER BY lower(username), username"
        )
        names = [name for (name,) in cursor.fetchall()]
    if not names:
        return
    raise CaseDuplicateUsernames(
        f"Usernames must be unique regardless of case, but auth_user holds {len(names)} accounts whose names "
        f"differ only in case: {', '.join(repr(name) for name in names)}. Rename (or merge) all but one of "
        f"each group, then run migrate again."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_providerkey_to_studio"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop, elidable=False),
        migrations.RunSQL(
            sql=f"CREATE UNIQUE INDEX {INDEX} ON auth_user (lower(username))",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
