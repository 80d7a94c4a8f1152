"""Fixtures shared by the backend tests (builders are in factories.py, fakes in fakes.py and fake_image_api.py).

Every backend test runs isolated (``isolated``, autouse): media and the data folder under its
own tmp_path, the canonical rule at its documented numbers, rate-limit counters and cached
cards from zero, and a quick password hasher. No test module imports fixtures from another.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from backend.common import ratelimit

from .catalogue import write_catalogue
from .factories import build_site, make_user


@pytest.fixture
def fresh_rate_limits():
    """Cached cards from zero, and rate-limit counts: in the database they go with each test's
    transaction; in Redis (when ICONOPLASM_REDIS_URL is set) they are cleared here."""
    cache.clear()
    ratelimit.clear()
    yield
    cache.clear()
    ratelimit.clear()


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path, fresh_rate_limits):
    """Media and the data folder under tmp_path; the canonical rule's numbers; quick password
    hashing; no kept card stamps."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ICONOPLASM_DATA_DIR = tmp_path / "data"
    settings.ICONOPLASM_CANONICAL_MIN_VOTES = 3
    settings.ICONOPLASM_CANONICAL_MARGIN = 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Kept card stamps only where a test asks for them (test_card_feed.py): a listening
    # connection left open would keep the PostgreSQL test database from being dropped.
    settings.ICONOPLASM_CARD_STAMP_SECONDS = 0


@pytest.fixture(scope="session")
def catalogue_files(tmp_path_factory):
    """genes.parquet and traits.parquet of the five fixture genes, built once per test run."""
    return write_catalogue(tmp_path_factory.mktemp("catalogue"))


@pytest.fixture
def site(db, catalogue_files):
    """The fixture site (factories.build_site): the five genes, portraits, a member and their data."""
    return build_site(*catalogue_files)


@pytest.fixture
def member(client, site):
    """A client signed in as the site's member."""
    client.force_login(site.user)
    return client


@pytest.fixture
def user(db):
    """A member, "ada", with the factories' PASSWORD."""
    return make_user("ada")


@pytest.fixture
def api_client():
    """A guest's DRF API client (``factories.client_for(user)`` signs one in)."""
    return APIClient()
