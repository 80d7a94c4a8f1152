"""Bring your own key: generate a gene's portrait through the user's image provider.

The web request only queues the work (:func:`byok_request`, a :class:`GenerationRequest` of kind
``byok``); the render worker draws it (:func:`byok_renderer`, called from
:func:`backend.studio.services.request_process`), so a slow provider never holds a web process.
The worker calls the provider at most once per request: byok requests are never retried.

The provider is called with the OpenAI images API shape: ``POST
settings.ICONOPLASM_IMAGE_API_URL`` with ``Authorization: Bearer <key>`` and
JSON ``{model, prompt, size, response_format: "b64_json"}``; the image is
``data[0].b64_json``. The key is decrypted only in the worker, for that call, and never
logged, stored in plain text, or put into an error message.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings

from backend.genes.models import Gene
from backend.portraits.models import Emulsion
from pipeline.images import NotAnImageError, inspect_image
from pipeline.render.portrait import PortraitJob, Prompt, Renderer

from .keys import KeyUnreadableError, provider_key_get, provider_key_plain
from .models import GenerationRequest

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TIMEOUT_S = 180


class ByokError(Exception):
    """A bring-your-own-key generation that cannot go on; ``status`` is the HTTP status to answer with."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ProviderError(ByokError):
    """The provider refused, failed, or answered with something that is not an image (502)."""

    status = 502


def image_size_for(model: str) -> str:
    """The provider's closest size to the 3:4 portrait shape for this model."""
    name = model.lower()
    if name.startswith("gpt-image"):
        return "1024x1536"
    if name == "dall-e-3":
        return "1024x1792"
    return "1024x1024"


def _redact(text: str, secret: str) -> str:
    return text.replace(secret, "[redacted]") if secret else text


def _provider_message(body: bytes) -> str:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body[:300].decode("utf-8", "replace").strip() or "no message"
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    if isinstance(error, str):
        return error
    return json.dumps(payload)[:300]


def request_image(*, api_key: str, model: str, prompt: str, size: str, url: str | None = None) -> bytes:
    """The image bytes the provider generates for ``prompt``; ProviderError on any failure."""
    body = json.dumps({"model": model, "prompt": prompt, "size": size, "response_format": "b64_json", "n": 1}).encode()
    http = urllib.request.Request(
        url or settings.ICONOPLASM_IMAGE_API_URL,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT_S) as response:
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        message = _redact(_provider_message(exc.read(64 * 1024)), api_key)[:500]
        raise ProviderError(f"the image provider answered {exc.code}: {message}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ProviderError(f"could not reach the image provider: {_redact(str(reason), api_key)[:300]}") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise ProviderError("the image provider's answer is too large")
    try:
        b64 = json.loads(raw)["data"][0]["b64_json"]
        return base64.b64decode(b64, validate=True)
    except (ValueError, KeyError, IndexError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ProviderError("the image provider's answer has no image (expected data[0].b64_json)") from None


def provider_renderer(*, provider: str, model: str, api_key: str) -> Renderer:
    """The user's image provider as a renderer: one call per portrait, the prompt sent as composed.

    The images API takes no negative prompt, so the emulsion's negative words are not sent.
    """

    def draw(jobs: Sequence[PortraitJob], prompts: Sequence[Prompt]) -> list[bytes | Exception]:
        return [_provider_image(api_key=api_key, model=model, prompt=prompt.text) for prompt in prompts]

    return Renderer(name=provider, model=model, draw=draw)


def _provider_image(*, api_key: str, model: str, prompt: str) -> bytes:
    image = request_image(api_key=api_key, model=model, prompt=prompt, size=image_size_for(model))
    try:
        inspect_image(image)
    except NotAnImageError as exc:
        raise ProviderError(f"the image provider returned something that is not an image: {exc}") from None
    return image


NO_KEY = "no provider key stored; PUT /api/me/provider-key/ first"


def byok_request(*, user, gene: Gene, emulsion: Emulsion | None = None) -> GenerationRequest:
    """Queue a portrait of ``gene`` drawn through the user's stored provider key (origin byok).

    ByokError (400) when the user has stored no key. The key is not read here: the render worker
    decrypts it when it draws the request.
    """
    if provider_key_get(user) is None:
        raise ByokError(NO_KEY, status=400)
    return GenerationRequest.objects.create(user=user, gene=gene, emulsion=emulsion, kind=GenerationRequest.BYOK)


def byok_renderer(request: GenerationRequest) -> Renderer:
    """The requesting user's provider as a renderer, with their key decrypted (in the worker only).

    ByokError when the key was deleted or cannot be decrypted since the request was queued.
    """
    key = provider_key_get(request.user)
    if key is None:
        raise ByokError(NO_KEY, status=400)
    try:
        api_key = provider_key_plain(key)
    except KeyUnreadableError as exc:
        raise ByokError(str(exc), status=409) from None
    logger.info(
        "byok generation for %s (request %s) by user %s with %s/%s",
        request.gene.symbol,
        request.pk,
        request.user_id,
        key.provider,
        key.model,
    )
    return provider_renderer(provider=key.provider, model=key.model, api_key=api_key)
