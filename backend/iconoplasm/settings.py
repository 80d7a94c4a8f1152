"""Django settings for the Iconoplasm site.

Embedded default: SQLite and local files under ``$ICONOPLASM_HOME`` (``./var``).
Secrets and production switches come from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from pipeline.paths import REPO_ROOT, default_data_dir, iconoplasm_home

HOME = iconoplasm_home()
HOME.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ICONOPLASM_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when ICONOPLASM_DEBUG=0")
    SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("ICONOPLASM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "backend.genes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.iconoplasm.urls"
WSGI_APPLICATION = "backend.iconoplasm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [REPO_ROOT / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(os.environ.get("ICONOPLASM_DB", HOME / "db.sqlite3")),
    }
}

# Where `iconoplasm data build` writes the gene table the site reads.
ICONOPLASM_DATA_DIR = Path(os.environ.get("ICONOPLASM_DATA_DIR", default_data_dir()))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = HOME / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
