"""Settings read from the environment: database URL and file storage."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

# The site, the render worker and the portrait backfill write one SQLite file at once: WAL lets
# readers go on during a write, IMMEDIATE transactions take the write lock up front (no
# upgrade deadlocks) and a writer waits up to 30 s for the lock instead of failing at once.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


# Connections are kept between requests (and checked before reuse): opening one costs more than
# the card query itself, and for SQLite it also re-runs the PRAGMAs above.
PERSISTENT = {"CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}


def _sqlite(name: str | Path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": dict(SQLITE_OPTIONS), **PERSISTENT}


def database_from_url(url: str, default_sqlite: Path) -> dict:
    """Django DATABASES entry from ``DATABASE_URL`` (``postgres://…`` or ``sqlite:///path``); empty → SQLite."""
    if not url:
        return _sqlite(default_sqlite)
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as dj-database-url reads them.
        name = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        return _sqlite(name or default_sqlite)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            **PERSISTENT,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use postgres:// or sqlite:///)"
    )


def storage_settings(env: Mapping[str, str]) -> dict:
    """Local media files, or an S3-compatible bucket when ``ICONOPLASM_S3_BUCKET`` is set."""
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    bucket = env.get("ICONOPLASM_S3_BUCKET")
    if not bucket:
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": static}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.get("ICONOPLASM_S3_ENDPOINT_URL") or None,
        "region_name": env.get("ICONOPLASM_S3_REGION") or None,
        "access_key": env.get("AWS_ACCESS_KEY_ID"),
        "secret_key": env.get("AWS_SECRET_ACCESS_KEY"),
        "file_overwrite": False,
        "querystring_auth": env.get("ICONOPLASM_S3_SIGNED_URLS", "0") == "1",
    }
    return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, "staticfiles": static}
