"""The public artist opt-out endpoint and page."""

from __future__ import annotations

import pytest
from django.urls import include, path

from backend.iconoplasm.urls import urlpatterns as site_urlpatterns
from backend.moderation.models import ArtistOptOut

from .factories import make_user

# The site's URLs, with the opt-out page mounted if urls.py does not mount it yet.
urlpatterns = list(site_urlpatterns)
if not any(getattr(p, "namespace", None) == "moderation" for p in urlpatterns):
    urlpatterns.append(path("", include("backend.moderation.urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/api/artist-optout/"


def test_optout_is_stored_and_answered_201(api_client):
    response = api_client.post(
        URL, {"name": "Jane Doe", "contact": "jane@example.org", "message": "please stop"}, format="json"
    )
    assert response.status_code == 201
    assert "received" in response.json()["detail"]
    optout = ArtistOptOut.objects.get()
    assert (optout.name, optout.contact, optout.message, optout.status) == (
        "Jane Doe",
        "jane@example.org",
        "please stop",
        "new",
    )


def test_optout_message_is_optional(api_client):
    assert api_client.post(URL, {"name": "Jane Doe", "contact": "jane@example.org"}, format="json").status_code == 201


def test_optout_works_for_signed_in_users_too(api_client):
    api_client.force_authenticate(make_user())
    assert api_client.post(URL, {"name": "Jane Doe", "contact": "jane@example.org"}, format="json").status_code == 201


def test_honeypot_pretends_success_but_stores_nothing(api_client):
    response = api_client.post(
        URL, {"name": "Bot", "contact": "bot@example.org", "website": "http://spam.example"}, format="json"
    )
    assert response.status_code == 201
    assert response.json() == api_client.post(URL, {"name": "Jane", "contact": "j@example.org"}, format="json").json()
    assert list(ArtistOptOut.objects.values_list("name", flat=True)) == ["Jane"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"contact": "jane@example.org"}, "name"),
        ({"name": "Jane Doe"}, "contact"),
        ({"name": "", "contact": "jane@example.org"}, "name"),
        ({"name": "x" * 201, "contact": "jane@example.org"}, "name"),
        ({"name": "Jane", "contact": "j@example.org", "message": "m" * 5001}, "message"),
    ],
)
def test_optout_validation_errors_are_400(api_client, payload, field):
    response = api_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ArtistOptOut.objects.exists()


def test_optout_is_rate_limited(api_client, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "optout": (2, 3600)}
    for _ in range(2):
        assert api_client.post(URL, {"name": "Jane", "contact": "j@example.org"}, format="json").status_code == 201
    response = api_client.post(URL, {"name": "Jane", "contact": "j@example.org"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert ArtistOptOut.objects.count() == 2


def test_optout_page_form_honeypot_and_rate_limit(client, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "optout": (3, 3600)}
    page = client.get("/artist-optout/")
    assert page.status_code == 200 and b'name="website"' in page.content
    assert client.post("/artist-optout/", {"name": "", "contact": ""}).status_code == 400
    sent = client.post("/artist-optout/", {"name": "Jane Doe", "contact": "jane@example.org", "message": "<b>hi</b>"})
    assert sent.status_code == 201 and b"Thank you" in sent.content
    bot = client.post("/artist-optout/", {"name": "Bot", "contact": "b@example.org", "website": "spam"})
    assert bot.status_code == 201 and b"Thank you" in bot.content
    assert list(ArtistOptOut.objects.values_list("name", flat=True)) == ["Jane Doe"]
    limited = client.post("/artist-optout/", {"name": "Jane Doe", "contact": "jane@example.org"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
