"""Bring your own key: storing the provider key (encrypted, shown only as a fingerprint)."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from rest_framework.test import APIClient

from backend.studio import keys
from backend.studio.models import ProviderKey

from .factories import API_KEY, client_for, database_text, make_user


@pytest.mark.django_db
def test_put_stores_the_key_encrypted_and_get_shows_only_the_fingerprint():
    user = make_user()
    client = client_for(user)
    put = client.put(
        "/api/me/provider-key/", {"provider": "openai", "api_key": API_KEY, "model": "gpt-image-1"}, format="json"
    )
    assert put.status_code == 200, put.content
    assert set(put.json()) == {"provider", "model", "fingerprint", "updated_at"}
    assert put.json()["fingerprint"].startswith("sk-…1a2b · ")
    got = client.get("/api/me/provider-key/")
    assert got.json()["provider"] == "openai" and got.json()["model"] == "gpt-image-1"
    assert got.json()["fingerprint"] == put.json()["fingerprint"]
    for response in (put, got):
        assert API_KEY not in response.content.decode() and "Zq8v3LmN" not in response.content.decode()
    stored = ProviderKey.objects.get(user=user)
    assert API_KEY not in database_text()
    assert keys.provider_key_plain(stored) == API_KEY


@pytest.mark.django_db
def test_replacing_and_deleting_the_key():
    client = client_for(make_user())
    client.put("/api/me/provider-key/", {"provider": "openai", "api_key": API_KEY}, format="json")
    assert client.get("/api/me/provider-key/").json()["model"] == "dall-e-3"  # the default model
    client.put("/api/me/provider-key/", {"provider": "openai", "api_key": "sk-other-key-000000009z9z"}, format="json")
    assert ProviderKey.objects.count() == 1
    assert client.get("/api/me/provider-key/").json()["fingerprint"].startswith("sk-…9z9z")
    assert client.delete("/api/me/provider-key/").status_code == 204
    missing = client.get("/api/me/provider-key/")
    assert missing.status_code == 404 and missing.json()["detail"] == "no provider key stored"
    assert client.delete("/api/me/provider-key/").status_code == 204


@pytest.mark.django_db
def test_bad_input_is_400_and_never_echoes_the_key():
    client = client_for(make_user())
    bad_provider = client.put("/api/me/provider-key/", {"provider": "acme", "api_key": API_KEY}, format="json")
    assert bad_provider.status_code == 400 and "provider" in bad_provider.json()
    assert API_KEY not in bad_provider.content.decode()
    assert (
        client.put("/api/me/provider-key/", {"provider": "openai", "api_key": "short"}, format="json").status_code
        == 400
    )
    assert ProviderKey.objects.count() == 0


@pytest.mark.django_db
def test_guests_have_no_key_endpoint():
    assert APIClient().get("/api/me/provider-key/").status_code in (401, 403)
    assert APIClient().put(
        "/api/me/provider-key/", {"provider": "openai", "api_key": API_KEY}, format="json"
    ).status_code in (401, 403)


def test_encryption_uses_the_configured_key(settings):
    settings.ICONOPLASM_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = keys.encrypt_key(API_KEY)
    assert API_KEY not in token and keys.decrypt_key(token) == API_KEY
    settings.ICONOPLASM_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(keys.KeyUnreadableError):
        keys.decrypt_key(token)


def test_fingerprint_shape():
    assert keys.fingerprint(API_KEY) == f"sk-…1a2b · {__import__('hashlib').sha256(API_KEY.encode()).hexdigest()[:8]}"
    assert keys.fingerprint("shortkey12").startswith("…12 · ")
