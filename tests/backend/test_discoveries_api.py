"""Discovery endpoints: the personal archive, merging guest discoveries, the public view."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import Discovery, Preferences

from .factories import client_for, make_gene, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    """Signed in as ``user`` (ada, from conftest.py)."""
    return client_for(user)


def test_my_discoveries_needs_sign_in():
    anonymous = APIClient()
    assert anonymous.get("/api/me/discoveries/").status_code in (401, 403)
    assert anonymous.post("/api/me/discoveries/", {"symbols": ["TP53"]}, format="json").status_code in (401, 403)


def test_my_discoveries_lists_genes_with_count_out_of_total(api, user):
    make_gene("TP53", name="tumor protein p53", color_hex="#aa0000", text_color_hex="#ffffff")
    make_gene("INS")
    make_gene("HBB")
    api.post("/api/me/discoveries/", {"symbols": ["TP53"]}, format="json")
    body = api.get("/api/me/discoveries/").json()
    assert body["count"] == 1 and body["total"] == 3
    (gene,) = body["genes"]
    assert set(gene) == {"symbol", "name", "color_hex", "text_color_hex", "discovered_at"}
    assert (gene["symbol"], gene["name"], gene["color_hex"], gene["text_color_hex"]) == (
        "TP53",
        "tumor protein p53",
        "#aa0000",
        "#ffffff",
    )


def test_merge_guest_discoveries_after_sign_in(api, user, settings):
    settings.ICONOPLASM_STARTER_GENES = ["TP53", "INS", "HBB"]
    for symbol in ("TP53", "INS", "HBB", "KRAS", "EGFR"):
        make_gene(symbol, aliases=["ERBB"] if symbol == "EGFR" else [])
    from backend.accounts.services import grant_starter_genes

    grant_starter_genes(user)
    response = api.post("/api/me/discoveries/", {"symbols": ["KRAS", "ERBB", "TP53", "NOTAGENE"]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["added"] == ["EGFR", "KRAS"]
    assert body["already"] == ["TP53"]
    assert body["unknown"] == ["NOTAGENE"]
    assert (body["count"], body["total"]) == (5, 5)
    # Sending the same guest list again changes nothing.
    again = api.post("/api/me/discoveries/", {"symbols": ["KRAS", "ERBB", "TP53", "NOTAGENE"]}, format="json").json()
    assert again["added"] == [] and again["count"] == 5
    assert Discovery.objects.filter(user=user).count() == 5


@pytest.mark.parametrize(
    "payload",
    [{}, {"symbols": "TP53"}, {"symbols": [["TP53"]]}, {"symbols": ["X" * 65]}, {"symbols": ["A"] * 501}],
)
def test_bad_discovery_payloads_are_400(api, payload):
    response = api.post("/api/me/discoveries/", payload, format="json")
    assert response.status_code == 400
    assert "symbols" in response.json()
    assert not Discovery.objects.exists()


def test_500_symbols_are_accepted(api):
    make_gene("TP53")
    response = api.post("/api/me/discoveries/", {"symbols": ["TP53"] + [f"NOPE{i}" for i in range(499)]}, format="json")
    assert response.status_code == 200
    assert response.json()["added"] == ["TP53"] and len(response.json()["unknown"]) == 499


def test_discovery_posts_are_rate_limited(api, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "discovery": (2, 60)}
    for _ in range(2):
        assert api.post("/api/me/discoveries/", {"symbols": []}, format="json").status_code == 200
    response = api.post("/api/me/discoveries/", {"symbols": []}, format="json")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert api.get("/api/me/discoveries/").status_code == 200  # reading is not limited


def test_public_discoveries(user):
    tp53, ins = make_gene("TP53", color_hex="#aa0000"), make_gene("INS", color_hex="#00aa00")
    bo = make_user("bo")
    for sharer in (user, bo):
        Preferences.set_for(sharer, share_discoveries=True)
    Discovery.objects.create(user=bo, gene=tp53)
    Discovery.objects.create(user=bo, gene=ins)
    Discovery.objects.create(user=user, gene=ins)
    Discovery.objects.create(user=user, gene=tp53, starter=True)
    response = APIClient().get("/api/discoveries/")
    assert response.status_code == 200
    body = response.json()
    assert [(r["username"], r["symbol"]) for r in body["recent"]] == [("ada", "INS"), ("bo", "INS"), ("bo", "TP53")]
    assert set(body["recent"][0]) == {"username", "symbol", "color_hex", "discovered_at"}
    assert body["recent"][0]["color_hex"] == "#00aa00"
    assert [(g["symbol"], g["discoverers"]) for g in body["top_genes"]] == [("INS", 2), ("TP53", 1)]
    # A signed-in viewer sees other users' discoveries only.
    client = client_for(user)
    assert {r["username"] for r in client.get("/api/discoveries/").json()["recent"]} == {"bo"}


def test_public_discoveries_are_capped(user):
    genes = [make_gene(f"G{i:03d}") for i in range(60)]
    Preferences.set_for(user, share_discoveries=True)
    Discovery.objects.bulk_create([Discovery(user=user, gene=g) for g in genes])
    body = APIClient().get("/api/discoveries/").json()
    assert len(body["recent"]) == 50
    assert len(body["top_genes"]) == 20


def test_discoveries_are_private_until_shared(user):
    """Issue 12, defect 9: a user who never chose is not listed; sharing lists them, unsharing removes them."""
    tp53, ins = make_gene("TP53"), make_gene("INS")
    bo = make_user("bo")
    Discovery.objects.create(user=bo, gene=tp53)
    Discovery.objects.create(user=user, gene=ins)
    body = APIClient().get("/api/discoveries/").json()
    assert body == {"recent": [], "top_genes": []}
    Preferences.set_for(bo, share_discoveries=True)
    body = APIClient().get("/api/discoveries/").json()
    assert [(r["username"], r["symbol"]) for r in body["recent"]] == [("bo", "TP53")]
    assert [(g["symbol"], g["discoverers"]) for g in body["top_genes"]] == [("TP53", 1)]
    Preferences.set_for(bo, share_discoveries=False)
    assert APIClient().get("/api/discoveries/").json() == {"recent": [], "top_genes": []}


def test_top_genes_count_only_sharing_users(user):
    tp53 = make_gene("TP53")
    bo, cy = make_user("bo"), make_user("cy")
    for finder in (user, bo, cy):
        Discovery.objects.create(user=finder, gene=tp53)
    Preferences.set_for(bo, share_discoveries=True)
    Preferences.set_for(cy, share_discoveries=False)
    body = APIClient().get("/api/discoveries/").json()
    assert [(g["symbol"], g["discoverers"]) for g in body["top_genes"]] == [("TP53", 1)]


def test_preferences_api(api, user):
    assert APIClient().get("/api/me/preferences/").status_code in (401, 403)
    assert APIClient().put("/api/me/preferences/", {"share_discoveries": True}, format="json").status_code in (401, 403)
    assert api.get("/api/me/preferences/").json() == {"share_discoveries": False}
    assert not Preferences.objects.filter(user=user).exists()  # reading stores nothing
    response = api.put("/api/me/preferences/", {"share_discoveries": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {"share_discoveries": True}
    assert api.get("/api/me/preferences/").json() == {"share_discoveries": True}
    assert api.put("/api/me/preferences/", {}, format="json").status_code == 400
    assert api.put("/api/me/preferences/", {"share_discoveries": "maybe"}, format="json").status_code == 400
    assert api.put("/api/me/preferences/", {"share_discoveries": False}, format="json").json() == {
        "share_discoveries": False
    }


def test_preferences_are_in_the_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/me/preferences/" in schema
    assert "share_discoveries" in schema
