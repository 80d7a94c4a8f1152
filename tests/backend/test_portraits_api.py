"""The portraits API (candidates, vote, transfer), the print copy page and the schema."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.authtoken.models import Token

from backend.common import ratelimit
from backend.portraits import canonical, services
from backend.portraits.models import Canonical, CanonicalChange, Portrait, Vote
from backend.studio import copies

from .factories import SECRET_ARTIST, make_emulsion, make_gene, make_portrait, make_users


@pytest.fixture
def world(db):
    gene, other = make_gene("TP53", name="tumor protein p53"), make_gene("INS", name="insulin")
    emulsion = make_emulsion("E0001", artists=SECRET_ARTIST)
    first = make_portrait(gene, emulsion=emulsion)
    second = make_portrait(gene)
    hidden = make_portrait(gene, emulsion=emulsion)
    services.set_hidden([hidden], True)
    canonical.ensure_canonical(gene)
    (user,) = make_users(1)
    return {
        "gene": gene,
        "other": other,
        "emulsion": emulsion,
        "first": first,
        "second": second,
        "hidden": hidden,
        "user": user,
    }


# ---------------------------------------------------------------- candidates


def test_candidates_lists_public_candidates_without_artists(api_client, world):
    response = api_client.get("/api/genes/TP53/candidates/")
    assert response.status_code == 200
    body = response.json()
    assert body["symbol"] == "TP53" and body["canonical_id"] == world["first"].pk
    assert [c["id"] for c in body["candidates"]] == [world["first"].pk, world["second"].pk]  # hidden left out
    first = body["candidates"][0]
    assert first["emulsion"] == {"id": "E0001", "name": "Risograph Field Guide"}
    assert first["is_canonical"] is True and body["candidates"][1]["is_canonical"] is False
    assert (first["score"], first["votes_count"], first["my_vote"]) == (0, 0, None)
    assert first["image_url"].startswith("http://testserver/media/portraits/")
    assert first["blot_url"] is None
    assert default_storage.exists(first["image_url"].split("/media/", 1)[1])
    assert SECRET_ARTIST not in response.content.decode() and "artists" not in response.content.decode()


def test_candidates_show_my_vote(api_client, world):
    services.vote(world["user"], world["second"].pk, -1)
    api_client.force_authenticate(world["user"])
    candidates = api_client.get("/api/genes/TP53/candidates/").json()["candidates"]
    assert {c["id"]: c["my_vote"] for c in candidates} == {world["first"].pk: None, world["second"].pk: -1}


def test_candidates_of_unknown_gene_is_json_404(api_client, db):
    response = api_client.get("/api/genes/NOPE1/candidates/")
    assert response.status_code == 404
    assert "NOPE1" in response.json()["detail"]


# ---------------------------------------------------------------- vote


def vote_url(portrait_or_id) -> str:
    return f"/api/portraits/{getattr(portrait_or_id, 'pk', portrait_or_id)}/vote/"


def test_vote_records_one_vote_per_user(api_client, world):
    api_client.force_authenticate(world["user"])
    response = api_client.post(vote_url(world["second"]), {"value": 1}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["score"], body["votes_count"], body["my_vote"]) == (world["second"].pk, 1, 1, 1)
    assert SECRET_ARTIST not in response.content.decode()
    body = api_client.post(vote_url(world["second"]), {"value": -1}, format="json").json()
    assert (body["score"], body["votes_count"], body["my_vote"]) == (-1, 1, -1)
    body = api_client.post(vote_url(world["second"]), {"value": 0}, format="json").json()
    assert (body["score"], body["votes_count"], body["my_vote"]) == (0, 0, None)
    assert not Vote.objects.exists()


def test_vote_with_token_auth(api_client, world):
    token = Token.objects.create(user=world["user"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.post(vote_url(world["first"]), {"value": 1}, format="json").status_code == 200


def test_a_vote_through_the_api_takes_few_statements(api_client, world, monkeypatch):
    # The busiest write: each statement is a round trip on PostgreSQL. The token, the rate limit
    # (2), the portrait read with its gene's lock, the vote with the portrait's new totals (one
    # statement on PostgreSQL, two on SQLite), the canonical rule's one read (candidates and
    # Canonical row together). BEGIN and COMMIT are not counted: inside the test's own
    # transaction they are savepoints. Not counted either: the prune of old hits that one
    # counted request in PRUNE_EVERY, drawn at random, also runs.
    monkeypatch.setattr(ratelimit.random, "randrange", lambda n: n - 1)
    token = Token.objects.create(user=world["user"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with CaptureQueriesContext(connection) as statements:
        body = api_client.post(vote_url(world["first"]), {"value": 1}, format="json").json()
    sent = [q["sql"] for q in statements.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sent) <= (6 if connection.vendor == "postgresql" else 7), "\n".join(sent)
    assert (body["score"], body["votes_count"], body["my_vote"]) == (1, 1, 1)
    assert body["emulsion"] == {"id": "E0001", "name": "Risograph Field Guide"}


@pytest.mark.parametrize("payload", [{"value": 2}, {"value": "up"}, {"value": True}, {}])
def test_vote_rejects_invalid_values(api_client, world, payload):
    api_client.force_authenticate(world["user"])
    response = api_client.post(vote_url(world["first"]), payload, format="json")
    assert response.status_code == 400
    assert response.json()["value"]
    if payload:
        assert "1, -1 or 0" in response.json()["value"][0]
    assert not Vote.objects.exists()


def test_guests_cannot_vote(api_client, world):
    response = api_client.post(vote_url(world["first"]), {"value": 1}, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    # SessionAuthentication comes first in settings, so DRF answers a failed login with 403, not 401.
    assert api_client.post(vote_url(world["first"]), {"value": 1}, format="json").status_code in (401, 403)
    assert not Vote.objects.exists()


def test_vote_on_unknown_or_hidden_portrait_is_json_404(api_client, world):
    api_client.force_authenticate(world["user"])
    for target in (999999, world["hidden"]):
        response = api_client.post(vote_url(target), {"value": 1}, format="json")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


def test_vote_rate_limit_answers_429_with_retry_after(api_client, world, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "vote": (3, 60)}
    api_client.force_authenticate(world["user"])
    for value in (1, -1, 0):
        assert api_client.post(vote_url(world["first"]), {"value": value}, format="json").status_code == 200
    response = api_client.post(vote_url(world["first"]), {"value": 1}, format="json")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"]
    assert not Vote.objects.exists()


def test_votes_move_the_canonical_through_the_api(api_client, world, settings):
    for user in make_users(3, prefix="fan"):
        api_client.force_authenticate(user)
        api_client.post(vote_url(world["second"]), {"value": 1}, format="json")
    assert Canonical.objects.get(gene=world["gene"]).portrait == world["second"]
    body = api_client.get("/api/genes/TP53/candidates/").json()
    assert body["canonical_id"] == world["second"].pk and body["candidates"][0]["is_canonical"]


# ---------------------------------------------------------------- transfer


def transfer_url(portrait_or_id) -> str:
    return f"/api/portraits/{getattr(portrait_or_id, 'pk', portrait_or_id)}/transfer/"


def test_transfer_copies_to_another_gene(api_client, world):
    api_client.force_authenticate(world["user"])
    response = api_client.post(transfer_url(world["first"]), {"to": "INS"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    copy = Portrait.objects.get(pk=body["portrait"]["id"])
    assert (copy.gene, copy.origin, copy.transferred_from, copy.created_by) == (
        world["other"],
        "transfer",
        world["first"],
        world["user"],
    )
    assert body["portrait"]["symbol"] == "INS" and body["portrait"]["is_canonical"] is True
    assert body["portrait"]["emulsion"] == {"id": "E0001", "name": "Risograph Field Guide"}
    assert SECRET_ARTIST not in response.content.decode()
    again = api_client.post(transfer_url(world["first"]), {"to": "INS"}, format="json")
    assert again.status_code == 200
    assert again.json() == {**body, "created": False}
    assert Portrait.objects.filter(gene=world["other"]).count() == 1


def test_transfer_errors(api_client, world):
    assert api_client.post(transfer_url(world["first"]), {"to": "INS"}, format="json").status_code in (401, 403)
    api_client.force_authenticate(world["user"])
    same = api_client.post(transfer_url(world["first"]), {"to": "TP53"}, format="json")
    assert same.status_code == 400 and same.json()["to"]
    unknown_gene = api_client.post(transfer_url(world["first"]), {"to": "NOPE1"}, format="json")
    assert unknown_gene.status_code == 404 and "NOPE1" in unknown_gene.json()["detail"]
    assert api_client.post(transfer_url(999999), {"to": "INS"}, format="json").status_code == 404
    assert api_client.post(transfer_url(world["hidden"]), {"to": "INS"}, format="json").status_code == 404
    assert api_client.post(transfer_url(world["first"]), {}, format="json").status_code == 400
    assert not Portrait.objects.filter(gene=world["other"]).exists()


def test_transfer_rate_limit(api_client, world, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "transfer": (1, 3600)}
    api_client.force_authenticate(world["user"])
    assert api_client.post(transfer_url(world["first"]), {"to": "INS"}, format="json").status_code == 201
    response = api_client.post(transfer_url(world["second"]), {"to": "INS"}, format="json")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert Portrait.objects.filter(gene=world["other"]).count() == 1


# ---------------------------------------------------------------- print copy and schema


def test_print_copy_download(client, world):
    response = client.get("/genes/TP53/print.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert 'filename="TP53-print.png"' in response["Content-Disposition"]
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (1536, 2048)
    chosen = client.get(f"/genes/TP53/print.png?portrait={world['second'].pk}")
    assert chosen.status_code == 200 and chosen.content != response.content


def test_print_copy_not_found(client, world):
    assert client.get("/genes/NOPE1/print.png").status_code == 404
    assert client.get("/genes/INS/print.png").status_code == 404  # no portrait yet
    assert client.get(f"/genes/TP53/print.png?portrait={world['hidden'].pk}").status_code == 404
    assert client.get("/genes/TP53/print.png?portrait=abc").status_code == 404


def test_endpoints_are_in_the_schema(api_client, db):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = (
        response.json()["paths"]
        if response["Content-Type"].startswith("application/json")
        else response.content.decode()
    )
    for endpoint in ("/api/genes/{symbol}/candidates/", "/api/portraits/{id}/vote/", "/api/portraits/{id}/transfer/"):
        assert endpoint in paths
    assert '"artists"' not in response.content.decode()


# ---------------------------------------------------------------- admin


def test_admin_hide_unhide_and_pin_actions(admin_client, world):
    changelist = "/admin/portraits/portrait/"
    assert admin_client.get(changelist).status_code == 200
    response = admin_client.post(changelist, {"action": "hide", "_selected_action": [world["first"].pk]})
    assert response.status_code == 302
    world["first"].refresh_from_db()
    assert world["first"].hidden
    assert Canonical.objects.get(gene=world["gene"]).portrait == world["second"]  # canonical handed over
    admin_client.post(changelist, {"action": "unhide", "_selected_action": [world["first"].pk]})
    world["first"].refresh_from_db()
    assert not world["first"].hidden
    admin_client.post(changelist, {"action": "pin_as_canonical", "_selected_action": [world["first"].pk]})
    choice = Canonical.objects.get(gene=world["gene"])
    assert (choice.portrait, choice.pinned) == (world["first"], True)
    admin_client.post("/admin/portraits/canonical/", {"action": "unpin", "_selected_action": [choice.pk]})
    assert not Canonical.objects.get(gene=world["gene"]).pinned
    admin_client.post("/admin/portraits/canonical/", {"action": "pin", "_selected_action": [choice.pk]})
    assert Canonical.objects.get(gene=world["gene"]).pinned
    reasons = list(
        CanonicalChange.objects.filter(gene=world["gene"]).order_by("id").values_list("reason", "changed_by__username")
    )
    assert reasons[-3:] == [("pinned by admin", "admin"), ("unpinned by admin", "admin"), ("pinned by admin", "admin")]
    for page in (
        "/admin/portraits/canonical/",
        "/admin/portraits/canonicalchange/",
        "/admin/portraits/emulsion/",
        "/admin/portraits/vote/",
    ):
        assert admin_client.get(page).status_code == 200


def test_a_transferred_candidate_says_whose_traits_it_shows(api_client, world, django_assert_max_num_queries):
    """Issue 12, defect 10: a copied portrait shows another gene's traits, and says so."""
    api_client.force_authenticate(world["user"])
    api_client.post(transfer_url(world["first"]), {"to": "INS"}, format="json")
    make_portrait(world["other"])  # one drawn for INS: a second candidate, no second query per candidate
    with django_assert_max_num_queries(8):
        body = api_client.get("/api/genes/INS/candidates/").json()
    copied = {c["origin"]: c["copied_from"] for c in body["candidates"]}
    assert copied["import"] is None
    assert copied["transfer"] == {"symbol": "TP53", "notice": "copied from TP53 — drawn with TP53's traits, not INS's"}
    candidates = api_client.get("/api/genes/TP53/candidates/").json()["candidates"]
    assert all(c["copied_from"] is None for c in candidates)


def test_the_candidate_notice_is_on_the_gene_page(client, world):
    copy, _ = copies.transfer_portrait(world["first"], world["other"], world["user"])
    page = client.get("/genes/INS/").content.decode()
    notice = page.split(f'id="candidate-{copy.pk}"', 1)[1].split("</li>", 1)[0]
    assert 'Copied from <a href="/genes/TP53/">TP53</a> — drawn with TP53\'s traits' in notice
    assert "not INS's" in notice
    assert "Copied from" not in client.get("/genes/TP53/").content.decode()
