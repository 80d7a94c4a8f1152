"""The E-utilities adapter (`iconoplasm data fetch-pubmed-years`) against a fake esummary server on loopback."""

from __future__ import annotations

import itertools
import os
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.genes.locate import locate
from pipeline.pacing import RateLimiter
from pipeline.sources import eutils, pubmed
from pipeline.sources.eutils import EsummaryClient, EutilsError, YearCache

from ..clock import FakeClock
from ..loopback import send_json, serving, url

SECRET = "s3cr3t-ncbi-key-0123456789"


def year_of(pmid: int) -> int:
    return 1970 + pmid % 50


def record(pmid: int) -> dict[str, str]:
    return {"uid": str(pmid), "pubdate": f"{year_of(pmid)} Feb 15", "epubdate": "", "sortpubdate": ""}


def answer(ids: list[int], skip: frozenset[int] = frozenset()) -> dict[str, object]:
    kept = [pmid for pmid in ids if pmid not in skip]
    result: dict[str, object] = {"uids": [str(pmid) for pmid in kept]}
    result.update({str(pmid): record(pmid) for pmid in kept})
    return {"header": {"type": "esummary", "version": "0.3"}, "result": result}


Reply = Callable[[list[int], int], tuple[int, object] | None]


def fake_eutils(reply: Reply | None = None, clock: FakeClock | None = None):
    """A handler class recording every request's form (and the fake time it arrived at)."""
    reply = reply or (lambda ids, n: (200, answer(ids)))

    class Handler(BaseHTTPRequestHandler):
        requests: list[dict[str, str]] = []
        times: list[float] = []

        def do_POST(self) -> None:
            length = int(self.headers["content-length"])
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            Handler.requests.append({"path": self.path, **form})
            if clock is not None:
                Handler.times.append(clock.now)
            ids = [int(pmid) for pmid in form["id"].split(",")]
            reaction = reply(ids, len(Handler.requests))
            if reaction is None:  # the server dies mid-request: no answer at all
                self.close_connection = True
                self.connection.close()
                return
            status, body = reaction
            send_json(self, status, body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def client(server, clock: FakeClock | None = None, api_key: str | None = None) -> EsummaryClient:
    clock = clock or FakeClock()
    rate = eutils.RATE_WITH_KEY if api_key else eutils.RATE_WITHOUT_KEY
    return EsummaryClient(
        base_url=url(server) + "/entrez/eutils/",
        api_key=api_key,
        limiter=RateLimiter(rate, clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
        timeout=5,
    )


def asked(handler) -> list[int]:
    return [int(pmid) for request in handler.requests for pmid in request["id"].split(",")]


def cached_years(path: Path) -> dict[int, int]:
    frame = pubmed.read_pmid_years(path)
    return dict(zip(frame["pubmed_id"], frame["year"], strict=True))


IDS = list(range(1000, 1250))


@pytest.mark.parametrize(
    ("fields", "year"),
    [
        ({"pubdate": "1993 Feb 15"}, 1993),
        ({"pubdate": "1989 Sep-Oct"}, 1989),
        ({"pubdate": "2001"}, 2001),
        ({"pubdate": "Winter 1990"}, 1990),
        ({"pubdate": "", "epubdate": "2005 Mar 3", "sortpubdate": "2004/01/01 00:00"}, 2005),
        ({"pubdate": "n.d.", "epubdate": "", "sortpubdate": "1993/02/15 00:00"}, 1993),
        ({"pubdate": "1976 Jan", "epubdate": "1975 Dec 1"}, 1976),
        ({"pubdate": "", "epubdate": "", "sortpubdate": ""}, None),
        ({}, None),
        ({"uid": "5", "error": "cannot get document summary"}, None),
        ({"pubdate": "Spring 123456"}, None),
    ],
)
def test_year_of_a_record(fields, year):
    assert eutils.parse_year(fields) == year


def test_rate_limiter_spaces_calls_on_the_injected_clock():
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(7):
        limiter.wait()
        stamps.append(clock.now)
    assert stamps[0] == 100.0 and len(clock.sleeps) == 6
    assert all(1 / 3 <= b - a < 1 / 3 + 0.01 for a, b in itertools.pairwise(stamps))
    assert max(sum(s <= t < s + 1 for t in stamps) for s in stamps) == 3

    clock.now += 5  # idle time is not banked: the next call goes at once, the one after waits again
    clock.sleeps.clear()
    limiter.wait()
    limiter.wait()
    assert len(clock.sleeps) == 1 and 1 / 3 <= clock.sleeps[0] < 1 / 3 + 0.01


def test_250_ids_go_out_in_two_batches_and_land_in_the_cache(tmp_path):
    handler = fake_eutils()
    cache = tmp_path / "pubmed" / "pmid_year.tsv"
    with serving(handler) as server:
        report = eutils.fetch_years(IDS, cache, client(server))
    assert [len(r["id"].split(",")) for r in handler.requests] == [200, 50]
    assert asked(handler) == IDS
    first = handler.requests[0]
    assert first["path"] == "/entrez/eutils/esummary.fcgi"
    assert (first["db"], first["retmode"], first["tool"]) == ("pubmed", "json", "iconoplasm")
    assert "api_key" not in first and "email" not in first
    assert report.fetched == 250 and report.already_cached == 0 and report.without_year == []
    assert cache.read_text().splitlines()[0] == "pubmed_id\tyear"
    assert cached_years(cache) == {pmid: year_of(pmid) for pmid in IDS}


def test_requests_are_paced_at_3_per_second_and_10_with_an_api_key(tmp_path, monkeypatch):
    ids = list(range(1, 1001))  # 5 batches
    clock = FakeClock()
    handler = fake_eutils(clock=clock)
    with serving(handler) as server:
        eutils.fetch_years(ids, tmp_path / "plain.tsv", client(server, clock))
    gaps = [b - a for a, b in itertools.pairwise(handler.times)]
    assert len(handler.times) == 5 and all(1 / 3 <= gap < 1 / 3 + 0.01 for gap in gaps)

    monkeypatch.setenv("NCBI_API_KEY", SECRET)
    monkeypatch.setenv("NCBI_EMAIL", "someone@example.org")
    keyed_clock = FakeClock()
    keyed = fake_eutils(clock=keyed_clock)
    with serving(keyed) as server:
        from_env = eutils.client_from_environment(
            url(server) + "/entrez/eutils", clock=keyed_clock, sleep=keyed_clock.sleep
        )
        report = eutils.fetch_years(ids, tmp_path / "keyed.tsv", from_env)
    gaps = [b - a for a, b in itertools.pairwise(keyed.times)]
    assert len(keyed.times) == 5 and all(0.1 <= gap < 0.11 for gap in gaps)
    assert {r["api_key"] for r in keyed.requests} == {SECRET}
    assert {r["email"] for r in keyed.requests} == {"someone@example.org"}
    assert SECRET not in eutils.summary(report, len(ids))


def test_the_api_key_never_appears_in_an_error(tmp_path, monkeypatch):
    echo = {"error": "API rate limit exceeded", "api-key": SECRET, "count": "11", "limit": "10"}
    handler = fake_eutils(lambda ids, n: (429, echo))  # NCBI's 429 body echoes the key
    monkeypatch.setenv("NCBI_API_KEY", SECRET)
    clock = FakeClock()
    with serving(handler) as server:
        keyed = eutils.client_from_environment(url(server), clock=clock, sleep=clock.sleep)
        with pytest.raises(EutilsError) as raised:
            eutils.fetch_years([1, 2], tmp_path / "c.tsv", keyed)
    assert "HTTP 429" in str(raised.value) and SECRET not in str(raised.value)
    assert len(handler.requests) == eutils.RETRIES + 1

    handler = fake_eutils(lambda ids, n: (200, {"error": f"Invalid api_key {SECRET}"}))
    with serving(handler) as server:
        keyed = eutils.client_from_environment(url(server), clock=clock, sleep=clock.sleep)
        with pytest.raises(EutilsError) as raised:
            eutils.fetch_years([1, 2], tmp_path / "c.tsv", keyed)
    assert "Invalid api_key ***" in str(raised.value) and SECRET not in str(raised.value)


def test_a_429_then_success_is_retried_after_a_backoff(tmp_path):
    handler = fake_eutils(lambda ids, n: (429, {"error": "API rate limit exceeded"}) if n == 1 else (200, answer(ids)))
    clock = FakeClock()
    cache = tmp_path / "c.tsv"
    with serving(handler) as server:
        report = eutils.fetch_years([7, 8, 9], cache, client(server, clock))
    assert len(handler.requests) == 2 and report.fetched == 3
    assert 1.0 in clock.sleeps  # the first backoff, on top of the rate limit's spacing
    assert cached_years(cache) == {7: year_of(7), 8: year_of(8), 9: year_of(9)}


def test_a_persistent_5xx_gives_up_with_a_clear_error_but_a_4xx_is_not_retried(tmp_path):
    handler = fake_eutils(lambda ids, n: (503, {"error": "busy"}))
    clock = FakeClock()
    with serving(handler) as server, pytest.raises(EutilsError) as raised:
        eutils.fetch_years([7, 8], tmp_path / "c.tsv", client(server, clock))
    assert len(handler.requests) == eutils.RETRIES + 1
    assert [s for s in clock.sleeps if s >= 1] == [1.0, 2.0, 4.0, 8.0]
    message = str(raised.value)
    assert f"failed after {eutils.RETRIES + 1} attempts: HTTP 503" in message and "rerun" in message

    handler = fake_eutils(lambda ids, n: (400, {"error": "bad request"}))
    with serving(handler) as server, pytest.raises(EutilsError, match="HTTP 400"):
        eutils.fetch_years([7, 8], tmp_path / "c.tsv", client(server, clock))
    assert len(handler.requests) == 1


def test_resume_after_the_server_dies_asks_only_for_the_rest(tmp_path):
    dying = fake_eutils(lambda ids, n: (200, answer(ids)) if n == 1 else None)
    cache = tmp_path / "pubmed" / "pmid_year.tsv"
    with serving(dying) as server, pytest.raises(EutilsError) as raised:
        eutils.fetch_years(IDS, cache, client(server))
    message = str(raised.value)
    assert "network error" in message
    assert f"200 ids answered this run are saved in {cache}" in message
    assert "resume with the remaining 50 ids" in message
    assert cached_years(cache) == {pmid: year_of(pmid) for pmid in IDS[:200]}

    healthy = fake_eutils()
    with serving(healthy) as server:
        report = eutils.fetch_years(IDS, cache, client(server))
    assert asked(healthy) == IDS[200:]
    assert (report.fetched, report.already_cached) == (50, 200)
    assert cached_years(cache) == {pmid: year_of(pmid) for pmid in IDS}


def test_a_torn_last_line_is_ignored_and_cut_off_before_appending(tmp_path):
    cache = tmp_path / "pmid_year.tsv"
    cache.write_text("pubmed_id\tyear\n1001\t1971\n1002\t19")  # killed while writing 1002's line
    assert YearCache(cache).load() == {1001: 1971}
    handler = fake_eutils()
    with serving(handler) as server:
        report = eutils.fetch_years([1001, 1002, 1003], cache, client(server))
    assert asked(handler) == [1002, 1003] and report.already_cached == 1
    assert cache.read_text() == f"pubmed_id\tyear\n1001\t1971\n1002\t{year_of(1002)}\n1003\t{year_of(1003)}\n"

    torn_header = tmp_path / "torn_header.tsv"
    torn_header.write_text("pubmed_i")
    with serving(fake_eutils()) as server:
        eutils.fetch_years([1004], torn_header, client(server))
    assert torn_header.read_text() == f"pubmed_id\tyear\n1004\t{year_of(1004)}\n"


def test_a_foreign_table_is_not_appended_to(tmp_path):
    cache = tmp_path / "pmid_year.tsv"
    cache.write_text("pmid,year\n1,1990\n")
    with pytest.raises(EutilsError, match="not a year cache written by this command"):
        eutils.fetch_years([1], cache, EsummaryClient(base_url="http://127.0.0.1:9"))
    assert cache.read_text() == "pmid,year\n1,1990\n"


def test_malformed_json_is_a_clear_error_and_earlier_batches_are_kept(tmp_path):
    handler = fake_eutils(lambda ids, n: (200, answer(ids)) if n == 1 else (200, b'{"result": {"uids": ['))
    cache = tmp_path / "c.tsv"
    with serving(handler) as server, pytest.raises(EutilsError) as raised:
        eutils.fetch_years(IDS, cache, client(server))
    assert "malformed JSON" in str(raised.value) and "remaining 50 ids" in str(raised.value)
    assert len(handler.requests) == 2  # a malformed answer is not retried
    assert sorted(cached_years(cache)) == IDS[:200]

    no_result = fake_eutils(lambda ids, n: (200, {"header": {}, "esummaryresult": ["Something went wrong"]}))
    with serving(no_result) as server, pytest.raises(EutilsError, match="without a 'result'"):
        eutils.fetch_years(IDS, cache, client(server))


def test_a_partial_answer_keeps_what_came_and_the_rerun_asks_for_the_rest(tmp_path):
    left_out = frozenset({1003, 1050, 1199})
    handler = fake_eutils(lambda ids, n: (200, answer(ids, skip=left_out)))
    cache = tmp_path / "c.tsv"
    with serving(handler) as server, pytest.raises(EutilsError) as raised:
        eutils.fetch_years(IDS, cache, client(server))
    message = str(raised.value)
    assert "left 3 of 200 requested ids out of its answer (1003, 1050, 1199)" in message
    assert "197 ids answered this run are saved" in message and "remaining 53 ids" in message
    assert sorted(cached_years(cache)) == sorted(set(IDS[:200]) - left_out)

    with serving(fake_eutils()) as server:
        eutils.fetch_years(IDS, cache, client(server))
    assert sorted(cached_years(cache)) == IDS


def test_records_without_a_year_are_remembered_and_never_guessed(tmp_path):
    def reply(ids: list[int], n: int) -> tuple[int, object]:
        body = answer(ids)
        result = body["result"]
        assert isinstance(result, dict)
        result["5"] = {"uid": "5", "error": "cannot get document summary"}
        result["6"] = {"uid": "6", "pubdate": "", "epubdate": "", "sortpubdate": ""}
        return 200, body

    handler = fake_eutils(reply)
    cache = tmp_path / "c.tsv"
    with serving(handler) as server:
        report = eutils.fetch_years([4, 5, 6], cache, client(server))
        assert report.fetched == 1 and report.without_year == [5, 6]
        assert "1 years, 0 already cached, 2 without a year (5, 6;" in eutils.summary(report, 3)
        again = eutils.fetch_years([4, 5, 6], cache, client(server))
    assert len(handler.requests) == 1 and again.already_cached == 3
    assert cache.read_text() == f"pubmed_id\tyear\n4\t{year_of(4)}\n5\tnone\n6\tnone\n"
    assert cached_years(cache) == {4: year_of(4)}  # what `data build` reads: no year is no row


def test_limit_asks_for_at_most_n_new_ids(tmp_path):
    handler = fake_eutils()
    with serving(handler) as server:
        report = eutils.fetch_years(IDS, tmp_path / "c.tsv", client(server), limit=30)
    assert asked(handler) == IDS[:30] and report.left == 220
    assert "220 left for a later run (--limit)" in eutils.summary(report, len(IDS))


def test_a_sources_folder_without_write_bits_is_read_only_even_for_root(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    home = tmp_path / "home" / "sources"
    assert eutils.choose_cache_dir(sources, None, home) == (sources / "pubmed", "")
    sources.chmod(0o555)
    try:
        chosen, note = eutils.choose_cache_dir(sources, None, home)
        assert chosen == home / "pubmed" and "is not writable" in note
        assert eutils.choose_cache_dir(sources, tmp_path / "mine", home) == (tmp_path / "mine", "")
    finally:
        sources.chmod(0o755)


# --- the command line, end to end, on a fixture sources folder --------------------------------

ANCHORS = [(90, 1975), (150, 1980), (250, 1985), (350, 1990), (5000, 1995), (9000, 2000), (20000, 2010)]


def command_sources(fixture_sources: Path) -> Path:
    """The fixture folder with its own gene -> PubMed links, exact years and anchors (independent of the shared fixture's)."""
    links = [(7157, 100), (7157, 200), (7157, 5000), (7157, 9000), (3903, 300), (3903, 310), (3903, 20000)]
    gene2pubmed = fixture_sources / "ncbi_gene_orgHs" / "gene2pubmed.tsv.gz"
    gene2pubmed.unlink()
    (fixture_sources / "ncbi_gene_orgHs" / "gene2pubmed.tsv").write_text(
        "entrez_id\tpubmed_id\n" + "".join(f"{gene}\t{pmid}\n" for gene, pmid in links)
    )
    (fixture_sources / "pubmed" / "pmid_year.tsv").write_text("pubmed_id\tyear\n100\t1979\n200\t1990\n300\t2999\n")
    anchors = fixture_sources / "pubmed_anchors" / "pmid_year_anchors.tsv"
    anchors.parent.mkdir(exist_ok=True)  # replaces any anchors the shared fixture writes
    anchors.write_text("pmid\tyear\tsource\n" + "".join(f"{p}\t{y}\tpubmedxml\n" for p, y in ANCHORS))
    return fixture_sources


def test_command_fetches_the_candidates_and_resumes(fixture_sources, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ICONOPLASM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NCBI_API_KEY", SECRET)
    sources = command_sources(fixture_sources)
    candidates = eutils.candidate_ids(locate(sources), per_gene=3)
    assert candidates == [100, 200, 300, 310, 5000, 20000]  # 9000 is TP53's fourth-earliest paper
    handler = fake_eutils()
    argv = ["data", "fetch-pubmed-years", "--sources", str(sources), "--per-gene", "3"]
    with serving(handler) as server:
        assert cli.main([*argv, "--base-url", url(server), "--limit", "1"]) == 0
        first = capsys.readouterr()
        assert cli.main([*argv, "--base-url", url(server)]) == 0
        second = capsys.readouterr()
    new = [310, 5000, 20000]  # the fixture's table already dates 100, 200 and 300
    assert asked(handler) == new
    assert f"fetched 1 years, {len(candidates) - len(new)} already cached" in first.out
    assert f"fetched {len(new) - 1} years, {len(candidates) - len(new) + 1} already cached" in second.out
    assert "PubMed years" in first.err  # the progress bar, on stderr
    assert SECRET not in first.out + first.err + second.out + second.err
    cache = sources / "pubmed" / "pmid_year.tsv"
    assert cached_years(cache) == {100: 1979, 200: 1990, 300: 2999, **{p: year_of(p) for p in new}}
    assert locate(sources).newest("pubmed_years") == cache


def test_command_caches_in_the_home_folder_when_the_sources_are_read_only(
    fixture_sources, tmp_path, monkeypatch, capsys
):
    home = tmp_path / "home"
    monkeypatch.setenv("ICONOPLASM_HOME", str(home))
    sources = command_sources(fixture_sources)
    for path in (sources / "pubmed").iterdir():
        path.unlink()
    (sources / "pubmed").rmdir()
    sources.chmod(0o555)
    try:
        with serving(fake_eutils()) as server:
            code = cli.main(["data", "fetch-pubmed-years", "--sources", str(sources), "--base-url", url(server)])
        out = capsys.readouterr()
        assert code == 0
        assert "is not writable; caching in" in out.err
        assert not (sources / "pubmed").exists()
        cache = home / "sources" / "pubmed" / "pmid_year.tsv"
        assert cached_years(cache) and locate(sources).newest("pubmed_years") == cache  # `data build` finds it
    finally:
        sources.chmod(0o755)


def test_command_errors_exit_2_with_what_was_kept(fixture_sources, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ICONOPLASM_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    sources = command_sources(fixture_sources)
    handler = fake_eutils(lambda ids, n: (200, b"<html>maintenance</html>"))
    with serving(handler) as server:
        code = cli.main(["data", "fetch-pubmed-years", "--sources", str(sources), "--base-url", url(server)])
    err = capsys.readouterr().err
    assert code == 2
    assert "error: E-utilities answered malformed JSON" in err and "rerun the same command to resume" in err
    assert "Traceback" not in err

    (sources / "pubmed_anchors" / "pmid_year_anchors.tsv").unlink()
    assert cli.main(["data", "fetch-pubmed-years", "--sources", str(sources)]) == 2
    assert "pmid_year_anchors.tsv not found" in capsys.readouterr().err


def test_cache_file_is_fsynced_per_batch(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(eutils.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    with serving(fake_eutils()) as server:
        eutils.fetch_years(IDS, tmp_path / "c.tsv", client(server))
    assert len(synced) == 3  # the header, then one per batch
