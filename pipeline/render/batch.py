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
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..atomic import write_atomically
from ..emulsions import Emulsion, get_emulsion
from .portrait import PortraitJob, RenderedPortrait, Renderer, render_portrait, render_portraits, stable_int

MANIFEST = "manifest.jsonl"


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


def render_jobs(
    jobs: Sequence[RenderJob],
    traits: pd.DataFrame,
    names: dict[str, str],
    emulsions: dict[str, Emulsion],
    renderer: Renderer,
    out: Path,
    batch_size: int = 1,
    progress: Callable[[int], None] | None = None,
    on_error: Callable[[str, Exception], None] | None = None,
) -> RenderReport:
    """Render every job not yet in the manifest through :func:`render_portraits`; record each finished image."""
    out.mkdir(parents=True, exist_ok=True)
    report = RenderReport()
    finished = done_keys(out)
    todo = [job for job in jobs if job.key(renderer.name, renderer.model) not in finished]
    report.skipped = len(jobs) - len(todo)
    if progress and report.skipped:
        progress(report.skipped)
    by_symbol = traits.set_index("symbol")
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        portrait_jobs = [
            PortraitJob(
                traits=dict(by_symbol.loc[job.symbol], symbol=job.symbol, name=names.get(job.symbol, job.symbol)),
                emulsion=emulsions[job.emulsion_id],
                seed=job.seed,
            )
            for job in batch
        ]
        for job, result in zip(batch, render_portraits(portrait_jobs, renderer), strict=True):
            try:
                if isinstance(result, Exception):
                    raise result
                record(out, result)
                report.rendered += 1
            except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the others
                report.failures.append((job.symbol, f"{type(exc).__name__}: {exc}"))
                if on_error:
                    on_error(job.symbol, exc)
            if progress:
                progress(1)
    return report


def record(out: Path, portrait: RenderedPortrait) -> None:
    """Store the portrait and its blot under their hashes, then append its manifest line (which marks it done)."""
    sha, path = store(out, "portraits", portrait.image, portrait.image_suffix)
    _, blot_path = store(out, "blots", portrait.blot, portrait.blot_suffix)
    append_manifest(
        out,
        {
            "symbol": portrait.symbol,
            "sha256": sha,
            "path": str(path.relative_to(out)),
            "blot_path": str(blot_path.relative_to(out)),
            "renderer": portrait.renderer,
            "model": portrait.model,
            "emulsion_id": portrait.emulsion_id,
            "seed": portrait.seed,
            "prompt": portrait.prompt.text,
            "negative_prompt": portrait.prompt.negative,
            "width": portrait.width,
            "height": portrait.height,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )


# --- drawing in a pool of processes ---------------------------------------------

_pool_renderer: Renderer | None = None


def portrait_pool(renderer_factory: Callable[[], Renderer], workers: int) -> ProcessPoolExecutor:
    """``workers`` processes that draw portraits (:func:`draw_in_pool`), each with its own renderer.

    ``renderer_factory`` must be importable by name (``procedural_renderer``): the processes are
    spawned, not forked, so none inherits the caller's open files or database connections, and they
    import nothing of the caller but this module and the factory's.
    """
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_pool_process,
        initargs=(renderer_factory,),
    )


def _start_pool_process(renderer_factory: Callable[[], Renderer]) -> None:
    global _pool_renderer
    _pool_renderer = renderer_factory()


def draw_in_pool(job: PortraitJob) -> RenderedPortrait:
    """One portrait, drawn in a process of :func:`portrait_pool` (its failure is raised to the caller)."""
    assert _pool_renderer is not None, "only for the processes of portrait_pool"
    return render_portrait(job, _pool_renderer)
