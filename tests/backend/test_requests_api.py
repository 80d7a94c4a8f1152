"""API of the free queue: POST /api/genes/{SYMBOL}/requests/ and GET /api/requests/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.genes.models import GeneName
from backend.studio.models import GenerationRequest

from .factories import SECRET_ARTIST, client_for, make_emulsion, make_gene, make_user

# ---------------------------------------------------------------- tests


@pytest.mark.django_db
def test_create_request_queues_it_for_the_user():
    gene, _, user = make_gene(), make_emulsion("E0042", artists=SECRET_ARTIST), make_user()
    response = client_for(user).post("/api/genes/TP53/requests/", {"emulsion_id": "E0042"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["gene"] == "TP53" and body["emulsion_id"] == "E0042" and body["status"] == "queued"
    assert body["attempts"] == 0 and body["portrait_id"] is None
    assert SECRET_ARTIST not in response.content.decode()
    request = GenerationRequest.objects.get(pk=body["id"])
    assert (request.user, request.gene, request.status) == (user, gene, GenerationRequest.QUEUED)


@pytest.mark.django_db
def test_aliases_resolve_and_unknown_genes_are_404_json():
    gene = make_gene()
    GeneName.objects.create(name="p53", gene=gene, kind=GeneName.ALIAS)
    make_emulsion("E0042")
    client = client_for(make_user())
    assert client.post("/api/genes/p53/requests/", {"emulsion_id": "E0042"}, format="json").json()["gene"] == "TP53"
    missing = client.post("/api/genes/NOPE1/requests/", {"emulsion_id": "E0042"}, format="json")
    assert missing.status_code == 404
    assert "unknown gene: 'NOPE1'" in missing.json()["detail"]


@pytest.mark.django_db
def test_unknown_or_blocked_emulsions_are_400():
    make_gene(), make_emulsion("E0042"), make_emulsion("E0007", blocked=True)
    client = client_for(make_user())
    for emulsion_id in ("E9999", "E0007"):
        response = client.post("/api/genes/TP53/requests/", {"emulsion_id": emulsion_id}, format="json")
        assert response.status_code == 400
        assert "emulsion" in response.json()["emulsion_id"][0]
    assert client.post("/api/genes/TP53/requests/", {}, format="json").status_code == 400
    assert GenerationRequest.objects.count() == 0


@pytest.mark.django_db
def test_guests_cannot_request():
    make_gene(), make_emulsion("E0042")
    response = APIClient().post("/api/genes/TP53/requests/", {"emulsion_id": "E0042"}, format="json")
    assert response.status_code in (401, 403)
    assert APIClient().get("/api/requests/").status_code in (401, 403)


@pytest.mark.django_db
def test_request_rate_limit_answers_429_with_retry_after(settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "request": (2, 3600)}
    make_gene(), make_emulsion("E0042")
    client = client_for(make_user())
    codes = [
        client.post("/api/genes/TP53/requests/", {"emulsion_id": "E0042"}, format="json").status_code for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    limited = client.post("/api/genes/TP53/requests/", {"emulsion_id": "E0042"}, format="json")
    assert int(limited["Retry-After"]) >= 1 and "detail" in limited.json()
    # another user has their own budget
    assert (
        client_for(make_user("bob"))
        .post("/api/genes/TP53/requests/", {"emulsion_id": "E0042"}, format="json")
        .status_code
        == 201
    )


@pytest.mark.django_db
def test_list_shows_only_the_users_requests_with_status():
    gene, emulsion = make_gene(), make_emulsion("E0042")
    ada, bob = make_user("ada"), make_user("bob")
    first = GenerationRequest.objects.create(user=ada, gene=gene, emulsion=emulsion)
    GenerationRequest.objects.create(
        user=ada, gene=gene, emulsion=emulsion, status=GenerationRequest.FAILED, attempts=3, error="boom"
    )
    GenerationRequest.objects.create(user=bob, gene=gene, emulsion=emulsion)
    results = client_for(ada).get("/api/requests/").json()["results"]
    assert [r["status"] for r in results] == ["failed", "queued"]
    assert results[0]["error"] == "boom" and results[0]["attempts"] == 3
    assert results[1]["id"] == first.pk
