"""Bring your own key: POST /api/genes/{SYMBOL}/byok-generate/ against a local fake images API."""

from __future__ import annotations

import base64
import logging
import socket

import pytest

from backend.portraits.models import Portrait
from backend.studio.keys import provider_key_set

from .factories import API_KEY, SECRET_ARTIST, client_for, database_text, make_emulsion, make_gene, make_user, png_bytes
from .fake_image_api import ANSWER_IMAGE, FakeImageApi, images_answer


@pytest.fixture
def image_api(settings):
    api = FakeImageApi().start()
    settings.ICONOPLASM_IMAGE_API_URL = api.url
    yield api
    api.stop()


@pytest.fixture
def keyed_user(db):
    user = make_user()
    provider_key_set(user=user, provider="openai", api_key=API_KEY, model="dall-e-3")
    return user


def assert_no_key_anywhere(responses, caplog):
    for response in responses:
        assert API_KEY not in response.content.decode()
    assert API_KEY not in database_text()
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in repr(record.args) and API_KEY not in (record.exc_text or "")
    assert API_KEY not in caplog.text


@pytest.mark.django_db
def test_generates_and_registers_a_byok_candidate(image_api, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    gene, emulsion = make_gene(), make_emulsion("E0042", artists=SECRET_ARTIST)
    response = client_for(keyed_user).post("/api/genes/TP53/byok-generate/", {"emulsion_id": "E0042"}, format="json")
    assert response.status_code == 201, response.content
    [seen] = image_api.seen
    assert seen.path == "/v1/images/generations"
    assert seen.headers["authorization"] == f"Bearer {API_KEY}"
    assert seen.body["model"] == "dall-e-3" and seen.body["response_format"] == "b64_json"
    assert seen.body["size"] == "1024x1792"
    assert (
        "a stern guardian, silver armour" in seen.body["prompt"] and "risograph print, two inks" in seen.body["prompt"]
    )
    assert SECRET_ARTIST not in seen.body["prompt"]
    portrait = Portrait.objects.get()
    assert (portrait.gene, portrait.emulsion, portrait.created_by) == (gene, emulsion, keyed_user)
    assert (portrait.origin, portrait.renderer, portrait.model) == (Portrait.BYOK, "openai", "dall-e-3")
    assert portrait.prompt == seen.body["prompt"] and (portrait.width, portrait.height) == (64, 96)
    assert portrait.image.read() == ANSWER_IMAGE
    body = response.json()
    assert body["id"] == portrait.pk and body["origin"] == "byok" and body["emulsion_id"] == "E0042"
    assert any("byok generation for TP53" in record.getMessage() for record in caplog.records)  # logs were captured
    assert_no_key_anywhere([response], caplog)


@pytest.mark.django_db
def test_without_an_emulsion_the_prompt_is_the_tags(image_api, keyed_user):
    make_gene()
    response = client_for(keyed_user).post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert response.status_code == 201
    assert image_api.seen[0].body["prompt"] == "a stern guardian, silver armour"
    assert response.json()["emulsion_id"] is None


@pytest.mark.django_db
def test_provider_errors_are_502_with_the_providers_message(image_api, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    make_gene()
    client = client_for(keyed_user)
    image_api.respond(
        400, {"error": {"message": "Your request was rejected by the safety system.", "type": "invalid_request_error"}}
    )
    refused = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert refused.status_code == 502
    assert (
        refused.json()["detail"] == "the image provider answered 400: Your request was rejected by the safety system."
    )
    # A provider that echoes the key back: the message is passed on, the key is not.
    image_api.respond(401, {"error": {"message": f"Incorrect API key provided: {API_KEY}."}})
    echoed = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert echoed.status_code == 502 and "Incorrect API key provided: [redacted]" in echoed.json()["detail"]
    image_api.respond(500, b"upstream went away")
    broken = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert broken.status_code == 502 and "500: upstream went away" in broken.json()["detail"]
    assert Portrait.objects.count() == 0
    assert any(record.name == "django.request" for record in caplog.records)  # the 502s were logged
    assert_no_key_anywhere([refused, echoed, broken], caplog)


@pytest.mark.django_db
def test_an_answer_that_is_not_an_image_is_502_and_nothing_is_stored(image_api, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    make_gene()
    client = client_for(keyed_user)
    image_api.respond(200, {"data": [{"b64_json": base64.b64encode(b"<html>definitely not a png</html>").decode()}]})
    not_image = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert not_image.status_code == 502
    assert "returned something that is not an image" in not_image.json()["detail"]
    image_api.respond(200, {"data": [{"url": "https://example.invalid/x.png"}]})
    no_b64 = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert no_b64.status_code == 502 and "expected data[0].b64_json" in no_b64.json()["detail"]
    image_api.respond(200, b"{not json")
    garbled = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert garbled.status_code == 502
    assert Portrait.objects.count() == 0
    assert_no_key_anywhere([not_image, no_b64, garbled], caplog)


@pytest.mark.django_db
def test_an_unreachable_provider_is_502(settings, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ICONOPLASM_IMAGE_API_URL = f"http://127.0.0.1:{port}/v1/images/generations"
    make_gene()
    response = client_for(keyed_user).post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert response.status_code == 502 and "could not reach the image provider" in response.json()["detail"]
    assert_no_key_anywhere([response], caplog)


@pytest.mark.django_db
def test_without_a_stored_key_or_with_bad_input(image_api):
    make_gene(), make_emulsion("E0007", blocked=True)
    user = make_user()
    client = client_for(user)
    no_key = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert no_key.status_code == 400 and "no provider key stored" in no_key.json()["detail"]
    provider_key_set(user=user, provider="openai", api_key=API_KEY)
    assert client.post("/api/genes/NOPE1/byok-generate/", {}, format="json").status_code == 404
    assert client.post("/api/genes/TP53/byok-generate/", {"emulsion_id": "E0007"}, format="json").status_code == 400
    assert image_api.seen == []


@pytest.mark.django_db
def test_byok_rate_limit(image_api, keyed_user, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "byok": (2, 3600)}
    make_gene()
    client = client_for(keyed_user)
    image_api.respond(200, images_answer(png_bytes((1, 1, 1))))
    assert client.post("/api/genes/TP53/byok-generate/", {}, format="json").status_code == 201
    image_api.respond(200, images_answer(png_bytes((2, 2, 2))))
    assert client.post("/api/genes/TP53/byok-generate/", {}, format="json").status_code == 201
    limited = client.post("/api/genes/TP53/byok-generate/", {}, format="json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert len(image_api.seen) == 2
