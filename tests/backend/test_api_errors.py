"""API hygiene (issue 12, defect 8): every /api/ error is JSON, 401 with WWW-Authenticate, the emulsions list,
and error responses in the schema."""

from __future__ import annotations

import json

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from backend.common.errors import INVALID_INPUT_SCHEMA
from backend.portraits import canonical

from .factories import SECRET_ARTIST, client_for, make_emulsion, make_gene, make_portrait, make_user


@pytest.fixture
def world(db):
    gene = make_gene("TP53")
    public = make_emulsion("E0001", name="Risograph Field Guide", artists=SECRET_ARTIST)
    make_emulsion("E0002", name="Withdrawn Style", artists=SECRET_ARTIST, blocked=True)
    make_emulsion("E0003", name="Cyanotype Plate", artists=SECRET_ARTIST)
    first = make_portrait(gene, emulsion=public)
    canonical.ensure_canonical(gene)
    return {"gene": gene, "first": first, "user": make_user("ada")}


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body.get("detail"), str) and body["detail"]
    return body


# ---------------------------------------------------------------- JSON errors under /api/


@pytest.mark.parametrize("url", ["/api/", "/api/nope/", "/api/genes/TP53/nope/", "/api/portraits/abc/vote/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_api_paths_are_json_404s(world, url, method):
    body = assert_json_error(getattr(Client(), method)(url), 404)
    assert url in body["detail"] and "/api/schema/" in body["detail"]


def test_unknown_api_paths_are_json_also_in_debug(world, settings):
    settings.DEBUG = True
    assert_json_error(Client().get("/api/nope/"), 404)


def test_unknown_page_paths_stay_html(world):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


def test_a_missing_slash_still_redirects(world):
    response = Client().get("/api/genes/TP53")
    assert response.status_code == 301 and response["Location"] == "/api/genes/TP53/"


@pytest.mark.parametrize(("method", "url"), [("delete", "/api/genes/TP53/"), ("get", "/api/auth/token/")])
def test_a_wrong_method_is_a_json_405_with_allow(world, method, url):
    response = getattr(Client(), method)(url)
    assert_json_error(response, 405)
    assert response["Allow"]


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_json_body_over_the_upload_limit_is_a_json_413(world, small_limit):
    body = json.dumps({"symbols": ["TP53"] * 1_000})
    response = Client().post("/api/genes/batch/", body, content_type="application/json")
    assert "2000 bytes" in assert_json_error(response, 413)["detail"]
    small = Client().post("/api/genes/batch/", {"symbols": ["TP53"]}, content_type="application/json")
    assert small.status_code == 200


def test_a_multipart_field_over_the_upload_limit_is_a_json_413(world, small_limit):
    response = Client().post("/api/auth/register/", {"username": "x" * 5_000, "password": "y"})
    assert_json_error(response, 413)


def test_a_page_form_over_the_upload_limit_is_a_413_page(world, small_limit):
    response = Client().post(
        "/accounts/login/", "username=" + "x" * 5_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413 and not response["Content-Type"].startswith("application/json")
    multipart = Client().post("/accounts/login/", {"username": "x" * 5_000, "password": "y"})
    assert multipart.status_code == 413


def test_django_400_handler_answers_json_under_the_api(world, small_limit, rf):
    from django.core.exceptions import RequestDataTooBig, SuspiciousOperation

    from backend.common.errors import bad_request

    assert bad_request(rf.post("/api/genes/batch/"), RequestDataTooBig()).status_code == 413
    assert bad_request(rf.post("/accounts/login/"), RequestDataTooBig()).status_code == 413
    assert_json_error(bad_request(rf.get("/api/genes/TP53/"), SuspiciousOperation()), 400)
    assert bad_request(rf.get("/genes/TP53/"), SuspiciousOperation()).status_code == 400


# ---------------------------------------------------------------- 401 with WWW-Authenticate


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/portraits/{pk}/vote/"),
        ("post", "/api/portraits/{pk}/transfer/"),
        ("get", "/api/me/discoveries/"),
        ("post", "/api/me/discoveries/"),
        ("get", "/api/me/provider-key/"),
        ("get", "/api/requests/"),
        ("post", "/api/genes/TP53/requests/"),
    ],
)
def test_unauthenticated_calls_are_401_with_www_authenticate(world, method, url):
    url = url.format(pk=world["first"].pk)
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    refused = getattr(wrong, method)(url, {}, format="json")
    assert_json_error(refused, 401)
    assert refused["WWW-Authenticate"] == "Token"


def test_token_and_session_calls_still_work(world):
    url = f"/api/portraits/{world['first'].pk}/vote/"
    assert client_for(world["user"], token=True).post(url, {"value": 1}, format="json").status_code == 200
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(world["user"])
    assert session.post(url, {"value": 1}, format="json").status_code == 403  # a session write needs its CSRF token
    assert session.get("/api/me/discoveries/").status_code == 200


# ---------------------------------------------------------------- GET /api/emulsions/


def test_emulsions_lists_the_public_emulsions_by_id(world):
    response = Client().get("/api/emulsions/")
    assert response.status_code == 200
    assert response.json() == [
        {"id": "E0001", "name": "Risograph Field Guide"},
        {"id": "E0003", "name": "Cyanotype Plate"},
    ]
    assert SECRET_ARTIST not in response.content.decode() and "artists" not in response.content.decode()


def test_emulsions_is_empty_before_any_are_loaded(db):
    assert Client().get("/api/emulsions/").json() == []


# ---------------------------------------------------------------- the schema


@pytest.fixture
def schema_doc(db):
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_validates_and_lists_the_emulsions(schema_doc):
    validate_schema(schema_doc)  # what `manage.py spectacular --validate` checks
    assert "/api/emulsions/" in schema_doc["paths"]
    assert "get" in schema_doc["paths"]["/api/emulsions/"]


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/portraits/{id}/vote/", "post", {"400", "401", "404", "429"}),
        ("/api/portraits/{id}/transfer/", "post", {"400", "401", "404", "429"}),
        ("/api/genes/{symbol}/requests/", "post", {"400", "401", "404", "429"}),
        ("/api/genes/{symbol}/byok-generate/", "post", {"400", "401", "404", "429"}),
        ("/api/me/discoveries/", "post", {"400", "401", "429"}),
        ("/api/me/provider-key/", "put", {"400", "401"}),
        ("/api/auth/register/", "post", {"400", "429"}),
        ("/api/auth/token/", "post", {"400", "429"}),
        ("/api/artist-optout/", "post", {"400", "429"}),
        ("/api/genes/batch/", "post", {"400", "413"}),
        ("/api/genes/{symbol}/", "get", {"404"}),
        ("/api/genes/{symbol}/candidates/", "get", {"404"}),
        ("/api/requests/", "get", {"401"}),
    ],
)
def test_the_schema_lists_the_error_responses(schema_doc, path, method, codes):
    responses = schema_doc["paths"][path][method]["responses"]
    assert codes <= set(responses), sorted(responses)
    for code in codes:
        body = responses[code]["content"]["application/json"]["schema"]
        # A 400 may also be DRF's field errors (a list of messages per field).
        assert body == (INVALID_INPUT_SCHEMA if code == "400" else {"$ref": "#/components/schemas/Error"})
    assert "Error" in schema_doc["components"]["schemas"]
    assert schema_doc["components"]["schemas"]["Error"]["properties"]["detail"]["type"] == "string"


def test_the_schema_does_not_invent_errors(schema_doc):
    assert "401" not in schema_doc["paths"]["/api/genes/{symbol}/"]["get"]["responses"]
    assert "400" not in schema_doc["paths"]["/api/emulsions/"]["get"]["responses"]
    assert "404" not in schema_doc["paths"]["/api/emulsions/"]["get"]["responses"]


def test_a_browser_still_gets_drf_s_own_answer_for_an_unknown_gene(world):
    response = Client().get("/api/genes/NOPE1/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404 and "unknown gene" in response.content.decode()
