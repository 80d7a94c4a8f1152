"""Sign-up, sign-in and sign-out pages (session auth for the site)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import include, path

from backend.accounts.models import Discovery
from backend.iconoplasm.urls import urlpatterns as site_urlpatterns

from .factories import PASSWORD, make_gene, make_user

# The site's URLs, with the account pages mounted at /accounts/ if urls.py does not mount them yet.
urlpatterns = list(site_urlpatterns)
if not any(getattr(p, "namespace", None) == "accounts" for p in urlpatterns):
    urlpatterns.append(path("accounts/", include("backend.accounts.urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_signup_page_renders_a_form(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_signup_creates_account_signs_in_and_grants_starters(client, settings):
    settings.ICONOPLASM_STARTER_GENES = ["TP53", "INS", "HBB"]
    make_gene("TP53")
    response = client.post("/accounts/signup/", {"username": "ada", "password": PASSWORD, "email": ""})
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL
    user = get_user_model().objects.get(username="ada")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(Discovery.objects.filter(user=user).values_list("gene__symbol", flat=True)) == ["TP53"]


def test_signup_errors_are_shown_escaped(client):
    make_user("ada")
    response = client.post("/accounts/signup/", {"username": "ada", "password": "short"})
    assert response.status_code == 400
    assert b"already exists" in response.content
    assert b"too short" in response.content
    response = client.post("/accounts/signup/", {"username": "<script>x</script>", "password": PASSWORD})
    assert response.status_code == 400
    assert b"<script>x</script>" not in response.content
    assert b"&lt;script&gt;" in response.content
    assert get_user_model().objects.count() == 1


def test_signup_is_rate_limited(client, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "register": (1, 3600)}
    client.post("/accounts/signup/", {"username": "u1", "password": PASSWORD})
    client.logout()
    response = client.post("/accounts/signup/", {"username": "u2", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert not get_user_model().objects.filter(username="u2").exists()


def test_login_and_logout(client):
    user = make_user("ada", PASSWORD)
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    bad = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    assert bad.status_code == 200 and "_auth_user_id" not in client.session
    good = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert good.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_next_is_escaped(client):
    response = client.get('/accounts/login/?next=/"><script>alert(1)</script>')
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
