"""The casts JSON API: list, read, compose and edit; validation, permissions, CSRF and the schema."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from backend.casts.models import Cast
from backend.casts.services import MAX_SIDES, create_cast, resolve_builtin, save_builtin_cast
from pipeline.casts import CastSpec, SideSpec

from .factories import client_for, make_gene, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def genes():
    return {
        "TP53": make_gene("TP53", aliases=["p53"], color_hex="#aa3311", text_color_hex="#ffffff", color_name="brick"),
        "MDM2": make_gene("MDM2", color_hex="#1155aa", faction="pro-growth"),
        "WNT1": make_gene("WNT1"),
        "WNT2B": make_gene("WNT2B"),
    }


@pytest.fixture
def builtin(genes):
    spec = CastSpec("guardians", "Guardians", "p53 and its keeper.", (SideSpec("guards", ("TP53", "MDM2")),))
    return save_builtin_cast(resolve_builtin(spec))[0]


@pytest.fixture
def owner():
    return make_user("owner")


def users_cast(owner, **fields):
    values = dict(title="Mine", description="", public=False, sides=[SideSpec("guards", ("TP53",))])
    values.update(fields)
    return create_cast(owner, **values)


BODY = {"title": "Keeper", "description": "MDM2 holds p53 down.", "public": True,
        "sides": [{"name": "guard", "genes": ["p53"]}, {"name": "signals", "genes": ["wnt1..WNT2"]}]}  # fmt: skip


def test_lists_builtin_public_and_own_casts(api_client, builtin, owner, genes):
    mine = users_cast(owner)
    shared = users_cast(make_user(), title="Shared", public=True)
    users_cast(make_user(), title="Private")
    listed = api_client.get("/api/casts/").json()
    assert [cast["slug"] for cast in listed] == [builtin.slug, shared.slug]
    first = listed[0]
    assert first == {
        "slug": "guardians",
        "title": "Guardians",
        "description": "p53 and its keeper.",
        "builtin": True,
        "public": True,
        "owner": None,
        "gene_count": 2,
        "page_url": "http://testserver/casts/guardians/",
    }
    assert mine.slug in [cast["slug"] for cast in client_for(owner).get("/api/casts/").json()]


def test_a_cast_has_its_sides_with_symbols_and_colours(api_client, builtin):
    body = api_client.get("/api/casts/guardians/").json()
    assert body["sides"][0]["name"] == "guards"
    tp53, mdm2 = body["sides"][0]["genes"]
    assert tp53 == {
        "symbol": "TP53",
        "name": "TP53 protein",
        "color_hex": "#aa3311",
        "text_color_hex": "#ffffff",
        "color_name": "brick",
        "faction": "none",
    }
    assert mdm2["symbol"] == "MDM2" and mdm2["faction"] == "pro-growth"
    assert api_client.get("/api/casts/nothing-here/").status_code == 404


def test_compose_with_a_token(owner, genes):
    response = client_for(owner, token=True).post("/api/casts/", BODY, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["owner"] == "owner" and body["gene_count"] == 3 and not body["builtin"]
    assert [[gene["symbol"] for gene in side["genes"]] for side in body["sides"]] == [["TP53"], ["WNT1", "WNT2B"]]
    assert Cast.objects.get(slug=body["slug"]).owner == owner


def test_unknown_names_are_a_400_naming_each(owner, genes):
    body = {**BODY, "sides": [{"name": "resist", "genes": ["TP53", "FOO"]}, {"name": "b", "genes": ["BAR"]}]}
    response = client_for(owner).post("/api/casts/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "sides": ["No gene is called FOO (in side 'resist').", "No gene is called BAR (in side 'b')."]
    }
    assert not Cast.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "title": ""}, "title"),
        ({**BODY, "sides": []}, "sides"),
        ({**BODY, "sides": "guard: TP53"}, "sides"),
        ({**BODY, "sides": [{"name": "x", "genes": []}]}, "sides"),
        ({**BODY, "sides": [{"name": f"s{n}", "genes": ["TP53"]} for n in range(MAX_SIDES + 1)]}, "sides"),
        ({**BODY, "public": "sometimes"}, "public"),
        ({"sides": BODY["sides"]}, "title"),
    ],
)
def test_invalid_input_is_a_400_by_field(owner, genes, body, field):
    response = client_for(owner).post("/api/casts/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Cast.objects.exists()


def test_a_sides_problem_names_the_side_in_one_list_of_messages(owner, genes):
    body = {**BODY, "sides": [{"name": "ok", "genes": ["TP53", "X" * 65]}, {"genes": []}]}
    response = client_for(owner).post("/api/casts/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "sides": [
            "side 1: genes: gene 2: Ensure this field has no more than 64 characters.",
            "side 2: name: This field is required.",
            "side 2: genes: This list may not be empty.",
        ]
    }


def test_malformed_json_is_a_400(owner, genes):
    response = client_for(owner).post("/api/casts/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_guests_cannot_compose(api_client, genes):
    response = api_client.post("/api/casts/", BODY, format="json")
    assert response.status_code == 401 and not Cast.objects.exists()


def test_a_session_write_needs_its_csrf_token(owner, genes):
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(owner)
    response = session.post("/api/casts/", BODY, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Cast.objects.exists()


def test_the_owner_patches_and_puts(owner, genes):
    cast = users_cast(owner)
    client = client_for(owner, token=True)
    response = client.patch(f"/api/casts/{cast.slug}/", {"title": "Renamed"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Renamed"
    assert response.json()["sides"][0]["genes"][0]["symbol"] == "TP53"  # sides not given: kept
    response = client.put(f"/api/casts/{cast.slug}/", BODY, format="json")
    assert response.status_code == 200
    cast.refresh_from_db()
    assert (cast.title, cast.public, cast.slug) == ("Keeper", True, response.json()["slug"])
    assert [side.name for side in cast.sides.all()] == ["guard", "signals"]


def test_a_bad_patch_changes_nothing(owner, genes):
    cast = users_cast(owner)
    response = client_for(owner).patch(
        f"/api/casts/{cast.slug}/", {"title": "New", "sides": [{"name": "x", "genes": ["NOPE"]}]}, format="json"
    )
    assert response.status_code == 400 and response.json()["sides"] == ["No gene is called NOPE (in side 'x')."]
    cast.refresh_from_db()
    assert cast.title == "Mine" and cast.sides.get().members.get().gene.symbol == "TP53"


def test_only_the_owner_edits(owner, builtin, genes):
    cast = users_cast(owner)
    other = client_for(make_user())
    assert other.patch(f"/api/casts/{cast.slug}/", {"title": "Taken"}, format="json").status_code == 403
    assert other.put(f"/api/casts/{cast.slug}/", BODY, format="json").status_code == 403
    assert client_for(owner).patch("/api/casts/guardians/", {"title": "Mine"}, format="json").status_code == 403
    assert APIClient().patch(f"/api/casts/{cast.slug}/", {"title": "Guest"}, format="json").status_code == 401
    cast.refresh_from_db()
    builtin.refresh_from_db()
    assert cast.title == "Mine" and builtin.title == "Guardians"


def test_writes_are_rate_limited(owner, genes, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "cast": (1, 3600)}
    client = client_for(owner)
    assert client.post("/api/casts/", BODY, format="json").status_code == 201
    response = client.post("/api/casts/", BODY, format="json")
    assert response.status_code == 429 and "Retry-After" in response
    assert Cast.objects.count() == 1


def test_the_endpoints_are_in_the_schema():
    paths = Client().get("/api/schema/?format=json").json()["paths"]
    assert set(paths["/api/casts/"]) >= {"get", "post"}
    assert set(paths["/api/casts/{slug}/"]) >= {"get", "put", "patch"}
    created = paths["/api/casts/"]["post"]["responses"]
    assert {"201", "400", "401", "429"} <= set(created)
    assert "403" in paths["/api/casts/{slug}/"]["patch"]["responses"]
