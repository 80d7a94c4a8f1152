"""The deployment recipe (deploy/, issue 12 "Beyond one machine").

- ``manage.py check --deploy`` is clean with deploy/env.example filled in (and not without its
  security switches, so the check is not vacuous);
- env.example names exactly the variables the settings read, and compose.yaml's own variables;
- compose.yaml has the topology (parsed, never run: nothing is pulled or installed here) and the
  proxy's upload limit is Django's.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
ENV_EXAMPLE = DEPLOY / "env.example"
COMPOSE_ONLY_MARKER = "# --- Read by deploy/compose.yaml only"
# Where the site reads its environment.
SETTINGS_SOURCES = [
    REPO / "backend" / "iconoplasm" / "settings.py",
    REPO / "backend" / "iconoplasm" / "config.py",
    REPO / "pipeline" / "paths.py",
]
SECURITY_SWITCHES = (
    "ICONOPLASM_TRUST_PROXY_SSL_HEADER",
    "ICONOPLASM_SSL_REDIRECT",
    "ICONOPLASM_SECURE_COOKIES",
    "ICONOPLASM_HSTS_SECONDS",
)


def read_env_example() -> tuple[dict[str, str], dict[str, str]]:
    """(site variables, compose-only variables) of env.example, each name → example value."""
    site: dict[str, str] = {}
    compose: dict[str, str] = {}
    target = site
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith(COMPOSE_ONLY_MARKER):
            target = compose
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep, f"env.example: {line!r} is not NAME=value"
        assert name not in site and name not in compose, f"env.example names {name} twice"
        target[name] = value
    return site, compose


def names_read_by_settings() -> set[str]:
    pattern = re.compile(
        r"""(?:environ\.get|environ\[|getenv|env\.get|env\[|_env_flag)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    names: set[str] = set()
    for path in SETTINGS_SOURCES:
        names.update(pattern.findall(path.read_text()))
    return names


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """env.example's site variables with test values: real secrets, local folders, nothing reached."""
    site, _ = read_env_example()
    env = {k: v for k, v in os.environ.items() if k not in site}
    env.update(site)
    env.update(
        ICONOPLASM_HOME=str(tmp_path / "home"),
        ICONOPLASM_DATA_DIR=str(tmp_path / "home" / "data"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ICONOPLASM_KEY_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL="postgres://iconoplasm:test-password@127.0.0.1:1/iconoplasm",
        AWS_ACCESS_KEY_ID="test-access",
        AWS_SECRET_ACCESS_KEY="test-secret",
        DJANGO_SETTINGS_MODULE="backend.iconoplasm.settings",
    )
    env.update(overrides)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_the_security_switches(tmp_path):
    result = check_deploy(production_env(tmp_path, **dict.fromkeys(SECURITY_SWITCHES, "0")))
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_security_switches_are_off_by_default():
    # The test settings are the development defaults: plain HTTP on 127.0.0.1 keeps working.
    assert not settings.SECURE_SSL_REDIRECT
    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SECURE_PROXY_SSL_HEADER is None


def test_env_example_names_every_variable_the_settings_read_and_no_other():
    site, _ = read_env_example()
    read = names_read_by_settings()
    assert read, "no environment reads found: the pattern no longer matches settings.py"
    assert sorted(read - site.keys()) == [], "read by the settings but missing from deploy/env.example"
    assert sorted(site.keys() - read) == [], "in deploy/env.example but read by no setting"


def test_every_variable_is_in_the_readme_settings_table():
    readme = (REPO / "README.md").read_text()
    site, _ = read_env_example()
    missing = [name for name in site if not re.search(rf"`{name}[`=]", readme)]
    assert missing == [], "env.example variables missing from the README's configuration table"


def test_compose_has_the_topology_and_its_variables_are_in_env_example():
    import yaml

    text = (DEPLOY / "compose.yaml").read_text()
    compose = yaml.safe_load(text)
    services = compose["services"]
    for name in ("postgres", "redis", "minio", "bucket", "migrate", "web", "worker", "proxy"):
        assert name in services, f"compose.yaml lacks the {name} service"
    for name in ("migrate", "web", "worker"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "gunicorn backend.iconoplasm.wsgi" in " ".join(services["web"]["command"])
    assert services["worker"]["command"] == ["python", "manage.py", "render_worker"]
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --noinput" in migrate and "collectstatic --noinput" in migrate
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert (DEPLOY / "Dockerfile").exists()
    site, only_compose = read_env_example()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", text)) | set(re.findall(r"\$\$([A-Z][A-Z0-9_]+)", text))
    assert sorted(used - site.keys() - only_compose.keys()) == [], "compose.yaml uses variables env.example lacks"
    assert sorted(only_compose.keys() - used) == [], "compose-only variables compose.yaml does not use"
    # The URLs in env.example point at compose's services.
    assert "@postgres:5432/" in site["DATABASE_URL"] and site["ICONOPLASM_REDIS_URL"].startswith("redis://redis:")


def test_the_proxy_limits_bodies_to_djangos_upload_limit_and_serves_static_files():
    conf = (DEPLOY / "nginx.conf.template").read_text()
    limit = re.search(r"client_max_body_size\s+(\d+);", conf)
    assert limit and int(limit.group(1)) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert "location /static/" in conf and "proxy_set_header X-Forwarded-Proto https" in conf
