"""Settings from the environment: DATABASE_URL and S3 storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.iconoplasm.config import database_from_url, storage_settings


def test_empty_url_is_the_embedded_sqlite_with_concurrent_writers_in_mind():
    db = database_from_url("", Path("/home/db.sqlite3"))
    assert db["ENGINE"] == "django.db.backends.sqlite3" and db["NAME"] == Path("/home/db.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"] and db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize("url, name", [("sqlite:///var/x.db", "var/x.db"), ("sqlite:////abs/x.db", "/abs/x.db")])
def test_sqlite_urls(url, name):
    assert database_from_url(url, Path("default"))["NAME"] == name


def test_postgres_url_with_options():
    db = database_from_url("postgres://ada:s%40cret@db.local:6543/genes?sslmode=require", Path("unused"))
    assert db == {
        "ENGINE": "backend.common.postgresql",
        "NAME": "genes",
        "USER": "ada",
        "PASSWORD": "s@cret",
        "HOST": "db.local",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5},
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


def test_postgres_statement_preparation_can_be_turned_off_for_a_pooler():
    url = "postgres://db.local/genes?server_side_binding=false&prepare_threshold=none"
    assert database_from_url(url, Path("unused"))["OPTIONS"] == {
        "server_side_binding": False,
        "prepare_threshold": None,
    }
    with pytest.raises(ImproperlyConfigured, match="server_side_binding must be true or false"):
        database_from_url("postgres://db.local/genes?server_side_binding=yes", Path("unused"))
    with pytest.raises(ImproperlyConfigured, match="prepare_threshold must be a number"):
        database_from_url("postgres://db.local/genes?prepare_threshold=²", Path("unused"))


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="'mysql'"):
        database_from_url("mysql://x/y", Path("unused"))


def test_storage_is_local_unless_a_bucket_is_configured():
    assert storage_settings({})["default"]["BACKEND"].endswith("FileSystemStorage")
    s3 = storage_settings({"ICONOPLASM_S3_BUCKET": "portraits", "ICONOPLASM_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert s3["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["default"]["OPTIONS"]["bucket_name"] == "portraits"
    assert s3["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
