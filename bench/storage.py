"""Benchmark: what a gene's images cost on disk, as the site stores them.

For real genes from the traits table, each drawn at full size (768×1024) by the procedural renderer
through the one portrait path (:func:`pipeline.render.portrait.render_portrait`, which stores the
portrait and its blot as :func:`pipeline.images.encode_stored` encodes them), in the same run:

* **stored**: portrait + blot bytes per gene, as the site writes them;
* **baseline**: the same two images as PNGs (the renderer's own PNG, and the blot as PNG), what a
  gene cost before images were stored compactly. The ratio stored / baseline is printed.

Measured for the default emulsion (what the backfill draws for every gene) and for every emulsion
the procedural renderer draws (a few genes each), with the mean per texture and the emulsions that
cost most, and the estimate for the whole table (19,290 genes). Target: <= 52 KB per gene, for the
default emulsion and on average over all emulsions.

    python bench/storage.py [--genes 12] [--per-emulsion 2] [--data DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TABLE_GENES = 19_290
TARGET_KB = 52.0


def measure(records: list[dict], emulsion) -> list[tuple[int, int, float]]:
    """(stored bytes, baseline bytes, seconds of the portrait path) per gene, for one emulsion."""
    from pipeline.render import portrait as path
    from pipeline.render.blot import make_blot
    from pipeline.render.renderers import procedural_renderer

    renderer = procedural_renderer()
    rows = []
    for record in records:
        job = path.PortraitJob(traits=record, emulsion=emulsion, seed=0)
        started = time.process_time()
        stored = path.render_portrait(job, renderer)
        seconds = time.process_time() - started
        [png] = renderer.draw([job], [path.prompt_for(record, emulsion)])
        baseline = len(png) + len(make_blot(png, job.symbol, job.name, fmt="png"))
        rows.append((len(stored.image) + len(stored.blot), baseline, seconds))
    return rows


def kb(values) -> float:
    return statistics.fmean(values) / 1024


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from pipeline.emulsions import DEFAULT_EMULSION_ID, procedural_emulsions
    from pipeline.paths import default_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genes", type=int, default=12, help="genes drawn in the default emulsion")
    parser.add_argument("--per-emulsion", type=int, default=2, help="genes drawn in each other emulsion")
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="folder with traits.parquet")
    args = parser.parse_args(argv)
    if not (args.data / "traits.parquet").exists():
        raise SystemExit(
            f"{args.data / 'traits.parquet'} not found: run `iconoplasm data build` and `iconoplasm traits build`"
        )
    traits = pd.read_parquet(args.data / "traits.parquet").sample(n=max(args.genes, args.per_emulsion), random_state=7)
    records = [dict(row, name=row.get("name") or row["symbol"]) for _, row in traits.iterrows()]
    emulsions = procedural_emulsions()

    default = measure(records[: args.genes], emulsions[DEFAULT_EMULSION_ID])
    stored, baseline, seconds = zip(*default, strict=True)
    print(f"storage: real genes at 768x1024, portrait + blot per gene (target <= {TARGET_KB:.0f} KB)")
    print(
        f"  default emulsion {DEFAULT_EMULSION_ID}, {len(default)} genes: {kb(stored):6.1f} KB/gene"
        f"  (baseline PNG {kb(baseline):6.1f} KB, ratio {sum(stored) / sum(baseline):.3f})"
        f"  -> {kb(stored) * TABLE_GENES / 1024**2:.2f} GB for {TABLE_GENES:,} genes"
        f"  ({statistics.fmean(seconds) * 1000:.0f} ms CPU per gene, drawing included)"
    )

    per_emulsion: dict[str, list[tuple[int, int, float]]] = {}
    for emulsion_id, emulsion in sorted(emulsions.items()):
        # each emulsion gets its own genes from the sample, so the mean covers more than a few characters
        start = (len(per_emulsion) * args.per_emulsion) % len(records)
        chosen = (records[start:] + records[:start])[: args.per_emulsion]
        per_emulsion[emulsion_id] = measure(chosen, emulsion)
    means = {eid: kb(stored for stored, _, _ in rows) for eid, rows in per_emulsion.items()}
    all_stored = [stored for rows in per_emulsion.values() for stored, _, _ in rows]
    all_baseline = [base for rows in per_emulsion.values() for _, base, _ in rows]
    mean = statistics.fmean(means.values())
    print(
        f"  all {len(means)} procedural emulsions, {args.per_emulsion} genes each: {mean:6.1f} KB/gene mean"
        f"  (baseline PNG {kb(all_baseline):6.1f} KB, ratio {sum(all_stored) / sum(all_baseline):.3f})"
        f"  -> {mean * TABLE_GENES / 1024**2:.2f} GB for {TABLE_GENES:,} genes in a random mix"
    )
    by_texture: dict[str, list[float]] = defaultdict(list)
    for eid, value in means.items():
        by_texture[f"{emulsions[eid].texture.value}/{emulsions[eid].finish.value}"].append(value)
    print("  by texture/finish (KB/gene, emulsions):")
    for name, values in sorted(by_texture.items(), key=lambda item: -statistics.fmean(item[1])):
        over = "  over" if statistics.fmean(values) > TARGET_KB else ""
        print(f"    {name:28s} {statistics.fmean(values):6.1f}  ({len(values)}){over}")
    worst = sorted(means.items(), key=lambda item: -item[1])[:8]
    print("  costliest: " + ", ".join(f"{eid} {emulsions[eid].name} {value:.0f} KB" for eid, value in worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
