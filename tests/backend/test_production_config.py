"""Production mode (issue 12, defect 7): errors logged to stderr, the key-encryption key checked at start, and
in development a random local key file instead of a key derived from the public development secret.

"A start" is the settings module read afresh (``fresh_settings``) or ``manage.py check`` in a subprocess.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import logging.config
import os
import stat
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from backend.iconoplasm.config import KEY_FILE_NAME, key_encryption_key, local_key, logging_config
from backend.studio import keys

from .factories import API_KEY, make_user

REPO = Path(__file__).resolve().parents[2]
SETTINGS_FILE = REPO / "backend" / "iconoplasm" / "settings.py"
DEV_SECRET = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"
ENV_NAMES = ("ICONOPLASM_KEY_ENCRYPTION_KEY", "ICONOPLASM_DEBUG", "DJANGO_SECRET_KEY", "ICONOPLASM_LOG_LEVEL")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh $ICONOPLASM_HOME and none of the settings' production variables."""
    home = tmp_path / "home"
    monkeypatch.setenv("ICONOPLASM_HOME", str(home))
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return home


def fresh_settings() -> dict:
    """The settings module run again, as a new process would read it (the loaded one is left alone)."""
    spec = importlib.util.spec_from_file_location("backend.iconoplasm.fresh_settings", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


# ---------------------------------------------------------------- an invalid key is refused at start


@pytest.mark.parametrize("bad", ["not-a-key", "x" * 44, base64.urlsafe_b64encode(b"short").decode()])
def test_an_invalid_key_is_refused_with_a_clear_message(home, bad):
    with pytest.raises(ImproperlyConfigured, match="ICONOPLASM_KEY_ENCRYPTION_KEY is not a valid Fernet key") as info:
        key_encryption_key({"ICONOPLASM_KEY_ENCRYPTION_KEY": bad}, home, debug=True)
    assert bad not in str(info.value)  # a key, even a wrong one, is never echoed
    assert "Fernet.generate_key()" in str(info.value)


def test_an_invalid_key_stops_the_settings_from_loading(home, monkeypatch):
    monkeypatch.setenv("ICONOPLASM_KEY_ENCRYPTION_KEY", "not-a-key")
    with pytest.raises(ImproperlyConfigured, match="not a valid Fernet key"):
        fresh_settings()


def test_manage_py_check_refuses_an_invalid_key(home):
    env = {**os.environ, "ICONOPLASM_HOME": str(home), "ICONOPLASM_KEY_ENCRYPTION_KEY": "not-a-key"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "ICONOPLASM_KEY_ENCRYPTION_KEY is not a valid Fernet key" in done.stderr
    assert "not-a-key" not in done.stderr.replace("ICONOPLASM_KEY_ENCRYPTION_KEY", "")


def test_production_without_a_key_is_refused_clearly(home, monkeypatch):
    monkeypatch.setenv("ICONOPLASM_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-real-secret-for-this-test")
    home.mkdir(parents=True)
    (home / KEY_FILE_NAME).write_text(Fernet.generate_key().decode())  # a development key file is not enough
    with pytest.raises(ImproperlyConfigured, match="ICONOPLASM_KEY_ENCRYPTION_KEY must be set when ICONOPLASM_DEBUG=0"):
        fresh_settings()


def test_production_with_a_valid_key_uses_it(home, monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("ICONOPLASM_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-real-secret-for-this-test")
    monkeypatch.setenv("ICONOPLASM_KEY_ENCRYPTION_KEY", key)
    assert fresh_settings()["ICONOPLASM_KEY_ENCRYPTION_KEY"] == key
    assert not (home / KEY_FILE_NAME).exists()


# ---------------------------------------------------------------- the development key file


def test_development_makes_a_private_key_file_once_and_reuses_it(home):
    first = fresh_settings()["ICONOPLASM_KEY_ENCRYPTION_KEY"]
    path = home / KEY_FILE_NAME
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Fernet(first)  # a valid key
    derived = base64.urlsafe_b64encode(hashlib.sha256(DEV_SECRET.encode()).digest()).decode()
    assert first != derived  # no longer derived from the public development secret
    written = path.stat().st_mtime_ns
    assert fresh_settings()["ICONOPLASM_KEY_ENCRYPTION_KEY"] == first
    assert path.stat().st_mtime_ns == written
    assert [p.name for p in home.iterdir() if "fernet" in p.name] == [KEY_FILE_NAME]  # nothing left aside


def test_each_home_gets_its_own_key(tmp_path):
    assert local_key(tmp_path / "a" / KEY_FILE_NAME) != local_key(tmp_path / "b" / KEY_FILE_NAME)


def test_the_environment_key_wins_over_the_key_file(home, monkeypatch):
    fresh_settings()  # makes the file
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("ICONOPLASM_KEY_ENCRYPTION_KEY", key)
    assert fresh_settings()["ICONOPLASM_KEY_ENCRYPTION_KEY"] == key


def test_a_damaged_key_file_is_refused_naming_the_file(home):
    home.mkdir(parents=True)
    (home / KEY_FILE_NAME).write_text("garbage\n")
    with pytest.raises(ImproperlyConfigured, match=f"{KEY_FILE_NAME} is not a valid Fernet key"):
        fresh_settings()


def test_processes_starting_together_agree_on_one_key(tmp_path):
    path = tmp_path / KEY_FILE_NAME
    found, start = [], threading.Barrier(8)

    def start_up():
        start.wait()
        found.append(local_key(path))

    threads = [threading.Thread(target=start_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len(set(found)) == 1 and found[0] == path.read_text().strip()


@pytest.mark.django_db
def test_a_provider_key_saved_under_the_key_file_decrypts_after_a_restart(home, settings):
    settings.ICONOPLASM_KEY_ENCRYPTION_KEY = fresh_settings()["ICONOPLASM_KEY_ENCRYPTION_KEY"]
    user = make_user()
    stored = keys.provider_key_set(user=user, provider="openai", api_key=API_KEY)
    settings.ICONOPLASM_KEY_ENCRYPTION_KEY = fresh_settings()["ICONOPLASM_KEY_ENCRYPTION_KEY"]  # the restart
    stored.refresh_from_db()
    assert keys.provider_key_plain(stored) == API_KEY
    assert API_KEY not in stored.encrypted_key


# ---------------------------------------------------------------- logging


def test_the_log_level_comes_from_the_environment(home, monkeypatch):
    assert fresh_settings()["LOGGING"]["root"]["level"] == "INFO"
    monkeypatch.setenv("ICONOPLASM_LOG_LEVEL", "warning")
    logging_settings = fresh_settings()["LOGGING"]
    assert (
        logging_settings["root"]["level"] == "WARNING" and logging_settings["loggers"]["django"]["level"] == "WARNING"
    )


def test_an_unknown_log_level_is_refused():
    with pytest.raises(ImproperlyConfigured, match="ICONOPLASM_LOG_LEVEL 'loud' is not a logging level"):
        logging_config("loud")


@contextmanager
def production_logging(settings, capsys):
    """The site's LOGGING applied as a server applies it, with DEBUG off (stderr is the test's); restored after."""
    settings.DEBUG = False
    logging.config.dictConfig(settings.LOGGING)
    try:
        yield
    finally:
        with capsys.disabled():  # back onto the stream the test run started with
            logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_errors_go_to_stderr_with_their_traceback_when_debug_is_off(settings, capsys, monkeypatch):
    def broken():
        raise RuntimeError("the lexicon table is on fire")

    monkeypatch.setattr("backend.genes.apis.current_lexicon", broken)
    with production_logging(settings, capsys):
        response = Client(raise_request_exception=False).get("/api/lexicon/")
        err = capsys.readouterr().err
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json") and json.loads(response.content)["detail"]
    assert "ERROR django.request" in err and "Internal Server Error: /api/lexicon/" in err
    assert "Traceback (most recent call last)" in err and "RuntimeError: the lexicon table is on fire" in err


def test_the_sites_own_warnings_reach_stderr(settings, capsys):
    with production_logging(settings, capsys):
        logging.getLogger("backend.studio.byok").warning("provider said no")
        err = capsys.readouterr().err
    assert "WARNING backend.studio.byok" in err
