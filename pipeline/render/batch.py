"""Render portraits and blots for many genes: resumable, idempotent, content-addressed.

Each image is one job (gene, emulsion, seed). Files are named by the SHA-256
of their bytes, so re-rendering the same job rewrites the same file, and a
job counts as done once its line is in ``manifest.jsonl`` (appended and
flushed only after both files are in place). An interrupted run therefore
resumes where it stopped, and a job that fails is reported without stopping
the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import write_atomically
from ..errors import UnknownNameError
from .emulsions import Emulsion, get_emulsion

MANIFEST = "manifest.jsonl"


class UnknownGeneError(UnknownNameError):
    """Symbols that are neither current symbols nor unambiguous aliases."""


@dataclass(frozen=True)
class RenderJob:
    symbol: str
    emulsion_id: str
    seed: int

    def key(self, renderer: str, model: str) -> tuple[str, str, str, str, int]:
        return (self.symbol, renderer, model, self.emulsion_id, self.seed)


@dataclass
class RenderReport:
    rendered: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def stable_int(*parts: object) -> int:
    """A 31-bit integer from the parts, identical across processes and machines."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def resolve_symbols(requested: Iterable[str], genes: pd.DataFrame) -> list[str]:
    """Current symbols for the requested names (aliases and previous symbols accepted when unambiguous)."""
    current = set(genes["symbol"])
    other_names: dict[str, set[str]] = {}
    for column in ("prev_symbols", "aliases"):
        for symbol, names in zip(genes["symbol"], genes[column]):
            for name in names:
                other_names.setdefault(name, set()).add(symbol)
    resolved, unknown = [], []
    for name in requested:
        if name in current:
            resolved.append(name)
        elif len(other_names.get(name, ())) == 1:
            resolved.append(next(iter(other_names[name])))
        else:
            unknown.append(name)
    if unknown:
        raise UnknownGeneError(f"unknown gene symbol(s): {', '.join(unknown)}")
    return list(dict.fromkeys(resolved))


def plan_jobs(
    symbols: Sequence[str], emulsions: dict[str, Emulsion], emulsion: str | None, candidates: int, seed: int
) -> list[RenderJob]:
    """One job per gene and candidate.

    With ``emulsion`` None ("random"), each candidate's emulsion is drawn from
    a stable hash of gene, candidate and seed, so the plan is reproducible.
    Candidate k of a gene gets its own seed derived the same way.
    """
    ids = sorted(emulsions)
    if emulsion is not None:
        get_emulsion(emulsion, emulsions)
    jobs = []
    for symbol in symbols:
        for candidate in range(candidates):
            chosen = emulsion or ids[stable_int(symbol, candidate, seed, "emulsion") % len(ids)]
            jobs.append(RenderJob(symbol, chosen, seed if candidates == 1 else stable_int(symbol, candidate, seed)))
    return jobs


def read_manifest(out: Path) -> list[dict]:
    """Manifest entries; a torn last line (a crash mid-write) is ignored, not fatal."""
    path = out / MANIFEST
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


def done_keys(out: Path) -> set[tuple]:
    return {(e["symbol"], e["renderer"], e["model"], e["emulsion_id"], int(e["seed"])) for e in read_manifest(out)}


def store(out: Path, folder: str, data: bytes, suffix: str) -> tuple[str, Path]:
    """Write ``data`` under its SHA-256 name (atomically); returns the hash and the path."""
    sha = hashlib.sha256(data).hexdigest()
    path = out / folder / sha[:2] / f"{sha}.{suffix}"
    if not path.exists():
        write_atomically(path, lambda tmp: tmp.write_bytes(data))
    return sha, path


def append_manifest(out: Path, entry: dict) -> None:
    line = json.dumps(entry, sort_keys=True) + "\n"
    with open(out / MANIFEST, "a", encoding="utf-8") as fh:
        # Start on a fresh line if a previous run died mid-line.
        if fh.tell() > 0:
            with open(out / MANIFEST, "rb") as check:
                check.seek(-1, os.SEEK_END)
                if check.read(1) != b"\n":
                    fh.write("\n")
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


# A renderer turns a batch of (traits, emulsion, seed, prompt) into PNG bytes, one per job.
RenderBatch = Callable[[list[dict], list[Emulsion], list[int], list[str]], list[bytes]]


def prompt_for(traits: dict, emulsion: Emulsion) -> str:
    """Tags first (what to draw), then the emulsion's style words (how to draw it)."""
    return ", ".join(part for part in (traits.get("tags", ""), emulsion.style_words) if part)


def render_jobs(
    jobs: Sequence[RenderJob],
    traits: pd.DataFrame,
    names: dict[str, str],
    emulsions: dict[str, Emulsion],
    render_batch: RenderBatch,
    out: Path,
    renderer: str,
    model: str,
    make_blot: Callable[[bytes, str, str], tuple[bytes, str]],
    batch_size: int = 1,
    progress: Callable[[int], None] | None = None,
    on_error: Callable[[str, Exception], None] | None = None,
) -> RenderReport:
    """Render every job not yet in the manifest; record each finished image."""
    out.mkdir(parents=True, exist_ok=True)
    report = RenderReport()
    finished = done_keys(out)
    todo = [job for job in jobs if job.key(renderer, model) not in finished]
    report.skipped = len(jobs) - len(todo)
    if progress and report.skipped:
        progress(report.skipped)
    by_symbol = traits.set_index("symbol")
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        records = [dict(by_symbol.loc[job.symbol], symbol=job.symbol) for job in batch]
        batch_emulsions = [emulsions[job.emulsion_id] for job in batch]
        prompts = [prompt_for(r, e) for r, e in zip(records, batch_emulsions)]
        try:
            images = render_batch(records, batch_emulsions, [job.seed for job in batch], prompts)
        except Exception as exc:  # noqa: BLE001 - a failed batch must not stop the others
            images = [exc] * len(batch)
        for job, emulsion, prompt, image in zip(batch, batch_emulsions, prompts, images):
            try:
                if isinstance(image, Exception):
                    raise image
                sha, path = store(out, "portraits", image, "png")
                blot_bytes, blot_suffix = make_blot(image, job.symbol, names.get(job.symbol, job.symbol))
                _, blot_path = store(out, "blots", blot_bytes, blot_suffix)
                width, height = _png_size(image)
                append_manifest(out, {
                    "symbol": job.symbol, "sha256": sha, "path": str(path.relative_to(out)),
                    "blot_path": str(blot_path.relative_to(out)), "renderer": renderer, "model": model,
                    "emulsion_id": emulsion.emulsion_id, "seed": job.seed, "prompt": prompt,
                    "width": width, "height": height,
                    "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                })
                report.rendered += 1
            except Exception as exc:  # noqa: BLE001
                report.failures.append((job.symbol, f"{type(exc).__name__}: {exc}"))
                if on_error:
                    on_error(job.symbol, exc)
            if progress:
                progress(1)
    return report


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG header (no decoding)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("renderer did not return a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
