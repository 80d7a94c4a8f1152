"""Password guessing is limited: failed sign-ins per username and per address, refused before any hashing."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from rest_framework.test import APIClient

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
LOGIN_URL = "/accounts/login/"


class CountingHasher(MD5PasswordHasher):
    """The quick test hasher, counting every hash it computes."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


@pytest.fixture
def bob(db):
    return make_user("bob")


def token(username, password, addr="10.0.0.1"):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=addr)


def sign_in(client, username, password, addr="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_token_guessing_is_refused_after_ten_failures_per_username_before_hashing(user, bob, hashes):
    for attempt in range(10):
        assert token("ada", f"guess-{attempt}", addr=f"10.1.0.{attempt}").status_code in (400, 401)
    hashed = hashes.calls
    refused = token("ada", PASSWORD, addr="10.2.0.1")  # even the right password, from a new address
    assert refused.status_code == 429
    assert 890 <= int(refused["Retry-After"]) <= 900
    assert "too many failed sign-ins" in refused.json()["detail"]
    assert hashes.calls == hashed  # refused before the password hash
    assert token("bob", PASSWORD, addr="10.2.0.1").status_code == 200  # others sign in as usual


def test_usernames_count_case_insensitively(user):
    for attempt in range(10):
        name = "ADA" if attempt % 2 else " Ada"
        token(name, f"guess-{attempt}", addr=f"10.1.0.{attempt}")
    assert token("ada", PASSWORD, addr="10.2.0.1").status_code == 429


def test_an_address_is_refused_after_thirty_failures_whatever_the_usernames(user, bob):
    for attempt in range(30):
        assert token(f"someone{attempt}", "guess", addr="10.9.9.9").status_code in (400, 401)
    assert token("bob", PASSWORD, addr="10.9.9.9").status_code == 429
    assert token("bob", PASSWORD, addr="10.9.9.10").status_code == 200


def test_good_passwords_do_not_count(user):
    for _ in range(15):
        assert token("ada", PASSWORD).status_code == 200
    for attempt in range(9):
        token("ada", f"guess-{attempt}")
    assert token("ada", PASSWORD).status_code == 200


def test_the_sign_in_page_shows_the_form_again_with_429_after_ten_failures(client, user, bob, hashes):
    for attempt in range(10):
        failed = sign_in(client, "ada", f"guess-{attempt}", addr=f"10.1.0.{attempt}")
        assert failed.status_code == 200 and "Please enter a correct username and password" in failed.text
    hashed = hashes.calls
    refused = sign_in(client, "ada", PASSWORD, addr="10.2.0.1")
    assert refused.status_code == 429
    assert 890 <= int(refused["Retry-After"]) <= 900
    assert "Too many failed sign-ins" in refused.text and "about 15 minutes" in refused.text
    assert 'name="username"' in refused.text and 'value="ada"' in refused.text  # the form, name kept
    assert hashes.calls == hashed
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "bob", PASSWORD, addr="10.2.0.1").status_code == 302


def test_the_sign_in_page_and_the_token_share_the_limits(client, user):
    for attempt in range(5):
        sign_in(client, "ada", f"guess-{attempt}")
        token("ada", f"other-guess-{attempt}")
    assert token("ada", PASSWORD).status_code == 429
    assert sign_in(client, "ada", PASSWORD).status_code == 429
