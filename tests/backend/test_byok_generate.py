"""Bring your own key: POST /api/genes/{SYMBOL}/byok-generate/ queues a request (202, no provider call);
the render worker calls the provider once, against a local fake images API, and registers the candidate."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import socket
import time

import pytest
from django.utils import timezone
from PIL import Image

from backend.portraits.models import Portrait
from backend.studio.keys import provider_key_delete, provider_key_set
from backend.studio.models import GenerationRequest
from backend.studio.services import BYOK_STOPPED, request_claim_next, request_process, run_worker

from .factories import API_KEY, SECRET_ARTIST, client_for, database_text, make_emulsion, make_gene, make_user, png_bytes
from .fake_image_api import FakeImageApi, images_answer
from .fakes import FakeRenderer


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


def post(client, body=None, symbol="TP53"):
    return client.post(f"/api/genes/{symbol}/byok-generate/", body or {}, format="json")


def queued(response) -> GenerationRequest:
    """The request a 202 answer describes, checked to be queued and not yet drawn."""
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["kind"] == "byok" and body["attempts"] == 0
    assert body["portrait_id"] is None and body["url"] == f"/api/requests/{body['id']}/"
    assert response["Location"] == body["url"]
    return GenerationRequest.objects.get(pk=body["id"])


def work() -> int:
    """One worker pass over the queue (its own renderer would draw free requests only)."""
    return run_worker(worker_id="w1", renderer=FakeRenderer().renderer(), once=True)


@pytest.mark.django_db
def test_post_queues_then_the_worker_generates_and_registers_a_byok_candidate(image_api, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    gene, emulsion = make_gene(), make_emulsion("E0042", artists=SECRET_ARTIST)
    client = client_for(keyed_user)
    started = time.monotonic()
    response = post(client, {"emulsion_id": "E0042"})
    assert time.monotonic() - started < 5
    request = queued(response)
    assert response.json()["emulsion_id"] == "E0042" and response.json()["gene"] == "TP53"
    assert image_api.seen == [] and Portrait.objects.count() == 0  # the web request called no provider
    assert (request.user, request.gene, request.emulsion) == (keyed_user, gene, emulsion)

    assert work() == 1
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
    assert portrait.seed is None
    with Image.open(portrait.image) as stored:  # the provider's image, stored as the site stores every image
        assert (stored.format, stored.size) == ("WEBP", (64, 96))
        assert stored.convert("RGB").getcolors() == [(64 * 96, (40, 120, 200))]
    request.refresh_from_db()
    assert (request.status, request.attempts, request.portrait, request.error) == ("done", 1, portrait, "")
    # The user sees it through the API.
    status = client.get(response["Location"])
    assert status.status_code == 200 and status.json()["status"] == "done"
    assert status.json()["portrait_id"] == portrait.pk
    [listed] = client.get("/api/requests/").json()["results"]
    assert listed["id"] == request.pk and listed["kind"] == "byok" and listed["status"] == "done"
    assert any("byok generation for TP53" in record.getMessage() for record in caplog.records)  # logs were captured
    assert work() == 0 and len(image_api.seen) == 1  # done stays done: no second call
    assert_no_key_anywhere([response, status], caplog)


@pytest.mark.django_db
def test_without_an_emulsion_the_prompt_is_the_tags(image_api, keyed_user):
    make_gene()
    response = post(client_for(keyed_user))
    request = queued(response)
    assert response.json()["emulsion_id"] is None and response.json()["emulsion_name"] is None
    assert request.emulsion is None
    work()
    assert image_api.seen[0].body["prompt"] == "a stern guardian, silver armour"
    assert Portrait.objects.get().emulsion is None


@pytest.mark.django_db
def test_provider_errors_fail_the_request_with_the_providers_message_after_one_call(image_api, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    make_gene()
    client = client_for(keyed_user)
    cases = [
        (
            (400, {"error": {"message": "Your request was rejected by the safety system.", "type": "x"}}),
            "the image provider answered 400: Your request was rejected by the safety system.",
        ),
        # A provider that echoes the key back: the message is passed on, the key is not.
        (
            (401, {"error": {"message": f"Incorrect API key provided: {API_KEY}."}}),
            "Incorrect API key provided: [redacted]",
        ),
        ((500, b"upstream went away"), "500: upstream went away"),
    ]
    responses = []
    for answer, message in cases:
        image_api.respond(*answer)
        calls = len(image_api.seen)
        response = post(client)
        request = queued(response)
        assert work() == 1
        assert len(image_api.seen) == calls + 1  # one call, no retry
        request.refresh_from_db()
        assert (request.status, request.attempts) == ("failed", 1) and request.finished_at is not None
        assert message in request.error
        shown = client.get(response["Location"])
        assert shown.json()["status"] == "failed" and message in shown.json()["error"]
        responses += [response, shown]
    assert work() == 0 and len(image_api.seen) == 3  # failed stays failed
    assert Portrait.objects.count() == 0
    assert any(record.name == "backend.studio.services" for record in caplog.records)  # the failures were logged
    responses.append(client.get("/api/requests/"))
    assert_no_key_anywhere(responses, caplog)


@pytest.mark.django_db
def test_an_answer_that_is_not_an_image_fails_and_nothing_is_stored(image_api, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    make_gene()
    client = client_for(keyed_user)
    cases = [
        (
            {"data": [{"b64_json": base64.b64encode(b"<html>definitely not a png</html>").decode()}]},
            "returned something that is not an image",
        ),
        ({"data": [{"url": "https://example.invalid/x.png"}]}, "expected data[0].b64_json"),
        (b"{not json", "has no image"),
    ]
    for answer, message in cases:
        image_api.respond(200, answer)
        request = queued(post(client))
        work()
        request.refresh_from_db()
        assert request.status == "failed" and message in request.error
    assert len(image_api.seen) == 3 and Portrait.objects.count() == 0
    assert_no_key_anywhere([client.get("/api/requests/")], caplog)


@pytest.mark.django_db
def test_an_unreachable_provider_fails_the_request(settings, keyed_user, caplog):
    caplog.set_level(logging.DEBUG)
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ICONOPLASM_IMAGE_API_URL = f"http://127.0.0.1:{port}/v1/images/generations"
    make_gene()
    response = post(client_for(keyed_user))
    request = queued(response)
    work()
    request.refresh_from_db()
    assert request.status == "failed" and "could not reach the image provider" in request.error
    assert_no_key_anywhere([response], caplog)


@pytest.mark.django_db
def test_a_claim_that_timed_out_fails_and_the_provider_is_not_called_again(image_api, keyed_user, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.ICONOPLASM_CLAIM_TIMEOUT_S = 60
    settings.ICONOPLASM_MAX_ATTEMPTS = 3
    make_gene()
    client = client_for(keyed_user)
    request = queued(post(client))
    dead = request_claim_next(worker_id="dead")  # claims, then "dies" mid-call without finishing
    assert dead.request_id == request.pk and dead.attempt == 1
    assert work() == 0  # before the timeout nobody else may take it
    later = timezone.now() + dt.timedelta(seconds=61)
    assert request_claim_next(worker_id="w2", now=later) is None  # after it: failed, not claimed again
    request.refresh_from_db()
    assert (request.status, request.attempts, request.claimed_by) == ("failed", 1, "dead")
    assert request.error == BYOK_STOPPED
    assert "may have been billed" in request.error and "request again" in request.error
    GenerationRequest.objects.filter(pk=request.pk).update(claimed_at=timezone.now() - dt.timedelta(seconds=3600))
    assert work() == 0
    # The presumed-dead worker comes back: its claim is gone, it neither registers nor changes anything.
    assert request_process(dead, renderer=FakeRenderer().renderer()) is None
    request.refresh_from_db()
    assert (request.status, request.error) == ("failed", BYOK_STOPPED)
    assert image_api.seen == [] and Portrait.objects.count() == 0
    shown = client.get(f"/api/requests/{request.pk}/").json()
    assert shown["status"] == "failed" and shown["error"] == BYOK_STOPPED
    assert_no_key_anywhere([], caplog)


@pytest.mark.django_db
def test_a_running_byok_request_is_never_reclaimed_even_with_attempts_left(image_api, keyed_user, settings):
    """The dead worker's claim is expired by the next worker's pass (through run_worker), with no provider call."""
    settings.ICONOPLASM_CLAIM_TIMEOUT_S = 60
    make_gene()
    request = queued(post(client_for(keyed_user)))
    assert request_claim_next(worker_id="dead") is not None
    GenerationRequest.objects.filter(pk=request.pk).update(claimed_at=timezone.now() - dt.timedelta(seconds=61))
    assert work() == 0
    request.refresh_from_db()
    assert (request.status, request.attempts, request.error) == ("failed", 1, BYOK_STOPPED)
    assert image_api.seen == []


@pytest.mark.django_db
def test_any_failure_of_a_byok_request_is_final(image_api, keyed_user, settings):
    """A key deleted while the request waited: failed at once with the clear message, no provider call."""
    settings.ICONOPLASM_MAX_ATTEMPTS = 3
    make_gene()
    request = queued(post(client_for(keyed_user)))
    provider_key_delete(user=keyed_user)
    assert work() == 1
    request.refresh_from_db()
    assert (request.status, request.attempts) == ("failed", 1) and "no provider key stored" in request.error
    assert work() == 0 and image_api.seen == []


@pytest.mark.django_db
def test_free_and_byok_requests_share_the_queue(image_api, keyed_user):
    gene, emulsion = make_gene(), make_emulsion("E0042")
    free = GenerationRequest.objects.create(user=keyed_user, gene=gene, emulsion=emulsion)
    byok = queued(post(client_for(keyed_user), {"emulsion_id": "E0042"}))
    fake = FakeRenderer()
    assert run_worker(worker_id="w1", renderer=fake.renderer(), once=True) == 2
    free.refresh_from_db(), byok.refresh_from_db()
    assert (free.status, free.portrait.origin, free.portrait.renderer) == ("done", Portrait.REQUEST, "procedural")
    assert (byok.status, byok.portrait.origin, byok.portrait.renderer) == ("done", Portrait.BYOK, "openai")
    assert len(fake.calls) == 1 and len(image_api.seen) == 1


@pytest.mark.django_db
def test_without_a_stored_key_or_with_bad_input(image_api):
    make_gene(), make_emulsion("E0007", blocked=True)
    user = make_user()
    client = client_for(user)
    no_key = post(client)
    assert no_key.status_code == 400
    assert no_key.json()["detail"] == "no provider key stored; PUT /api/me/provider-key/ first"
    provider_key_set(user=user, provider="openai", api_key=API_KEY)
    assert post(client, symbol="NOPE1").status_code == 404
    assert post(client, {"emulsion_id": "E0007"}).status_code == 400
    assert GenerationRequest.objects.count() == 0
    assert work() == 0 and image_api.seen == []


@pytest.mark.django_db
def test_another_users_request_is_404(image_api, keyed_user):
    make_gene()
    request = queued(post(client_for(keyed_user)))
    assert client_for(make_user("bob")).get(f"/api/requests/{request.pk}/").status_code == 404


@pytest.mark.django_db
def test_byok_rate_limit(image_api, keyed_user, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "byok": (2, 3600)}
    make_gene()
    client = client_for(keyed_user)
    image_api.respond(200, images_answer(png_bytes((1, 1, 1))))
    queued(post(client))
    queued(post(client))
    limited = post(client)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert GenerationRequest.objects.count() == 2
    assert work() == 2 and len(image_api.seen) == 2


@pytest.mark.django_db
def test_the_gene_page_lists_byok_requests_with_their_status(image_api, keyed_user):
    make_gene()
    client = client_for(keyed_user)
    client.force_login(keyed_user)
    image_api.respond(400, {"error": {"message": "Your request was rejected by the safety system."}})
    request = queued(post(client))
    work()
    page = client.get("/genes/TP53/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-request="{request.pk}"' in html and "rejected by the safety system" in html
    assert API_KEY not in html
