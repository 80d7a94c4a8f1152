"""LLM sample writers against a local fake of both HTTP APIs (no network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from pipeline.traits import llm, text

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


class _Fake(BaseHTTPRequestHandler):
    """Fakes /chat/completions and /v1/messages; behaviour chosen by the model name."""

    requests: list[dict] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        payload = json.loads(body)
        self.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                              "json": payload})
        model = payload.get("model", "")
        if model == "http-error":
            return self._send(429, {"error": {"type": "rate_limit", "message": "slow down please"}})
        if model == "bad-json":
            return self._send(200, b"{not json")
        if model == "bad-shape":
            return self._send(200, {"unexpected": True})
        if self.path == "/chat/completions":
            return self._send(200, {"choices": [{"message": {"role": "assistant",
                                                              "content": "  An OpenAI-style sample.  "}}]})
        if self.path == "/v1/messages":
            return self._send(200, {"content": [{"type": "text", "text": "An Anthropic "},
                                                {"type": "text", "text": "sample."}]})
        return self._send(404, {"error": {"message": f"no route {self.path}"}})

    def _send(self, status: int, obj) -> None:
        data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[str]:
    _Fake.requests = []
    httpd = HTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _no_env_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("ICONOPLASM_LLM_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                "ICONOPLASM_LLM_PROVIDER", "ICONOPLASM_LLM_MODEL", "ICONOPLASM_LLM_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


def _assert_traits_in(prompt: str) -> None:
    for needle in ("COASY", "Coenzyme A synthase", "62.3 kg", "Dark Academia", "Cybergoth",
                   "fox ears and tail", "slate grey", "tumour suppressor", "coenzyme A biosynthesis",
                   "P-loop_NTPase", "female", "future", "120-400"):
        assert needle in prompt, needle


def test_openai_request_shape_and_result(server: str) -> None:
    w = llm.OpenAICompatibleWriter(server, "gpt-test", "sk-test")
    assert w.write(TRAITS, 2) == "An OpenAI-style sample."
    (req,) = _Fake.requests
    assert req["path"] == "/chat/completions"
    assert req["headers"]["authorization"] == "Bearer sk-test"
    assert req["headers"]["content-type"] == "application/json"
    assert req["json"]["model"] == "gpt-test"
    roles = [m["role"] for m in req["json"]["messages"]]
    assert roles == ["system", "user"]
    prompt = req["json"]["messages"][1]["content"]
    _assert_traits_in(prompt)
    assert "COASY-2" in prompt
    assert "sk-test" not in repr(w)


def test_anthropic_request_shape_and_result(server: str) -> None:
    w = llm.AnthropicWriter(server + "/", "claude-test", "ak-test")
    assert w.write(TRAITS) == "An Anthropic sample."
    (req,) = _Fake.requests
    assert req["path"] == "/v1/messages"
    assert req["headers"]["x-api-key"] == "ak-test"
    assert req["headers"]["anthropic-version"] == llm.ANTHROPIC_VERSION
    assert "authorization" not in req["headers"]
    body = req["json"]
    assert body["model"] == "claude-test"
    assert body["max_tokens"] > 0 and body["system"]
    assert body["messages"][0]["role"] == "user"
    _assert_traits_in(body["messages"][0]["content"])


def test_missing_key_names_variable() -> None:
    with pytest.raises(llm.LLMError, match="ICONOPLASM_LLM_API_KEY.*OPENAI_API_KEY"):
        llm.OpenAICompatibleWriter("http://127.0.0.1:9", "m")
    with pytest.raises(llm.LLMError, match="ANTHROPIC_API_KEY"):
        llm.AnthropicWriter("http://127.0.0.1:9", "m")


def test_key_from_environment(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "from-env")
    w = llm.AnthropicWriter(server, "claude-test")
    w.write(TRAITS)
    assert _Fake.requests[-1]["headers"]["x-api-key"] == "from-env"
    monkeypatch.setenv("ICONOPLASM_LLM_API_KEY", "generic")
    assert llm.AnthropicWriter(server, "claude-test").api_key == "generic"


@pytest.mark.parametrize("cls", [llm.OpenAICompatibleWriter, llm.AnthropicWriter])
def test_http_error_carries_status_and_message(server: str, cls) -> None:
    w = cls(server, "http-error", "k")
    with pytest.raises(llm.LLMError, match=r"HTTP 429.*slow down please"):
        w.write(TRAITS)


@pytest.mark.parametrize("cls", [llm.OpenAICompatibleWriter, llm.AnthropicWriter])
def test_malformed_json(server: str, cls) -> None:
    with pytest.raises(llm.LLMError, match="malformed JSON"):
        cls(server, "bad-json", "k").write(TRAITS)


@pytest.mark.parametrize("cls", [llm.OpenAICompatibleWriter, llm.AnthropicWriter])
def test_unexpected_shape(server: str, cls) -> None:
    with pytest.raises(llm.LLMError, match="reply has no"):
        cls(server, "bad-shape", "k").write(TRAITS)


def test_unreachable_server() -> None:
    w = llm.OpenAICompatibleWriter("http://127.0.0.1:9", "m", "k", timeout=2)
    with pytest.raises(llm.LLMError, match="could not reach"):
        w.write(TRAITS)


def test_deterministic_writer_and_protocol() -> None:
    w = llm.DeterministicWriter()
    assert isinstance(w, llm.SampleWriter)
    assert w.write(TRAITS, 3) == text.write_sample(TRAITS, 3)
    assert isinstance(llm.OpenAICompatibleWriter("http://x", "m", "k"), llm.SampleWriter)


def test_factories(server: str) -> None:
    assert isinstance(llm.make_writer(), llm.DeterministicWriter)
    assert isinstance(llm.make_writer("openai", base_url=server, model="m", api_key="k"),
                      llm.OpenAICompatibleWriter)
    assert isinstance(llm.make_writer("anthropic", base_url=server, model="m", api_key="k"),
                      llm.AnthropicWriter)
    with pytest.raises(llm.LLMError, match="unknown LLM provider"):
        llm.make_writer("palm")
    with pytest.raises(llm.LLMError, match="model"):
        llm.make_writer("openai", api_key="k")
    assert isinstance(llm.writer_from_env({}), llm.DeterministicWriter)
    w = llm.writer_from_env({"ICONOPLASM_LLM_PROVIDER": "anthropic", "ICONOPLASM_LLM_MODEL": "c",
                             "ICONOPLASM_LLM_BASE_URL": server, "ANTHROPIC_API_KEY": "a"})
    assert isinstance(w, llm.AnthropicWriter) and w.api_key == "a" and w.base_url == server
    assert w.write(TRAITS) == "An Anthropic sample."
    with pytest.raises(llm.LLMError, match="OPENAI_API_KEY"):
        llm.writer_from_env({"ICONOPLASM_LLM_PROVIDER": "openai", "ICONOPLASM_LLM_MODEL": "g"})
