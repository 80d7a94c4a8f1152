"""Settings read from the environment: database URL, file storage, logging and the key-encryption key."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from cryptography.fernet import Fernet
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


# PostgreSQL: parameters bound on the server, so psycopg prepares a statement a connection has run
# this often and the server skips planning it again. The card's one query takes ~0.4 ms instead of
# ~1 ms (two thirds of it was planning). Behind a pooler in transaction mode without prepared
# statement support, turn it off in the URL: ``?server_side_binding=false``.
POSTGRES_OPTIONS = {"server_side_binding": True, "prepare_threshold": 5}


def _option(name: str, text: str) -> object:
    """A URL query option as psycopg and Django want it (booleans and numbers for those two)."""
    if name == "server_side_binding":
        if text.lower() not in ("true", "false"):
            raise ImproperlyConfigured(f"DATABASE_URL option server_side_binding must be true or false, not {text!r}")
        return text.lower() == "true"
    if name == "prepare_threshold":
        if text.lower() == "none":
            return None
        if not text.isascii() or not text.isdigit():
            raise ImproperlyConfigured(f"DATABASE_URL option prepare_threshold must be a number or none, not {text!r}")
        return int(text)
    return text


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
        options = {**POSTGRES_OPTIONS, **{k: _option(k, v[-1]) for k, v in parse_qs(parsed.query).items()}}
        return {
            # Django's backend with a health check that needs no query (backend/common/postgresql).
            "ENGINE": "backend.common.postgresql",
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


def logging_config(level: str) -> dict:
    """``LOGGING``: every record at ``level`` or above to stderr, errors with their tracebacks.

    Django's own default sends errors to stderr only with DEBUG on (and mails them otherwise), so
    a production server logged nothing. runserver's request lines keep their own handler.
    """
    name = (level or "INFO").strip().upper()
    if not isinstance(logging.getLevelName(name), int):
        raise ImproperlyConfigured(
            f"ICONOPLASM_LOG_LEVEL {level!r} is not a logging level (DEBUG, INFO, WARNING, ERROR or CRITICAL)"
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "{asctime} {levelname} {name} [pid {process}] {message}", "style": "{"},
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"},
        },
        "root": {"handlers": ["stderr"], "level": name},
        "loggers": {"django": {"handlers": ["stderr"], "level": name, "propagate": False}},
    }


KEY_FILE_NAME = "fernet.key"
GENERATE_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def key_encryption_key(env: Mapping[str, str], home: Path, *, debug: bool) -> str:
    """The Fernet key provider keys are stored under, checked now rather than at the first save.

    ``ICONOPLASM_KEY_ENCRYPTION_KEY`` wins. Without it, development (``debug``) uses a random key
    made once in ``home/fernet.key`` (mode 0600) and read from there after; production refuses
    to start, since a key nobody configured would be lost with the machine.
    """
    key = env.get("ICONOPLASM_KEY_ENCRYPTION_KEY", "").strip()
    source = "ICONOPLASM_KEY_ENCRYPTION_KEY"
    if not key:
        if not debug:
            raise ImproperlyConfigured(
                "ICONOPLASM_KEY_ENCRYPTION_KEY must be set when ICONOPLASM_DEBUG=0: the Fernet key users' provider "
                f"keys are encrypted under (keep it, and keep it secret). Make one with: {GENERATE_KEY}"
            )
        path = home / KEY_FILE_NAME
        key, source = local_key(path), str(path)
    try:
        Fernet(key)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{source} is not a valid Fernet key (32 bytes in urlsafe base64: 44 characters ending in '='). "
            f"Make one with: {GENERATE_KEY}"
        ) from exc
    return key


def local_key(path: Path) -> str:
    """The key in ``path``; the first caller writes a new random one there, readable by its owner only.

    Processes starting together (the site and its workers) agree: the file appears complete or
    not at all (written aside, then hard-linked into place, which fails if another got there first).
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, Fernet.generate_key() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            aside.unlink()
    return path.read_text().strip()
