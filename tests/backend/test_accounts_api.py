"""Accounts API: registration, tokens, starter genes, rate limits."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from backend.accounts.models import Discovery

from .factories import PASSWORD, make_gene, make_user

pytestmark = pytest.mark.django_db


def test_register_creates_account_with_token_and_starter_genes(api_client, settings):
    settings.ICONOPLASM_STARTER_GENES = ["TP53", "INS", "HBB"]
    for symbol in ("TP53", "INS", "HBB", "BRCA1"):
        make_gene(symbol)
    response = api_client.post(
        "/api/auth/register/", {"username": "ada", "password": PASSWORD, "email": "ada@example.org"}, format="json"
    )
    assert response.status_code == 201, response.content
    user = get_user_model().objects.get(username="ada")
    assert user.email == "ada@example.org"
    assert user.check_password(PASSWORD)
    assert response.json() == {"username": "ada", "token": Token.objects.get(user=user).key}
    assert sorted(Discovery.objects.filter(user=user).values_list("gene__symbol", flat=True)) == ["HBB", "INS", "TP53"]
    assert all(Discovery.objects.filter(user=user).values_list("starter", flat=True))


def test_register_skips_starter_genes_missing_from_the_database(api_client, settings):
    settings.ICONOPLASM_STARTER_GENES = ["TP53", "INS", "HBB"]
    make_gene("INS")
    assert (
        api_client.post("/api/auth/register/", {"username": "ada", "password": PASSWORD}, format="json").status_code
        == 201
    )
    assert list(Discovery.objects.values_list("gene__symbol", flat=True)) == ["INS"]


def test_register_email_is_optional(api_client):
    response = api_client.post("/api/auth/register/", {"username": "bo", "password": PASSWORD}, format="json")
    assert response.status_code == 201
    assert get_user_model().objects.get(username="bo").email == ""


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "ada"}, "password"),
        ({"username": "ada", "password": "short"}, "password"),
        ({"username": "ada", "password": "password123"}, "password"),  # common
        ({"username": "ada", "password": PASSWORD, "email": "not-an-email"}, "email"),
        ({"username": "bad name!", "password": PASSWORD}, "username"),
        ({"username": "x" * 151, "password": PASSWORD}, "username"),
    ],
)
def test_register_validation_errors_are_400_with_messages(api_client, payload, field):
    response = api_client.post("/api/auth/register/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body and body[field] and all(isinstance(m, str) and m for m in body[field])
    assert not get_user_model().objects.exists()


def test_register_rejects_taken_username_case_insensitively(api_client):
    make_user("Ada")
    response = api_client.post("/api/auth/register/", {"username": "ada", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "already exists" in response.json()["username"][0]
    assert get_user_model().objects.count() == 1


def test_register_is_rate_limited(api_client, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "register": (2, 3600)}
    for i in range(2):
        assert (
            api_client.post(
                "/api/auth/register/", {"username": f"u{i}", "password": PASSWORD}, format="json"
            ).status_code
            == 201
        )
    response = api_client.post("/api/auth/register/", {"username": "u9", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "detail" in response.json()
    assert not get_user_model().objects.filter(username="u9").exists()


def test_token_for_good_credentials_is_stable(api_client):
    user = make_user("ada", PASSWORD)
    first = api_client.post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json")
    assert first.status_code == 200
    assert first.json() == {"token": Token.objects.get(user=user).key}
    assert (
        api_client.post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json").json()
        == first.json()
    )


@pytest.mark.parametrize("username, password", [("ada", "wrong-password"), ("nobody", PASSWORD)])
def test_token_bad_credentials_are_400_with_a_clear_message(api_client, username, password):
    make_user("ada", PASSWORD)
    response = api_client.post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "username or password is incorrect"}
    assert not Token.objects.exists()


def test_token_inactive_user_gets_no_token(api_client):
    make_user("ada", PASSWORD, is_active=False)
    assert (
        api_client.post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json").status_code == 400
    )


def test_token_missing_fields_are_400(api_client):
    response = api_client.post("/api/auth/token/", {"username": "ada"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_token_authenticates_api_calls(api_client):
    make_user("ada", PASSWORD)
    token = api_client.post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json").json()[
        "token"
    ]
    assert api_client.get("/api/me/discoveries/").status_code in (401, 403)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/discoveries/").status_code == 200
