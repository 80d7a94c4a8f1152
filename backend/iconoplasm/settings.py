"""Django settings for the Iconoplasm site.

Embedded default: SQLite and local files under ``$ICONOPLASM_HOME`` (``./var``).
Secrets and production switches come from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from pipeline.paths import REPO_ROOT, default_data_dir, iconoplasm_home

from .config import database_from_url, key_encryption_key, logging_config, storage_settings

HOME = iconoplasm_home()
HOME.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("ICONOPLASM_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when ICONOPLASM_DEBUG=0")
    SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"

# Log records (errors with their tracebacks) go to stderr, at ICONOPLASM_LOG_LEVEL (INFO) and above.
LOGGING = logging_config(os.environ.get("ICONOPLASM_LOG_LEVEL", "INFO"))

ALLOWED_HOSTS = [h for h in os.environ.get("ICONOPLASM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # In the order data flows; an app imports only those above it (tests/backend/test_layout.py).
    # The rate limiter's table (a foundation, like backend/common, which alone uses it).
    "backend.limits",
    "backend.genes",
    "backend.portraits",
    "backend.studio",
    "backend.accounts",
    "backend.moderation",
    "backend.casts",
    "backend.learning",
    "backend.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # NUL bytes in URLs and over-limit bodies refused before any view; /api/ errors always JSON.
    "backend.common.middleware.RequestHygieneMiddleware",
    # The site's own CSS and icons, also under gunicorn with DEBUG off (after `collectstatic`).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Card stamps this process keeps (PostgreSQL only) are forgotten after its own writes.
    "backend.common.change_feed.ForgetAfterWritesMiddleware",
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

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", ""), HOME / "db.sqlite3")}

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
STATICFILES_DIRS = [REPO_ROOT / "backend" / "static"]
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Without collectstatic (development, tests) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = HOME / "media"
# Local files by default; S3-compatible storage when ICONOPLASM_S3_BUCKET is set.
STORAGES = storage_settings(os.environ)

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer an unauthenticated call 401 (not 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON nested too deeply for the parser is a 400 (DRF's own parser lets the RecursionError through).
    "DEFAULT_PARSER_CLASSES": [
        "backend.common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Adds each operation's error responses (400, 401, 404, 413, 429) to /api/schema/.
    "DEFAULT_SCHEMA_CLASS": "backend.common.errors.ErrorsAutoSchema",
    "EXCEPTION_HANDLER": "backend.common.errors.json_exception_handler",
}
SPECTACULAR_SETTINGS = {"TITLE": "Iconoplasm API", "VERSION": "1", "SERVE_INCLUDE_SCHEMA": False}

# Without Redis: a cache per process (cards, lexicon) and rate limits counted in the database,
# so every process shares them. With ICONOPLASM_REDIS_URL: both in Redis; while it does not
# answer, the cache is skipped and the limits are counted in the database (backend/common).
ICONOPLASM_REDIS_URL = os.environ.get("ICONOPLASM_REDIS_URL", "")
# A gene with no portrait yet gets its first one drawn when its page or card is first asked for
# (backend/portraits/first_look.py); 0 leaves it to the backfill (`render_missing`).
ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND = os.environ.get("ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND", "1") != "0"
# On PostgreSQL each web process keeps card stamps while a change feed says they hold
# (backend/common/change_feed.py), for at most this many seconds; 0 reads every stamp from the database.
ICONOPLASM_CARD_STAMP_SECONDS = float(os.environ.get("ICONOPLASM_CARD_STAMP_SECONDS", "30"))
# A Redis that does not answer costs each request at most this long before it is skipped.
ICONOPLASM_REDIS_TIMEOUT_S = float(os.environ.get("ICONOPLASM_REDIS_TIMEOUT_S", "0.25"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if ICONOPLASM_REDIS_URL:
    try:
        import redis  # noqa: F401  (a declared dependency; fail at start, not on the first card)
    except ImportError as exc:
        raise ImproperlyConfigured("ICONOPLASM_REDIS_URL is set but the redis package is not installed") from exc
    CACHES["default"] = {
        "BACKEND": "backend.common.cache.FailSoftRedisCache",
        "LOCATION": ICONOPLASM_REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": ICONOPLASM_REDIS_TIMEOUT_S,
            "socket_timeout": ICONOPLASM_REDIS_TIMEOUT_S,
        },
    }

# Requests per user (or client address) in any sliding window of this many seconds; 429 with
# Retry-After beyond. "login-user" and "login-addr" count failed sign-ins per username and per
# address (checked before the password hash).
ICONOPLASM_RATE_LIMITS = {
    "vote": (60, 60),
    "request": (20, 3600),
    "byok": (30, 3600),
    "optout": (5, 3600),
    "register": (10, 3600),
    "discovery": (120, 60),
    "transfer": (30, 3600),
    "login-user": (10, 900),
    "login-addr": (30, 900),
    # Issue 13: review answers (a fast reviewer answers every 2-3 s), casts composed or edited,
    # Anki decks built (each zips images), casts added to review.
    "review": (240, 60),
    "cast": (30, 3600),
    "deck": (30, 3600),
    "study": (30, 3600),
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Key for encrypting users' provider API keys at rest (Fernet, urlsafe base64 of 32 bytes): the
# environment's, checked here; without one in development a random key made once in
# $ICONOPLASM_HOME/fernet.key (mode 0600); required when ICONOPLASM_DEBUG=0.
ICONOPLASM_KEY_ENCRYPTION_KEY = key_encryption_key(os.environ, HOME, debug=DEBUG)

# Image provider for bring-your-own-key generation (OpenAI images API by default).
ICONOPLASM_IMAGE_API_URL = os.environ.get("ICONOPLASM_IMAGE_API_URL", "https://api.openai.com/v1/images/generations")

# Render queue: a claim not finished within this many seconds is retried.
ICONOPLASM_CLAIM_TIMEOUT_S = int(os.environ.get("ICONOPLASM_CLAIM_TIMEOUT_S", "600"))
ICONOPLASM_MAX_ATTEMPTS = int(os.environ.get("ICONOPLASM_MAX_ATTEMPTS", "3"))
# The canonical portrait needs this many votes and must lead by this margin to replace the current one.
ICONOPLASM_CANONICAL_MIN_VOTES = int(os.environ.get("ICONOPLASM_CANONICAL_MIN_VOTES", "3"))
ICONOPLASM_CANONICAL_MARGIN = int(os.environ.get("ICONOPLASM_CANONICAL_MARGIN", "2"))
# Genes every new account starts with.
ICONOPLASM_STARTER_GENES = ["TP53", "INS", "HBB"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Production security, from the environment ---------------------------------------------------
# Behind a TLS-terminating reverse proxy (deploy/). Every switch is off by default, so
# development on http://127.0.0.1 keeps working; deploy/env.example turns them on, and
# `manage.py check --deploy` is then clean (tests/backend/test_deploy.py).
def _env_flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() in ("1", "true", "yes", "on")


# Trust the proxy's X-Forwarded-Proto: only when a proxy that sets it is the sole way in.
if _env_flag("ICONOPLASM_TRUST_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_flag("ICONOPLASM_SSL_REDIRECT")
# Session and CSRF cookies sent over HTTPS only.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_flag("ICONOPLASM_SECURE_COOKIES")
SECURE_HSTS_SECONDS = int(os.environ.get("ICONOPLASM_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("ICONOPLASM_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_flag("ICONOPLASM_HSTS_PRELOAD")
# Preloading is a commitment that is hard to undo, so leaving it off is a choice, not a warning.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Origins allowed to POST forms (https://iconoplasm.example.org), comma-separated.
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ICONOPLASM_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
