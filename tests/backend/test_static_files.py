"""The site's stylesheet and icons are served in production too (DEBUG off, after collectstatic)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from pipeline.paths import REPO_ROOT


@pytest.mark.django_db
def test_collected_static_files_are_served_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.WHITENOISE_USE_FINDERS = False
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    response = Client().get("/static/iconoplasm/site.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == (REPO_ROOT / "backend/static/iconoplasm/site.css").read_bytes()
    assert Client().get("/static/iconoplasm/no-such.css").status_code == 404


@pytest.mark.django_db
def test_a_page_links_the_stylesheet_that_is_served(client):
    page = client.get("/").content.decode()
    assert "/static/iconoplasm/site.css" in page
    assert client.get("/static/iconoplasm/site.css").status_code == 200
