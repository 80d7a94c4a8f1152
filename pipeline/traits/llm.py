"""LLM-written samples for ``iconoplasm traits build --writer llm``.

The deterministic writer (:mod:`pipeline.traits.text`) is the default and needs
no network.  With ``--writer llm`` a language model writes each gene's
120–400-word character description from the same traits.  Two HTTP APIs are
supported with the standard library only (``urllib.request`` + ``json``), so
the pipeline gains no dependency:

* OpenAI-compatible: ``POST {base_url}/chat/completions`` with a bearer token
  (OpenAI, and the many local or hosted servers that speak the same protocol);
* Anthropic: ``POST {base_url}/v1/messages`` with ``x-api-key`` and
  ``anthropic-version`` headers.

The key comes only from ``ICONOPLASM_LLM_API_KEY``, never from a provider's own
variable: ``--llm-base-url`` may point anywhere, and a key meant for one
service must not be sent to another by accident.

Answers are kept in ``OUT/llm_samples.jsonl`` (:class:`SampleCache`), one line
per sample, appended and flushed as each arrives, so an interrupted run resumes
without paying twice.  Versions: ``SYMBOL-1`` is always the deterministic
sample; each LLM sample stored for a symbol takes the next number (2, 3, ...),
so a label names one text forever.

Every failure raises :class:`LLMError` with a message that says what to fix and
never contains the key; nothing falls back to the deterministic writer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..errors import IconoplasmError
from ..pacing import RateLimiter
from . import text

#: Value of the ``anthropic-version`` header sent to the Messages API.
ANTHROPIC_VERSION = "2023-06-01"

#: The only place the key is read from.
KEY_ENV = "ICONOPLASM_LLM_API_KEY"

DEFAULT_BASE_URL = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"}

#: The cache file, beside traits.parquet.
CACHE_NAME = "llm_samples.jsonl"

#: Default ``--llm-rps``: polite to hosted APIs, still ~19,000 genes in under 3 hours.
DEFAULT_RPS = 2.0

#: Version 1 is the deterministic sample, so LLM samples start here.
FIRST_LLM_VERSION = 2

_SYSTEM = (
    "You write character descriptions for Iconoplasm, where every human protein-coding gene is a "
    "character whose looks encode molecular facts. Write vivid, playful, concrete prose in English, "
    "in the third person, with no headings, lists or preamble."
)

# What to change for the HTTP statuses a user can do something about.
_HTTP_HINTS = {
    401: f"check {KEY_ENV}",
    403: f"check {KEY_ENV} and that it may use this model",
    404: "check --llm-base-url and --llm-model",
    429: "lower --llm-rps or wait for the quota to refill",
}


class LLMError(IconoplasmError):
    """The LLM writer could not produce a sample (missing key, HTTP error, bad reply, bad cache)."""


class SampleLimitReached(Exception):
    """``--limit`` new samples were written and some genes still have none: not a failure, a pause."""


def api_key_from_env(env: Mapping[str, str] | None = None) -> str:
    """The API key from :data:`KEY_ENV`, or an :class:`LLMError` saying to set it."""
    key = (os.environ if env is None else env).get(KEY_ENV, "").strip()
    if not key:
        raise LLMError(f"{KEY_ENV} is not set: export your LLM provider's API key in it to use --writer llm")
    return key


def _fmt_value(value: Any) -> str:
    """A trait value as prompt text: floats to 3 significant digits, sequences comma-joined."""
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


def build_prompt(traits: Mapping[str, Any] | Any) -> str:
    """The user prompt: every trait, the gene summary, and what to write.

    It depends on the traits alone (not on the version number), so its hash
    finds the cached answer again on the next run.
    """

    def get(key: str, default: Any = "") -> Any:
        return text._get(traits, key, default)

    age = int(get("age", 0) or 0)
    age_note = " (negative: named after 2020, a newcomer from the future)" if age < 0 else ""
    lines = [
        f"Gene {get('symbol', '?')} ({get('name')}).",
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
    return "\n".join(lines)


def _redact(message: str, secret: str) -> str:
    """``message`` with ``secret`` masked, for text a server sent back (it may echo the key).

    Callers mask before they shorten, or a cut through the key would leave part of it.
    """
    return message.replace(secret, "***") if secret else message


def _post_json(url: str, headers: Mapping[str, str], payload: Mapping[str, Any], timeout: float, secret: str) -> Any:
    """POST ``payload`` as JSON and return the decoded JSON reply, or raise :class:`LLMError`."""
    data = json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST", headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        detail = _provider_message(_redact(exc.read().decode("utf-8", "replace"), secret))
        hint = f" ({_HTTP_HINTS[exc.code]})" if exc.code in _HTTP_HINTS else ""
        raise LLMError(f"{url} answered HTTP {exc.code}: {detail}{hint}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LLMError(f"could not reach {url}: {reason} (check --llm-base-url and that the server is up)") from exc
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        snippet = _redact(body.decode("utf-8", "replace"), secret)[:200]
        raise LLMError(f"{url} returned malformed JSON ({exc}); the body starts {snippet!r}") from exc


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


class HTTPWriter:
    """One provider's API: settings, the request, and reading the sample out of the reply."""

    provider = ""
    endpoint = ""

    def __init__(
        self,
        base_url: str | None,
        model: str,
        api_key: str,
        *,
        timeout: float = 60.0,
        max_tokens: int = 900,
        temperature: float = 0.9,
    ) -> None:
        if not model:
            raise LLMError(f"--writer llm needs --llm-model: the name of a {self.provider} model")
        self.base_url = (base_url or DEFAULT_BASE_URL[self.provider]).rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.temperature = temperature

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(base_url={self.base_url!r}, model={self.model!r})"

    @property
    def url(self) -> str:
        return f"{self.base_url}{self.endpoint}"

    def write(self, prompt: str) -> str:
        """Ask the model for the sample of ``prompt``; the stripped text, or an :class:`LLMError`."""
        reply = _post_json(self.url, self._headers(), self._payload(prompt), self.timeout, self.api_key)
        try:
            return self._text(reply)
        except LLMError as exc:
            raise LLMError(f"{self.url} {exc}") from None

    def _snippet(self, reply: Any) -> str:
        """The start of ``reply`` for an error message, key masked."""
        return _redact(str(reply), self.api_key)[:200]

    def _headers(self) -> dict[str, str]:
        raise NotImplementedError

    def _payload(self, prompt: str) -> dict[str, Any]:
        raise NotImplementedError

    def _text(self, reply: Any) -> str:
        """The sample in ``reply``; raises :class:`LLMError` (message without the URL) when it has none."""
        raise NotImplementedError


def _nonempty(content: Any) -> str:
    """``content`` stripped; a blank or missing text is an error, not a sample to cache."""
    if not isinstance(content, str) or not content.strip():
        raise LLMError("returned an empty sample")
    return content.strip()


class OpenAICompatibleWriter(HTTPWriter):
    """Chat Completions API: ``POST {base_url}/chat/completions``."""

    provider = "openai"
    endpoint = "/chat/completions"

    def _headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.api_key}"}

    def _payload(self, prompt: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": prompt}],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }

    def _text(self, reply: Any) -> str:
        try:
            choice = reply["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise LLMError(f"reply has no choices[0].message.content: {self._snippet(reply)}") from None
        # A sample cut off mid-sentence would be cached for good: refuse it instead.
        if isinstance(choice, dict) and choice.get("finish_reason") == "length":
            raise LLMError(f"cut the sample off at max_tokens={self.max_tokens}: choose a model that answers within it")
        return _nonempty(content)


class AnthropicWriter(HTTPWriter):
    """Messages API: ``POST {base_url}/v1/messages``."""

    provider = "anthropic"
    endpoint = "/v1/messages"

    def _headers(self) -> dict[str, str]:
        return {"x-api-key": self.api_key, "anthropic-version": ANTHROPIC_VERSION}

    def _payload(self, prompt: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "system": _SYSTEM,
            "messages": [{"role": "user", "content": prompt}],
        }

    def _text(self, reply: Any) -> str:
        blocks = reply.get("content") if isinstance(reply, dict) else None
        if not isinstance(blocks, list):
            raise LLMError(f"reply has no content list: {self._snippet(reply)}")
        if reply.get("stop_reason") == "max_tokens":
            raise LLMError(f"cut the sample off at max_tokens={self.max_tokens}: choose a model that answers within it")
        return _nonempty("".join(b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text"))


WRITERS: dict[str, type[HTTPWriter]] = {"openai": OpenAICompatibleWriter, "anthropic": AnthropicWriter}


def make_writer(provider: str, *, base_url: str | None, model: str, api_key: str) -> HTTPWriter:
    """The writer of ``provider`` (a key of :data:`WRITERS`)."""
    if provider not in WRITERS:
        raise LLMError(f"unknown LLM provider {provider!r}: use {' or '.join(WRITERS)}")
    return WRITERS[provider](base_url, model, api_key)


@dataclass(frozen=True)
class SampleKey:
    """What identifies one answer: the gene, who wrote it, and exactly what was asked."""

    symbol: str
    provider: str
    model: str
    prompt_sha256: str


def sample_key(symbol: str, writer: HTTPWriter, prompt: str) -> SampleKey:
    """The cache key of asking ``writer`` for ``prompt`` (system prompt included in the hash)."""
    digest = hashlib.sha256(f"{_SYSTEM}\n\n{prompt}".encode()).hexdigest()
    return SampleKey(symbol, writer.provider, writer.model, digest)


@dataclass(frozen=True)
class CachedSample:
    """One stored answer and the version number it was given."""

    version: int
    sample: str


class SampleCache:
    """LLM samples on disk: one JSON object per line, appended and flushed as each arrives.

    An unterminated last line is what a killed append leaves: it is ignored and
    cut off so the next append starts on a fresh line.  Any other unreadable
    line, or two lines with the same label, is an :class:`LLMError` naming the
    line, since guessing would let a label change its text.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._samples: dict[SampleKey, CachedSample] = {}
        self._versions: dict[str, set[int]] = {}
        if path.exists():
            self._load()

    def __len__(self) -> int:
        return len(self._samples)

    def _load(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        for number, line in enumerate(data[:end].split(b"\n")[:-1], 1):
            if line.strip():
                self._remember(*self._parse(line, number), number)
        if end < len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(end)

    def _parse(self, line: bytes, number: int) -> tuple[SampleKey, CachedSample]:
        """One line as a key and sample, or an :class:`LLMError` saying which line to fix."""
        try:
            obj = json.loads(line)
            key = SampleKey(*(obj[f] for f in ("symbol", "provider", "model", "prompt_sha256")))
            entry = CachedSample(obj["version"], obj["sample"])
            valid = all(isinstance(v, str) and v for v in (*vars(key).values(), entry.sample))
            valid = valid and type(entry.version) is int and entry.version >= FIRST_LLM_VERSION
        except (ValueError, TypeError, KeyError):
            valid = False
        if not valid:
            raise LLMError(f"{self.path} line {number} is not a sample record: fix or delete that line")
        return key, entry

    def _remember(self, key: SampleKey, entry: CachedSample, number: int) -> None:
        versions = self._versions.setdefault(key.symbol, set())
        if key in self._samples or entry.version in versions:
            label = text.sample_label(key.symbol, entry.version)
            raise LLMError(f"{self.path} line {number} repeats {label} or its request: delete one of the two lines")
        versions.add(entry.version)
        self._samples[key] = entry

    def __contains__(self, key: SampleKey) -> bool:
        return key in self._samples

    def __getitem__(self, key: SampleKey) -> CachedSample:
        return self._samples[key]

    def add(self, key: SampleKey, sample: str) -> CachedSample:
        """Store a new answer under the next version of its symbol, on disk before returning."""
        entry = CachedSample(max(self._versions.get(key.symbol, ()), default=FIRST_LLM_VERSION - 1) + 1, sample)
        record = {**vars(key), "version": entry.version, "sample": sample}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._versions.setdefault(key.symbol, set()).add(entry.version)
        self._samples[key] = entry
        return entry


def write_samples(
    records: Sequence[Mapping[str, Any]],
    writer: HTTPWriter,
    cache: SampleCache,
    limiter: RateLimiter,
    *,
    limit: int | None = None,
) -> list[tuple[int, str]]:
    """``(version, sample)`` for every record, in order: cached answers as stored, the rest asked for.

    Each new answer is in the cache before the next request, so a failure or a
    kill loses nothing paid for.  With ``limit``, at most that many requests are
    made; if genes remain, :class:`SampleLimitReached` stops the build so the
    table never mixes in deterministic samples.
    """
    prompts = [build_prompt(record) for record in records]
    keys = [sample_key(str(record["symbol"]), writer, prompt) for record, prompt in zip(records, prompts, strict=True)]
    missing = [i for i, key in enumerate(keys) if key not in cache]
    todo = missing if limit is None else missing[:limit]
    written = 0
    bar = tqdm(total=len(todo), unit="sample", desc=f"llm samples ({writer.model})", file=sys.stderr, disable=not todo)
    with bar:
        for i in todo:
            limiter.wait()
            try:
                sample = writer.write(prompts[i])
            except LLMError as exc:
                raise LLMError(
                    f"{keys[i].symbol}: {exc}. The {len(cache)} samples written so far are kept in "
                    f"{cache.path}: run again to resume"
                ) from exc
            cache.add(keys[i], sample)
            written += 1
            bar.update()
    if len(todo) < len(missing):
        raise SampleLimitReached(
            f"--limit {limit}: wrote {written} new LLM samples to {cache.path}; {len(missing) - written} genes "
            "still have none, so traits.parquet was not written: run again to continue"
        )
    return [(cache[key].version, cache[key].sample) for key in keys]


def sample_source(
    provider: str, model: str, base_url: str | None, rps: float, out: Path, limit: int | None = None
) -> Callable[[Sequence[Mapping[str, Any]]], list[tuple[int, str]]]:
    """The ``--writer llm`` sample source for :func:`pipeline.traits.build.build_traits`.

    Everything that can be checked without a request (key, model, rate, cache
    file) is checked here, before the first gene is asked for.
    """
    writer = make_writer(provider, base_url=base_url, model=model, api_key=api_key_from_env())
    if not rps > 0:  # also refuses NaN
        raise LLMError(f"--llm-rps must be a positive number of requests per second, got {rps}")
    limiter = RateLimiter(rps)
    cache = SampleCache(out / CACHE_NAME)
    return lambda records: write_samples(records, writer, cache, limiter, limit=limit)
