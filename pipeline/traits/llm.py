"""Optional LLM sample writers behind one interface.

The deterministic writer (:mod:`pipeline.traits.text`) is the default and needs
no network.  A user who has an API key may instead let a language model write
the 120–400-word character description from the same traits.  Two HTTP APIs
are supported, using only the standard library (``urllib.request`` + ``json``)
so the pipeline gains no dependency:

* OpenAI-compatible: ``POST {base_url}/chat/completions`` with a bearer token
  (OpenAI, and the many local/hosted servers that speak the same protocol);
* Anthropic: ``POST {base_url}/v1/messages`` with ``x-api-key`` and
  ``anthropic-version`` headers.

Every failure raises :class:`LLMError` with a message that says what to fix: a
missing key names the environment variable, an HTTP error carries the status
and the provider's own message, a malformed reply says what was missing.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from pipeline.traits import text

__all__ = [
    "ANTHROPIC_VERSION",
    "AnthropicWriter",
    "DeterministicWriter",
    "LLMError",
    "OpenAICompatibleWriter",
    "SampleWriter",
    "build_prompt",
    "make_writer",
    "writer_from_env",
]

#: Value of the ``anthropic-version`` header sent to the Messages API.
ANTHROPIC_VERSION = "2023-06-01"

#: Generic key variable, checked before the provider-specific one.
KEY_ENV = "ICONOPLASM_LLM_API_KEY"
_PROVIDER_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
_DEFAULT_BASE = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"}

_SYSTEM = (
    "You write character descriptions for Iconoplasm, where every human protein-coding gene is a "
    "character whose looks encode molecular facts. Write vivid, playful, concrete prose in English, "
    "in the third person, with no headings, lists or preamble."
)


class LLMError(RuntimeError):
    """An LLM writer could not produce a sample (missing key, HTTP error, bad reply)."""


@runtime_checkable
class SampleWriter(Protocol):
    """Anything that turns a gene's traits into a numbered sample text."""

    def write(self, traits: Mapping[str, Any] | Any, version: int = 1) -> str:
        """Return the sample text for ``traits`` at ``version``."""
        ...


class DeterministicWriter:
    """The offline default: :func:`pipeline.traits.text.write_sample`."""

    def write(self, traits: Mapping[str, Any] | Any, version: int = 1) -> str:
        """Deterministic 120–400-word sample (no network)."""
        return text.write_sample(traits, version)


def _fmt_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, str):
        return value
    try:
        items = list(value)
    except TypeError:
        return str(value)
    return ", ".join(str(v) for v in items) or "(none)"


_FACTION_MEANING = {
    "pro-growth": "pro-growth (an oncogene)",
    "pro-control": "pro-control (a tumour suppressor)",
    "turncoat": "turncoat (both oncogene and tumour suppressor)",
    "none": "no faction (no known cancer role)",
}


def build_prompt(traits: Mapping[str, Any] | Any, version: int = 1) -> str:
    """The user prompt: every trait, the gene summary, and what to write.

    ``version`` is mentioned so that a second sample of the same gene is asked
    to differ from the first.
    """
    get = lambda k, d="": text._get(traits, k, d)  # noqa: E731 - tiny local accessor
    symbol = str(get("symbol", "?"))
    age = int(get("age", 0) or 0)
    age_note = " (negative: named after 2020, a newcomer from the future)" if age < 0 else ""
    lines = [
        f"Gene {symbol} ({get('name')}), sample {text.sample_label(symbol, version)}.",
        "Traits (each encodes a molecular fact; all must be visible in the description):",
        f"- sex: {get('sex')} (transmembrane: {bool(get('transmembrane', False))})",
        f"- weight: {float(get('weight_kg', 0) or 0):.1f} kg (1 kDa of protein = 1 kg)",
        f"- age: {age} years{age_note}",
        f"- fashion aesthetics: {_fmt_value(get('aesthetics', []))}",
        f"- Pfam clans: {_fmt_value(get('clan_names', []))}",
        f"- fantastic feature: {get('feature') or '(none)'}",
        f"- family surname: {get('family')} ({get('family_size', 1)} members)",
        f"- skin colour: {get('color_name')} (lightness {_fmt_value(float(get('lightness', 0.5)))}, "
        f"saturation {_fmt_value(float(get('saturation', 0.5)))})",
        f"- faction: {_FACTION_MEANING.get(str(get('faction', 'none')), get('faction'))}",
        f"- what the gene does: {get('summary') or '(no summary recorded)'}",
        "",
        "Write a 120-400 word character description: outfit from the aesthetics, body from sex, "
        "weight and age, the skin colour, the fantastic feature, a signature weapon or prop and a "
        "fighting style that echo what the gene does, the faction, and the temperament.",
    ]
    if version > 1:
        lines.append(f"This is version {version}: vary the details from earlier versions.")
    return "\n".join(lines)


def _post_json(url: str, headers: Mapping[str, str], payload: Mapping[str, Any], timeout: float) -> Any:
    """POST ``payload`` as JSON and return the decoded JSON reply, or raise :class:`LLMError`."""
    data = json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - user-chosen URL
            body = resp.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read().decode("utf-8", "replace")
        raise LLMError(f"{url} answered HTTP {exc.code}: {_provider_message(raw)}") from exc
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LLMError(f"could not reach {url}: {reason}") from exc
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        snippet = body[:200].decode("utf-8", "replace")
        raise LLMError(f"{url} returned malformed JSON: {exc}; body starts {snippet!r}") from exc


def _provider_message(raw: str) -> str:
    """The provider's error message from an error body (both APIs use ``{"error": {"message"}}``)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError:
        return raw.strip()[:300] or "(empty body)"
    err = obj.get("error") if isinstance(obj, dict) else None
    if isinstance(err, dict) and err.get("message"):
        return str(err["message"])
    if isinstance(err, str):
        return err
    return raw.strip()[:300]


def _resolve_key(provider: str, api_key: str | None) -> str:
    """Explicit key, else ``ICONOPLASM_LLM_API_KEY``, else the provider's usual variable."""
    if api_key:
        return api_key
    for var in (KEY_ENV, _PROVIDER_KEY_ENV[provider]):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    raise LLMError(
        f"no API key for the {provider} writer: set {KEY_ENV} or {_PROVIDER_KEY_ENV[provider]}"
    )


class _HTTPWriter:
    """Shared settings of the HTTP writers."""

    provider = ""

    def __init__(self, base_url: str | None = None, model: str = "", api_key: str | None = None,
                 *, timeout: float = 60.0, max_tokens: int = 900, temperature: float = 0.9) -> None:
        if not model:
            raise LLMError(f"the {self.provider} writer needs a model name")
        self.base_url = (base_url or _DEFAULT_BASE[self.provider]).rstrip("/")
        self.model = model
        self.api_key = _resolve_key(self.provider, api_key)
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.temperature = temperature

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(base_url={self.base_url!r}, model={self.model!r})"


class OpenAICompatibleWriter(_HTTPWriter):
    """Chat Completions API: ``POST {base_url}/chat/completions``."""

    provider = "openai"

    def write(self, traits: Mapping[str, Any] | Any, version: int = 1) -> str:
        """Ask the model for the sample; returns the stripped message content."""
        url = f"{self.base_url}/chat/completions"
        payload = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": _SYSTEM},
                {"role": "user", "content": build_prompt(traits, version)},
            ],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }
        reply = _post_json(url, {"authorization": f"Bearer {self.api_key}"}, payload, self.timeout)
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"{url} reply has no choices[0].message.content: {str(reply)[:200]}") from exc
        if not isinstance(content, str) or not content.strip():
            raise LLMError(f"{url} returned an empty message")
        return content.strip()


class AnthropicWriter(_HTTPWriter):
    """Messages API: ``POST {base_url}/v1/messages``."""

    provider = "anthropic"

    def write(self, traits: Mapping[str, Any] | Any, version: int = 1) -> str:
        """Ask the model for the sample; returns the joined text blocks."""
        url = f"{self.base_url}/v1/messages"
        payload = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "system": _SYSTEM,
            "messages": [{"role": "user", "content": build_prompt(traits, version)}],
        }
        headers = {"x-api-key": self.api_key, "anthropic-version": ANTHROPIC_VERSION}
        reply = _post_json(url, headers, payload, self.timeout)
        blocks = reply.get("content") if isinstance(reply, dict) else None
        if not isinstance(blocks, list):
            raise LLMError(f"{url} reply has no content list: {str(reply)[:200]}")
        parts = [b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text"]
        content = "".join(parts).strip()
        if not content:
            raise LLMError(f"{url} returned no text content")
        return content


def make_writer(provider: str = "deterministic", *, base_url: str | None = None, model: str = "",
                api_key: str | None = None, timeout: float = 60.0) -> SampleWriter:
    """A writer by provider name: ``deterministic`` (default), ``openai`` or ``anthropic``."""
    name = (provider or "deterministic").strip().lower()
    if name in {"deterministic", "default", "none", ""}:
        return DeterministicWriter()
    if name in {"openai", "openai-compatible"}:
        return OpenAICompatibleWriter(base_url, model, api_key, timeout=timeout)
    if name == "anthropic":
        return AnthropicWriter(base_url, model, api_key, timeout=timeout)
    raise LLMError(f"unknown LLM provider {provider!r}: use deterministic, openai or anthropic")


def writer_from_env(env: Mapping[str, str] | None = None) -> SampleWriter:
    """A writer configured from the environment.

    ``ICONOPLASM_LLM_PROVIDER`` (deterministic | openai | anthropic; default
    deterministic), ``ICONOPLASM_LLM_MODEL``, ``ICONOPLASM_LLM_BASE_URL`` and
    the key variables described in :func:`_resolve_key`.
    """
    env = os.environ if env is None else env
    provider = env.get("ICONOPLASM_LLM_PROVIDER", "deterministic").strip().lower()
    key_var = _PROVIDER_KEY_ENV["openai" if provider.startswith("openai") else "anthropic"]
    return make_writer(
        provider,
        base_url=env.get("ICONOPLASM_LLM_BASE_URL") or None,
        model=env.get("ICONOPLASM_LLM_MODEL", ""),
        api_key=env.get(KEY_ENV) or env.get(key_var) or None,
    )
