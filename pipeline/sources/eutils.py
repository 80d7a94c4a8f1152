"""Exact publication years from NCBI E-utilities (``esummary``, db=pubmed), cached and resumable.

Only the standard library is used. Requests go out in batches of at most
:data:`BATCH_SIZE` ids, at most 3 per second (10 with an NCBI API key), and a
429 or 5xx answer (or a dropped connection) is retried with backoff. Every
answered batch is appended to a cache table (``pubmed_id``, ``year``; the year
is :data:`NO_YEAR` for a record PubMed answers without a usable date) and
flushed to disk before the next request, so an interrupted run loses at most the
batch in flight and a rerun asks only for the ids not yet cached.

The API key is sent in the POST body, never in a URL, and is scrubbed from
every message.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IconoplasmError
from ..pacing import RateLimiter
from .base import MissingSourceError

if TYPE_CHECKING:
    from ..genes.locate import SourceSet

DEFAULT_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
BATCH_SIZE = 200
RATE_WITHOUT_KEY = 3.0
RATE_WITH_KEY = 10.0
CACHE_NAME = "pmid_year.tsv"
ANCHORS = "pubmed_anchors/pmid_year_anchors.tsv"
CACHE_HEADER = "pubmed_id\tyear"
NO_YEAR = "none"
TOOL = "iconoplasm"
RETRIES = 4
MAX_RETRY_AFTER = 60.0

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


class EutilsError(IconoplasmError):
    """E-utilities could not be asked, or answered something unusable; what was fetched is kept."""


def parse_year(record: Mapping[str, object]) -> int | None:
    """The publication year of one esummary record, or None when it has none (or is an error entry).

    ``pubdate`` ("1993 Feb 15", "1989 Sep-Oct", "2001", "Winter 1990") comes
    first; ``epubdate`` and then ``sortpubdate`` ("1993/02/15 00:00") are used
    only when pubdate carries no year.
    """
    if record.get("error"):
        return None
    for key in ("pubdate", "epubdate", "sortpubdate"):
        value = record.get(key)
        if isinstance(value, str):
            match = _YEAR.search(value)
            if match:
                return int(match.group(1))
    return None


@dataclass
class BatchAnswer:
    """One esummary answer: a year (or None) per answered id, and the requested ids it left out."""

    years: dict[int, int | None]
    missing: list[int]


class EsummaryClient:
    """POSTs ``esummary.fcgi?db=pubmed&retmode=json`` for batches of PubMed ids."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None = None,
        email: str | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 60.0,
        retries: int = RETRIES,
    ) -> None:
        self.url = base_url.rstrip("/") + "/esummary.fcgi"
        self.api_key = api_key or None
        self.email = email or None
        self.limiter = limiter or RateLimiter(RATE_WITH_KEY if self.api_key else RATE_WITHOUT_KEY, sleep=sleep)
        self.sleep = sleep
        self.timeout = timeout
        self.retries = retries

    def redact(self, text: str) -> str:
        return text.replace(self.api_key, "***") if self.api_key else text

    def fetch(self, ids: list[int]) -> BatchAnswer:
        if not 0 < len(ids) <= BATCH_SIZE:
            raise ValueError(f"a batch holds 1 to {BATCH_SIZE} ids, not {len(ids)}")
        payload = self._post(ids)
        return self._parse(payload, ids)

    def _form(self, ids: list[int]) -> bytes:
        fields = {"db": "pubmed", "retmode": "json", "id": ",".join(map(str, ids)), "tool": TOOL}
        if self.email:
            fields["email"] = self.email
        if self.api_key:
            fields["api_key"] = self.api_key
        return urllib.parse.urlencode(fields).encode()

    def _post(self, ids: list[int]) -> bytes:
        body = self._form(ids)
        problem, retry_after = "", ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff(attempt, retry_after))
            self.limiter.wait()
            request = urllib.request.Request(
                self.url,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "iconoplasm-data-fetch"},
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as exc:
                # The body is never quoted: NCBI's 429 answer echoes the API key.
                retry_after = (exc.headers.get("Retry-After") if exc.headers else None) or ""
                exc.close()
                if exc.code != 429 and exc.code < 500:
                    raise EutilsError(self.redact(f"E-utilities answered HTTP {exc.code} {exc.reason}")) from None
                problem = f"HTTP {exc.code} {exc.reason}"
            except (urllib.error.URLError, OSError) as exc:
                reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                problem, retry_after = f"network error ({reason})", ""
        raise EutilsError(self.redact(f"E-utilities failed after {self.retries + 1} attempts: {problem}"))

    @staticmethod
    def backoff(attempt: int, retry_after: str) -> float:
        """Seconds before retry ``attempt`` (1, 2, 4, ...), or the server's Retry-After (capped)."""
        try:
            return min(max(float(retry_after), 0.0), MAX_RETRY_AFTER)
        except ValueError:
            return float(2 ** (attempt - 1))

    def _parse(self, payload: bytes, ids: list[int]) -> BatchAnswer:
        try:
            document = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EutilsError(f"E-utilities answered malformed JSON ({exc})") from None
        result = document.get("result") if isinstance(document, dict) else None
        if not isinstance(result, dict):
            detail = document.get("error") if isinstance(document, dict) else None
            said = f": {str(detail)[:200]}" if detail else ""
            raise EutilsError(self.redact(f"E-utilities answered JSON without a 'result'{said}"))
        years: dict[int, int | None] = {}
        for pmid in ids:
            record = result.get(str(pmid))
            if isinstance(record, dict):
                years[pmid] = parse_year(record)
        return BatchAnswer(years=years, missing=[pmid for pmid in ids if pmid not in years])


class YearCache:
    """The append-only ``pubmed_id\\tyear`` table; a torn last line (no newline) is ignored and cut off."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[int, int | None]:
        if not self.path.exists():
            return {}
        data = self.path.read_bytes()
        lines = data.split(b"\n")[:-1]  # whatever follows the last newline is torn
        if not lines:
            return {}
        if lines[0].decode("utf-8", "replace").rstrip("\r") != CACHE_HEADER:
            raise EutilsError(
                f"{self.path} is not a year cache written by this command (its header is not "
                f"'pubmed_id<TAB>year'); move it away or pass --cache DIR"
            )
        known: dict[int, int | None] = {}
        for line in lines[1:]:
            pmid, _, year = line.decode("utf-8", "replace").rstrip("\r").partition("\t")
            if pmid.strip().isdigit():
                known[int(pmid)] = int(year) if year.strip().isdigit() else None
        return known

    def prepare(self) -> None:
        """Create the file with its header, or cut a torn last line off before appending."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists() or self.path.stat().st_size == 0:
            with open(self.path, "w", encoding="utf-8") as fh:
                fh.write(CACHE_HEADER + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            return
        data = self.path.read_bytes()
        if not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            with open(self.path, "r+b") as fh:
                if keep == 0:
                    fh.write((CACHE_HEADER + "\n").encode())
                    keep = len(CACHE_HEADER) + 1
                fh.truncate(keep)
                fh.flush()
                os.fsync(fh.fileno())

    def append(self, years: Mapping[int, int | None]) -> None:
        if not years:
            return
        text = "".join(f"{pmid}\t{NO_YEAR if year is None else year}\n" for pmid, year in years.items())
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())


@dataclass
class FetchReport:
    cache: Path
    fetched: int = 0
    without_year: list[int] = field(default_factory=list)
    already_cached: int = 0
    left: int = 0  # ids still unasked because of ``limit``


def pending_ids(ids: Iterable[int], known: Mapping[int, object]) -> tuple[list[int], int]:
    """Unique ids in order that are not in the cache, and how many requested ids already are."""
    seen: set[int] = set()
    todo: list[int] = []
    cached = 0
    for pmid in ids:
        pmid = int(pmid)
        if pmid in seen:
            continue
        seen.add(pmid)
        if pmid in known:
            cached += 1
        else:
            todo.append(pmid)
    return todo, cached


def fetch_years(
    ids: Iterable[int],
    cache_path: Path,
    client: EsummaryClient,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> FetchReport:
    """Ask E-utilities for the years of ``ids`` not yet in ``cache_path``, appending each batch to it.

    Raises :class:`EutilsError` on the first unusable batch; every earlier batch
    (and the answered part of a partial one) is already on disk.
    """
    cache = YearCache(cache_path)
    try:
        known = cache.load()
        todo, cached = pending_ids(ids, known)
        report = FetchReport(cache=cache_path, already_cached=cached)
        if limit is not None and len(todo) > limit:
            report.left = len(todo) - limit
            todo = todo[:limit]
        if on_start is not None:
            on_start(len(todo))
        if not todo:
            return report
        cache.prepare()
    except OSError as exc:
        raise EutilsError(f"cannot use the year cache {cache_path}: {exc.strerror or exc}; pass --cache DIR") from None
    for start in range(0, len(todo), BATCH_SIZE):
        batch = todo[start : start + BATCH_SIZE]
        try:
            answer = client.fetch(batch)
            cache.append(answer.years)
        except EutilsError as exc:
            raise EutilsError(_kept(str(exc), report, len(todo) - start)) from None
        except OSError as exc:
            raise EutilsError(
                _kept(f"cannot write the year cache {cache_path}: {exc.strerror or exc}", report, len(todo) - start)
            ) from None
        report.fetched += sum(year is not None for year in answer.years.values())
        report.without_year += [pmid for pmid, year in answer.years.items() if year is None]
        if answer.missing:
            shown = ", ".join(map(str, answer.missing[:5])) + (", ..." if len(answer.missing) > 5 else "")
            raise EutilsError(
                _kept(
                    f"E-utilities left {len(answer.missing)} of {len(batch)} requested ids out of its answer ({shown})",
                    report,
                    len(todo) - start - len(answer.years),
                )
            )
        if progress is not None:
            progress(len(batch))
    return report


def _kept(problem: str, report: FetchReport, remaining: int) -> str:
    kept = report.fetched + len(report.without_year)
    return (
        f"{problem}. Kept: {kept} ids answered this run are saved in {report.cache} "
        f"({report.already_cached} were cached before); rerun the same command to resume with the "
        f"remaining {remaining + report.left} ids."
    )


def candidate_ids(sources: SourceSet, per_gene: int = 3) -> list[int]:
    """Each gene's ``per_gene`` earliest candidate papers (:func:`pubmed.fetch_candidates`)."""
    from . import ncbi, pubmed

    links = sources.newest("ncbi_gene2pubmed")
    if links is None:
        raise MissingSourceError(
            f"{sources.root / 'ncbi_gene_orgHs/gene2pubmed.tsv'} not found: the gene -> PubMed links "
            "say which papers to date"
        )
    anchors = sources.newest("pubmed_anchors") or sources.root / ANCHORS
    if not anchors.is_file():
        raise MissingSourceError(f"{anchors} not found: the dated PubMed ids pick each gene's earliest papers")
    return pubmed.fetch_candidates(ncbi.read_gene2pubmed(links), pubmed.read_anchors(anchors), per_gene)


def summary(report: FetchReport, candidates: int) -> str:
    """The closing line of a run."""
    text = (
        f"{candidates} candidate ids: fetched {report.fetched} years, {report.already_cached} already cached, "
        f"{len(report.without_year)} without a year"
    )
    if report.without_year:
        shown = ", ".join(map(str, report.without_year[:5])) + (", ..." if len(report.without_year) > 5 else "")
        text += f" ({shown}; remembered, not asked again)"
    if report.left:
        text += f"; {report.left} left for a later run (--limit)"
    return f"{text}; cache: {report.cache}"


def client_from_environment(
    base_url: str = DEFAULT_BASE_URL,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> EsummaryClient:
    """A client with ``NCBI_API_KEY`` (10 requests/s instead of 3) and ``NCBI_EMAIL`` from the environment."""
    environ = os.environ if environ is None else environ
    api_key = environ.get("NCBI_API_KEY", "").strip() or None
    rate = RATE_WITH_KEY if api_key else RATE_WITHOUT_KEY
    return EsummaryClient(
        base_url=base_url,
        api_key=api_key,
        email=environ.get("NCBI_EMAIL", "").strip() or None,
        limiter=RateLimiter(rate, clock=clock, sleep=sleep),
        sleep=sleep,
    )


def writable(directory: Path) -> bool:
    """Whether files can be created in ``directory`` (or the nearest existing folder above it).

    A folder without any write bit counts as read-only even for root, who could
    otherwise write into a shared, deliberately read-only sources folder.
    """
    probe = directory
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    if not probe.is_dir():
        return False
    if probe == directory and (directory / CACHE_NAME).exists():
        target = directory / CACHE_NAME
        return os.access(target, os.W_OK) and bool(target.stat().st_mode & 0o222)
    return os.access(probe, os.W_OK | os.X_OK) and bool(
        probe.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    )


def choose_cache_dir(sources: Path, explicit: Path | None, home_sources: Path) -> tuple[Path, str]:
    """Where the year cache goes, and a note when that is not ``<sources>/pubmed``.

    An explicit ``--cache`` wins; else ``<sources>/pubmed`` when writable; else
    ``<home_sources>/pubmed`` (``$ICONOPLASM_HOME/sources/pubmed``), where
    ``iconoplasm data build`` also looks for the PMID -> year table.
    """
    if explicit is not None:
        return explicit, ""
    preferred = sources / "pubmed"
    if writable(preferred):
        return preferred, ""
    fallback = home_sources / "pubmed"
    return fallback, (
        f"{preferred} is not writable; caching in {fallback} instead "
        "(`iconoplasm data build` reads it from there too; --cache DIR picks another folder)"
    )
