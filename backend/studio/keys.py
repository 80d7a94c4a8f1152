"""Users' provider API keys: encrypted at rest, shown only as a fingerprint.

Keys are encrypted with Fernet under ``settings.ICONOPLASM_KEY_ENCRYPTION_KEY``.
Nothing here logs a key or puts one in an exception message.
"""

from __future__ import annotations

import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import ProviderKey

DEFAULT_MODELS = {ProviderKey.OPENAI: "dall-e-3"}


class KeyUnreadableError(Exception):
    """The stored key cannot be decrypted (the encryption key changed)."""


def _fernet() -> Fernet:
    try:
        return Fernet(settings.ICONOPLASM_KEY_ENCRYPTION_KEY)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "ICONOPLASM_KEY_ENCRYPTION_KEY must be a Fernet key (urlsafe base64 of 32 bytes)"
        ) from exc


def encrypt_key(api_key: str) -> str:
    return _fernet().encrypt(api_key.encode()).decode()


def decrypt_key(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise KeyUnreadableError("the stored provider key cannot be decrypted; store it again") from None


def fingerprint(api_key: str) -> str:
    """``sk-…1a2b · 3f9c1d2e``: the first 3 and last 4 characters and a SHA-256 prefix."""
    digest = hashlib.sha256(api_key.encode()).hexdigest()[:8]
    if len(api_key) >= 16:
        return f"{api_key[:3]}…{api_key[-4:]} · {digest}"
    return f"…{api_key[-2:]} · {digest}"  # a short key: show less of it


# Selectors ------------------------------------------------------------------


def provider_key_get(user) -> ProviderKey | None:
    return ProviderKey.objects.filter(user=user).first()


def provider_key_plain(key: ProviderKey) -> str:
    """The decrypted key, for the one request that sends it to the provider."""
    return decrypt_key(key.encrypted_key)


# Services -------------------------------------------------------------------


def provider_key_set(*, user, provider: str, api_key: str, model: str = "") -> ProviderKey:
    """Store (or replace) the user's provider key, encrypted."""
    api_key = api_key.strip()
    key, _ = ProviderKey.objects.update_or_create(
        user=user,
        defaults={
            "provider": provider,
            "model": model.strip() or DEFAULT_MODELS.get(provider, ""),
            "encrypted_key": encrypt_key(api_key),
            "fingerprint": fingerprint(api_key),
        },
    )
    return key


def provider_key_delete(*, user) -> bool:
    deleted, _ = ProviderKey.objects.filter(user=user).delete()
    return bool(deleted)
