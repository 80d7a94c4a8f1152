"""``iconoplasm traits build --writer llm`` end to end, against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.genes.build import build_gene_table
from pipeline.genes.locate import locate
from pipeline.pacing import RateLimiter
from pipeline.traits import llm, text
from pipeline.traits.build import build_traits

from ..clock import FakeClock
from ..loopback import send_json, serving, url

KEY = "sk-fake-build-key"
MODEL = "fake-model"
# A pose phrase of the tag banks: its tag shows that tags are read from the LLM sample.
POSE, POSE_TAG = "seated on a crate, elbows on knees", "seated pose"


class FakeLLM:
    """What the fake server does and what it was asked."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_after: int | None = None  # answer this many, then fail
        self.failure = "500"
        self.clock: object | None = None  # a FakeClock: each request records its time
        self.lock = threading.Lock()

    def symbols(self) -> list[str]:
        return [r["symbol"] for r in self.requests]


def sample_for(symbol: str, model: str = MODEL) -> str:
    return f"{symbol} by {model}: a character {POSE}, written by the fake model."


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        fake: FakeLLM = self.server.fake  # type: ignore[attr-defined]
        payload = json.loads(self.rfile.read(int(self.headers["content-length"])))
        prompt = payload["messages"][-1]["content"]
        symbol = re.match(r"Gene (\S+) ", prompt).group(1)
        with fake.lock:
            answered = len(fake.requests)
            fake.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("authorization"),
                    "model": payload["model"],
                    "symbol": symbol,
                    "at": fake.clock() if fake.clock else None,
                }
            )
        if fake.fail_after is not None and answered >= fake.fail_after:
            if fake.failure == "500":
                return self._send(500, json.dumps({"error": {"message": f"overloaded, key {KEY} rejected"}}).encode())
            return self._send(200, b"<html>proxy error</html>")
        reply = {
            "choices": [
                {
                    "message": {"role": "assistant", "content": sample_for(symbol, payload["model"])},
                    "finish_reason": "stop",
                }
            ]
        }
        self._send(200, json.dumps(reply).encode())

    def _send(self, status: int, data: bytes) -> None:
        send_json(self, status, data)


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with serving(_Handler) as httpd:
        httpd.fake = FakeLLM()  # type: ignore[attr-defined]
        httpd.fake.url = url(httpd)  # type: ignore[attr-defined]
        yield httpd.fake  # type: ignore[attr-defined]


@pytest.fixture
def gene_table(fixture_sources: Path) -> pd.DataFrame:
    return build_gene_table(locate(fixture_sources), current_year=2026).table


@pytest.fixture
def genes_path(gene_table: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "genes.parquet"
    gene_table.to_parquet(path, index=False)
    return path


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(llm.KEY_ENV, KEY)


def run(genes_path: Path, out: Path, fake: FakeLLM, *extra: str) -> int:
    return cli.main(
        [
            "traits",
            "build",
            "--genes",
            str(genes_path),
            "--out",
            str(out),
            "--writer",
            "llm",
            "--llm-model",
            MODEL,
            "--llm-base-url",
            fake.url,
            "--llm-rps",
            "1000",
            *extra,
        ]
    )


def cache_lines(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / llm.CACHE_NAME).read_text(encoding="utf-8").splitlines()]


def test_samples_come_from_the_model_as_version_2(genes_path, gene_table, fake, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert run(genes_path, out, fake) == 0
    traits = pd.read_parquet(out / "traits.parquet")
    symbols = sorted(gene_table["symbol"])
    assert sorted(fake.symbols()) == symbols
    assert {r["path"] for r in fake.requests} == {"/chat/completions"}
    assert {r["authorization"] for r in fake.requests} == {f"Bearer {KEY}"}
    assert {r["model"] for r in fake.requests} == {MODEL}
    assert list(traits["sample"]) == [sample_for(s) for s in traits["symbol"]]
    assert list(traits["sample_label"]) == [f"{s}-2" for s in traits["symbol"]]
    assert [(r["symbol"], r["version"], r["sample"]) for r in cache_lines(out)] == [
        (s, 2, sample_for(s)) for s in fake.symbols()
    ]
    err = capsys.readouterr().err
    assert "llm samples (fake-model)" in err and KEY not in err


def test_tags_are_derived_from_the_llm_sample(genes_path, gene_table, fake, tmp_path) -> None:
    out = tmp_path / "out"
    assert run(genes_path, out, fake) == 0
    llm_tags = pd.read_parquet(out / "traits.parquet").set_index("symbol")["tags"]
    deterministic_tags = build_traits(gene_table).set_index("symbol")["tags"]
    assert llm_tags.str.contains(POSE_TAG).all()
    assert not deterministic_tags.str.contains(POSE_TAG).all()  # so the LLM text made the difference
    assert (llm_tags != deterministic_tags).any()


def test_a_rerun_asks_nothing_and_writes_the_same_bytes(genes_path, fake, tmp_path) -> None:
    out = tmp_path / "out"
    assert run(genes_path, out, fake) == 0
    first = (out / "traits.parquet").read_bytes()
    asked = len(fake.requests)
    assert run(genes_path, out, fake) == 0
    assert len(fake.requests) == asked
    assert (out / "traits.parquet").read_bytes() == first


@pytest.mark.parametrize(
    "failure, problem", [("500", "answered HTTP 500: overloaded"), ("html", "returned malformed JSON")]
)
def test_failure_stops_keeps_the_cache_and_a_rerun_resumes(
    genes_path, gene_table, fake, tmp_path, capsys, failure, problem
) -> None:
    out = tmp_path / "out"
    fake.fail_after, fake.failure = 2, failure
    assert run(genes_path, out, fake) == 2
    err = capsys.readouterr().err
    assert problem in err and "run again to resume" in err and str(out / llm.CACHE_NAME) in err
    assert KEY not in err
    assert not (out / "traits.parquet").exists()  # no fallback to deterministic samples
    done = fake.symbols()[:2]
    assert [r["symbol"] for r in cache_lines(out)] == done

    fake.fail_after = None
    fake.requests.clear()
    assert run(genes_path, out, fake) == 0
    assert sorted(fake.symbols()) == sorted(set(gene_table["symbol"]) - set(done))
    traits = pd.read_parquet(out / "traits.parquet")
    assert list(traits["sample"]) == [sample_for(s) for s in traits["symbol"]]
    assert traits["sample_label"].str.endswith("-2").all()


def test_a_torn_last_line_is_asked_again(genes_path, gene_table, fake, tmp_path) -> None:
    out = tmp_path / "out"
    fake.fail_after = 3
    assert run(genes_path, out, fake) == 2
    cache = out / llm.CACHE_NAME
    lines = cache.read_bytes().splitlines(keepends=True)
    cache.write_bytes(b"".join(lines[:2]) + lines[2][:40])  # the third answer was cut by a kill
    fake.fail_after = None
    fake.requests.clear()
    assert run(genes_path, out, fake) == 0
    assert len(fake.requests) == len(gene_table) - 2
    assert len(cache_lines(out)) == len(gene_table)


def test_changed_traits_or_model_get_the_next_version(genes_path, gene_table, fake, tmp_path) -> None:
    out = tmp_path / "out"
    assert run(genes_path, out, fake) == 0
    changed = gene_table.copy()
    changed.loc[changed["symbol"] == "TP53", "summary"] = "A rewritten summary."
    changed.to_parquet(genes_path, index=False)
    fake.requests.clear()
    assert run(genes_path, out, fake) == 0
    assert fake.symbols() == ["TP53"]
    labels = pd.read_parquet(out / "traits.parquet").set_index("symbol")["sample_label"]
    assert labels["TP53"] == "TP53-3" and labels["LAIR1"] == "LAIR1-2"

    fake.requests.clear()
    assert (
        cli.main(
            [
                "traits",
                "build",
                "--genes",
                str(genes_path),
                "--out",
                str(out),
                "--writer",
                "llm",
                "--llm-model",
                "other-model",
                "--llm-base-url",
                fake.url,
                "--llm-rps",
                "1000",
            ]
        )
        == 0
    )
    assert len(fake.requests) == len(gene_table)
    traits = pd.read_parquet(out / "traits.parquet").set_index("symbol")
    assert traits.loc["TP53", "sample_label"] == "TP53-4" and traits.loc["LAIR1", "sample_label"] == "LAIR1-3"
    assert traits.loc["TP53", "sample"] == sample_for("TP53", "other-model")

    fake.requests.clear()  # back to the first model: its answers are still there, under their own labels
    assert run(genes_path, out, fake) == 0
    assert fake.requests == []
    labels = pd.read_parquet(out / "traits.parquet").set_index("symbol")["sample_label"]
    assert labels["TP53"] == "TP53-3" and labels["LAIR1"] == "LAIR1-2"


def test_limit_writes_n_then_pauses_without_a_table(genes_path, gene_table, fake, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert run(genes_path, out, fake, "--limit", "2") == 0
    assert len(fake.requests) == 2 and len(cache_lines(out)) == 2
    assert not (out / "traits.parquet").exists()
    assert f"{len(gene_table) - 2} genes still have none" in capsys.readouterr().err
    assert run(genes_path, out, fake, "--limit", "100") == 0
    assert len(fake.requests) == len(gene_table)
    assert pd.read_parquet(out / "traits.parquet")["sample_label"].str.endswith("-2").all()


def test_requests_keep_to_the_rate_limit(gene_table, fake, tmp_path) -> None:
    clock = FakeClock(start=10.0)
    fake.clock = clock
    writer = llm.make_writer("openai", base_url=fake.url, model=MODEL, api_key=KEY)
    cache, limiter = llm.SampleCache(tmp_path / llm.CACHE_NAME), RateLimiter(2.0, clock, clock.sleep)
    traits = build_traits(gene_table, samples=lambda records: llm.write_samples(records, writer, cache, limiter))
    step = 0.5 + RateLimiter.MARGIN
    assert [r["at"] for r in fake.requests] == pytest.approx([10.0 + k * step for k in range(5)])
    assert clock.sleeps == pytest.approx([step] * 4)
    assert traits["sample_label"].str.endswith("-2").all()


def test_missing_key_is_an_error_before_any_request(genes_path, fake, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv(llm.KEY_ENV)
    out = tmp_path / "out"
    assert run(genes_path, out, fake) == 2
    assert f"error: {llm.KEY_ENV} is not set" in capsys.readouterr().err
    assert fake.requests == []
    assert not out.exists()


def test_unreachable_server_is_an_error(genes_path, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    args = [
        "traits",
        "build",
        "--genes",
        str(genes_path),
        "--out",
        str(out),
        "--writer",
        "llm",
        "--llm-model",
        MODEL,
        "--llm-base-url",
        "http://127.0.0.1:9",
    ]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "could not reach http://127.0.0.1:9/chat/completions" in err and "--llm-base-url" in err
    assert not (out / "traits.parquet").exists()


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--writer", "llm"], "--writer llm needs --llm-model"),
        (["--writer", "llm", "--llm-model", MODEL, "--llm-rps", "0"], "--llm-rps must be a positive number"),
        (["--llm-model", MODEL], "--llm-model only apply with --writer llm"),
        (["--limit", "3", "--llm-rps", "5"], "--llm-rps, --limit only apply with --writer llm"),
    ],
)
def test_option_mistakes_are_errors(genes_path, tmp_path, capsys, args, problem) -> None:
    out = tmp_path / "out"
    assert cli.main(["traits", "build", "--genes", str(genes_path), "--out", str(out), *args]) == 2
    assert problem in capsys.readouterr().err
    assert not out.exists()


def test_deterministic_writer_is_the_default(genes_path, tmp_path) -> None:
    default, explicit = tmp_path / "default", tmp_path / "explicit"
    assert cli.main(["traits", "build", "--genes", str(genes_path), "--out", str(default)]) == 0
    assert (
        cli.main(["traits", "build", "--genes", str(genes_path), "--out", str(explicit), "--writer", "deterministic"])
        == 0
    )
    assert (default / "traits.parquet").read_bytes() == (explicit / "traits.parquet").read_bytes()
    traits = pd.read_parquet(default / "traits.parquet")
    assert list(traits["sample_label"]) == [text.sample_label(s, 1) for s in traits["symbol"]]
    assert not (default / llm.CACHE_NAME).exists()
