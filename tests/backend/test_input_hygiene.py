"""Hostile input is a 4xx, never a 500 (issue 12, defect 3): NUL bytes, deep JSON, odd digits, huge bodies.

The NUL cases matter on PostgreSQL, which refuses a NUL in a text parameter (a 500 before the
fix); on SQLite they were harmless, so the same tests pin the answer on both databases.
"""

from __future__ import annotations

import pytest
from django.test import Client

from backend.portraits import canonical

from .factories import client_for, make_emulsion, make_gene, make_portrait, make_user


@pytest.fixture
def world(db):
    gene = make_gene("TP53", aliases=["P53"])
    make_emulsion("E0001")
    first = make_portrait(gene)
    canonical.ensure_canonical(gene)
    return {"gene": gene, "first": first, "user": make_user("nul-tester", is_staff=True, is_superuser=True)}


def signed_in_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# Every route that takes a name in its path or a text query; each looked a gene (or user) up with it.
NUL_GETS = [
    "/api/genes/%00/",
    "/api/genes/TP%0053/",
    "/api/genes/%00/candidates/",
    "/genes/%00/",
    "/genes/%00/print.png",
    "/search/?q=%00",
    "/search/?q=TP53%00",
    "/admin/portraits/portrait/?q=%00",
    "/admin/auth/user/?q=%00",
    "/accounts/login/?next=%00",
    "/?page=%00",
    "/stats/plots/%00.png",
    "/api/lexicon/%00.json",
    "/api/discoveries/?user=%00",
    "/api/genes/TP53/?x%00=1",
]

NUL_POSTS = [
    "/api/genes/%00/requests/",
    "/api/genes/%00/byok-generate/",
    "/genes/%00/request/",
]


@pytest.mark.parametrize("url", NUL_GETS)
def test_a_nul_byte_in_the_path_or_query_is_a_client_error(world, url):
    response = signed_in_client(world["user"]).get(url)
    assert response.status_code in (400, 404), response.content[:300]
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


@pytest.mark.parametrize("url", NUL_POSTS)
def test_a_nul_byte_in_a_write_path_is_a_client_error(world, url):
    response = signed_in_client(world["user"]).post(url, {"emulsion_id": "E0001"})
    assert response.status_code in (400, 404), response.content[:300]


def test_a_nul_byte_is_answered_before_any_view_runs(world):
    response = Client().get("/api/genes/TP53%00/")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    page = Client().get("/search/?q=%00")
    assert page.status_code == 400 and not page["Content-Type"].startswith("application/json")


def test_a_percent_sign_that_is_not_a_nul_still_works(world):
    assert Client().get("/search/?q=%2500").status_code == 404  # the text "%00": no such gene, an ordinary 404
    assert Client().get("/api/genes/TP53/").status_code == 200


@pytest.mark.parametrize("url", ["/api/genes/batch/", "/api/auth/token/", "/api/auth/register/", "/api/artist-optout/"])
def test_nul_bytes_inside_json_bodies_are_validation_errors(world, url):
    body = {"symbols": ["TP53\x00"], "username": "a\x00", "password": "x\x00", "name": "\x00", "contact": "\x00"}
    response = Client(raise_request_exception=False).post(url, body, content_type="application/json")
    assert response.status_code in (400, 401, 403), response.content[:300]


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_json_is_a_400_json_error(world, depth):
    body = "[" * depth + "]" * depth
    client = client_for(world["user"])
    for url in ("/api/genes/batch/", f"/api/portraits/{world['first'].pk}/vote/", "/api/me/discoveries/"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert "nested" in response.json()["detail"]


def test_moderately_nested_json_is_still_parsed(world):
    response = Client().post("/api/genes/batch/", {"symbols": [["TP53"]]}, content_type="application/json")
    assert response.status_code == 400 and "symbols" in response.json()


@pytest.mark.parametrize("value", ["²", "\u0661", "\u0663", "\U0001d7d9", "-1", "1.0", " 1", "99999999999999999999999"])
def test_a_print_copy_of_a_portrait_that_is_not_an_ascii_number_is_a_404(world, value):
    response = Client(raise_request_exception=False).get("/genes/TP53/print.png", {"portrait": value})
    assert response.status_code == 404


def test_the_print_copy_of_a_candidate_by_number_still_works(world):
    response = Client().get("/genes/TP53/print.png", {"portrait": str(world["first"].pk)})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


@pytest.mark.parametrize("url", ["/api/portraits/99999999999999999999/vote/", "/portraits/99999999999999999999/vote/"])
def test_an_id_beyond_the_database_range_is_a_404(world, url):
    response = signed_in_client(world["user"]).post(url, {"value": 1}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/artist-optout/", "/genes/TP53/request/", "/accounts/settings/"]
)
def test_nul_bytes_inside_page_forms_are_validation_errors(world, url):
    form = {"username": "ada\x00", "password": "x\x00", "password1": "x\x00", "password2": "x\x00"}
    form.update(name="\x00", contact="\x00", emulsion_id="E0001\x00", provider="openai", api_key="sk-\x00")
    response = signed_in_client(world["user"]).post(url, form)
    assert response.status_code < 500, response.content[:300]
    assert Client(raise_request_exception=False).post(url, form).status_code < 500
