"""LLM writers against a local fake of both HTTP APIs, the sample cache and the rate limiter (no network)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from pipeline.errors import IconoplasmError
from pipeline.traits import llm

from ..loopback import send_json, serving, url

TRAITS = {
    "symbol": "COASY",
    "name": "Coenzyme A synthase",
    "summary": "This gene encodes the bifunctional enzyme that completes coenzyme A biosynthesis.",
    "sex": "female",
    "weight_kg": 62.3,
    "age": -2,
    "aesthetics": ["Dark Academia", "Cybergoth"],
    "feature": "fox ears and tail",
    "family": "COASY",
    "family_size": 1,
    "color_name": "slate grey",
    "lightness": 0.42,
    "saturation": 0.3,
    "faction": "pro-control",
    "transmembrane": False,
    "clan_names": ["P-loop_NTPase", "NADP_Rossmann"],
}

KEY = "sk-secret-test-key"


class _Fake(BaseHTTPRequestHandler):
    """Fakes /chat/completions and /v1/messages; behaviour chosen by the model name."""

    requests: list[dict] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        payload = json.loads(body)
        self.requests.append(
            {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "json": payload}
        )
        model = payload.get("model", "")
        if model == "http-error":
            return self._send(429, {"error": {"type": "rate_limit", "message": "slow down please"}})
        if model == "echo-key":  # a server that quotes the key back must not get it into our message
            key = self.headers.get("x-api-key") or self.headers.get("authorization", "").removeprefix("Bearer ")
            return self._send(401, {"error": {"message": f"Incorrect API key provided: {key}"}})
        if model.startswith("echo-key-"):  # the key straddles the 200-character cut of the error message
            key = self.headers.get("x-api-key") or self.headers.get("authorization", "").removeprefix("Bearer ")
            if model == "echo-key-json":
                return self._send(200, f"not json {'x' * 187}{key}".encode())
            return self._send(200, {"pad": "x" * 175, "key": key})
        if model == "bad-json":
            return self._send(200, b"{not json")
        if model == "bad-shape":
            return self._send(200, {"unexpected": True})
        if model == "cut-off":
            return self._send(
                200,
                {
                    "choices": [{"message": {"content": "She stood and"}, "finish_reason": "length"}],
                    "content": [{"type": "text", "text": "She stood and"}],
                    "stop_reason": "max_tokens",
                },
            )
        if model == "empty":
            return self._send(200, {"choices": [{"message": {"content": "   "}}], "content": []})
        if self.path == "/chat/completions":
            return self._send(
                200,
                {
                    "choices": [
                        {
                            "message": {"role": "assistant", "content": "  An OpenAI-style sample.  "},
                            "finish_reason": "stop",
                        }
                    ]
                },
            )
        if self.path == "/v1/messages":
            return self._send(
                200,
                {
                    "content": [{"type": "text", "text": "An Anthropic "}, {"type": "text", "text": "sample."}],
                    "stop_reason": "end_turn",
                },
            )
        return self._send(404, {"error": {"message": f"no route {self.path}"}})

    def _send(self, status: int, obj) -> None:
        send_json(self, status, obj)


@pytest.fixture
def server() -> Iterator[str]:
    _Fake.requests = []
    with serving(_Fake) as httpd:
        yield url(httpd)


WRITERS = [llm.OpenAICompatibleWriter, llm.AnthropicWriter]


def _assert_traits_in(prompt: str) -> None:
    for needle in (
        "COASY",
        "Coenzyme A synthase",
        "62.3 kg",
        "Dark Academia",
        "Cybergoth",
        "fox ears and tail",
        "slate grey",
        "tumour suppressor",
        "coenzyme A biosynthesis",
        "P-loop_NTPase",
        "female",
        "future",
        "120-400",
    ):
        assert needle in prompt, needle


def test_prompt_depends_on_the_traits_only() -> None:
    prompt = llm.build_prompt(TRAITS)
    _assert_traits_in(prompt)
    assert prompt == llm.build_prompt(dict(TRAITS))
    assert "COASY-" not in prompt  # no version in it, so the cache key survives renumbering
    assert llm.build_prompt({**TRAITS, "summary": "Something else entirely."}) != prompt


def test_openai_request_shape_and_result(server: str) -> None:
    w = llm.OpenAICompatibleWriter(server, "gpt-test", KEY)
    assert w.write(llm.build_prompt(TRAITS)) == "An OpenAI-style sample."
    (req,) = _Fake.requests
    assert req["path"] == "/chat/completions"
    assert req["headers"]["authorization"] == f"Bearer {KEY}"
    assert req["headers"]["content-type"] == "application/json"
    assert req["json"]["model"] == "gpt-test"
    assert [m["role"] for m in req["json"]["messages"]] == ["system", "user"]
    assert req["json"]["messages"][1]["content"] == llm.build_prompt(TRAITS)
    assert KEY not in repr(w)


def test_anthropic_request_shape_and_result(server: str) -> None:
    w = llm.AnthropicWriter(server + "/", "claude-test", KEY)
    assert w.write(llm.build_prompt(TRAITS)) == "An Anthropic sample."
    (req,) = _Fake.requests
    assert req["path"] == "/v1/messages"
    assert req["headers"]["x-api-key"] == KEY
    assert req["headers"]["anthropic-version"] == llm.ANTHROPIC_VERSION
    assert "authorization" not in req["headers"]
    body = req["json"]
    assert body["model"] == "claude-test"
    assert body["max_tokens"] > 0 and body["system"]
    assert body["messages"] == [{"role": "user", "content": llm.build_prompt(TRAITS)}]


def test_key_only_from_the_project_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(llm.KEY_ENV, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "meant-for-openai-only")
    with pytest.raises(llm.LLMError, match=f"{llm.KEY_ENV} is not set"):
        llm.api_key_from_env()
    with pytest.raises(llm.LLMError, match=f"{llm.KEY_ENV} is not set"):
        llm.api_key_from_env({llm.KEY_ENV: "   "})
    monkeypatch.setenv(llm.KEY_ENV, " generic ")
    assert llm.api_key_from_env() == "generic"


def test_llm_error_is_reported_by_the_cli_as_a_message() -> None:
    assert issubclass(llm.LLMError, IconoplasmError)


@pytest.mark.parametrize("cls", WRITERS)
def test_http_error_carries_status_message_and_what_to_fix(server: str, cls) -> None:
    with pytest.raises(llm.LLMError, match=r"HTTP 429: slow down please \(lower --llm-rps"):
        cls(server, "http-error", KEY).write("p")


@pytest.mark.parametrize("cls", WRITERS)
@pytest.mark.parametrize("model", ["echo-key", "echo-key-shape", "echo-key-json"])
def test_a_key_the_server_quotes_back_is_masked(server: str, cls, model: str) -> None:
    with pytest.raises(llm.LLMError) as caught:
        cls(server, model, KEY).write("p")
    message = str(caught.value)
    assert KEY[:5] not in message and "***" in message
    if model == "echo-key":
        assert "HTTP 401" in message and llm.KEY_ENV in message


@pytest.mark.parametrize("cls", WRITERS)
@pytest.mark.parametrize(
    "model, problem",
    [
        ("bad-json", "malformed JSON"),
        ("bad-shape", "reply has no"),
        ("cut-off", "cut the sample off at max_tokens=900"),
        ("empty", "empty sample"),
    ],
)
def test_unusable_replies(server: str, cls, model: str, problem: str) -> None:
    with pytest.raises(llm.LLMError, match=problem) as caught:
        cls(server, model, KEY).write("p")
    assert server in str(caught.value)


def test_unreachable_server() -> None:
    w = llm.OpenAICompatibleWriter("http://127.0.0.1:9", "m", KEY, timeout=2)
    with pytest.raises(llm.LLMError, match=r"could not reach http://127\.0\.0\.1:9/chat/completions.*--llm-base-url"):
        w.write("p")


def test_make_writer(server: str) -> None:
    assert isinstance(llm.make_writer("openai", base_url=server, model="m", api_key=KEY), llm.OpenAICompatibleWriter)
    anthropic = llm.make_writer("anthropic", base_url=None, model="m", api_key=KEY)
    assert isinstance(anthropic, llm.AnthropicWriter) and anthropic.base_url == "https://api.anthropic.com"
    with pytest.raises(llm.LLMError, match="unknown LLM provider 'palm'"):
        llm.make_writer("palm", base_url=None, model="m", api_key=KEY)
    with pytest.raises(llm.LLMError, match="--llm-model"):
        llm.make_writer("openai", base_url=None, model="", api_key=KEY)


def _key(symbol: str, prompt: str = "p") -> llm.SampleKey:
    return llm.sample_key(symbol, llm.OpenAICompatibleWriter(None, "m", KEY), prompt)


def test_cache_numbers_each_symbol_from_2_and_survives_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "out" / llm.CACHE_NAME
    cache = llm.SampleCache(path)
    assert cache.add(_key("COASY"), "first").version == 2
    assert cache.add(_key("TP53"), "tp53").version == 2
    assert cache.add(_key("COASY", "changed traits"), "second").version == 3
    again = llm.SampleCache(path)
    assert len(again) == 3
    assert again[_key("COASY")] == llm.CachedSample(2, "first")
    assert again[_key("COASY", "changed traits")] == llm.CachedSample(3, "second")
    assert _key("COASY", "never asked") not in again
    assert again.add(_key("COASY", "third prompt"), "third").version == 4
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["symbol"], r["version"]) for r in records] == [("COASY", 2), ("TP53", 2), ("COASY", 3), ("COASY", 4)]
    assert all(r["model"] == "m" and r["provider"] == "openai" and len(r["prompt_sha256"]) == 64 for r in records)


def test_cache_key_covers_provider_model_and_prompt() -> None:
    prompt = llm.build_prompt(TRAITS)
    openai = llm.OpenAICompatibleWriter(None, "m", KEY)
    keys = {
        llm.sample_key("COASY", openai, prompt),
        llm.sample_key("COASY", openai, prompt + "!"),
        llm.sample_key("COASY", llm.OpenAICompatibleWriter(None, "other", KEY), prompt),
        llm.sample_key("COASY", llm.AnthropicWriter(None, "m", KEY), prompt),
    }
    assert len(keys) == 4
    assert llm.sample_key("COASY", openai, prompt) == llm.sample_key("COASY", openai, prompt)


def test_torn_last_line_is_dropped_and_the_next_append_starts_clean(tmp_path: Path) -> None:
    path = tmp_path / llm.CACHE_NAME
    llm.SampleCache(path).add(_key("COASY"), "kept")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"symbol": "TP53", "provider": "openai", "mod')  # killed mid-append
    cache = llm.SampleCache(path)
    assert len(cache) == 1 and cache[_key("COASY")].sample == "kept"
    assert cache.add(_key("TP53"), "tp53").version == 2
    assert [json.loads(line)["symbol"] for line in path.read_text(encoding="utf-8").splitlines()] == ["COASY", "TP53"]


@pytest.mark.parametrize(
    "bad",
    [
        b"not json",
        b'{"symbol": "X"}',
        b"[1, 2]",
        b'{"symbol": "X", "provider": "openai", "model": "m", "prompt_sha256": "ab", '
        b'"version": 1, "sample": "v1 is the deterministic one"}',
    ],
)
def test_an_unreadable_complete_line_is_an_error_naming_it(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / llm.CACHE_NAME
    llm.SampleCache(path).add(_key("COASY"), "kept")
    with path.open("ab") as handle:
        handle.write(bad + b"\n")
    with pytest.raises(llm.LLMError, match=f"{llm.CACHE_NAME} line 2 is not a sample record"):
        llm.SampleCache(path)


def test_a_label_numbered_twice_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / llm.CACHE_NAME
    llm.SampleCache(path).add(_key("COASY"), "one")
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(prompt_sha256="0" * 64, sample="another text")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    with pytest.raises(llm.LLMError, match="line 2 repeats COASY-2"):
        llm.SampleCache(path)
