"""Benchmark: traits for every gene against reading the gene table.

Prints best-of-N wall times, in one run, of (a) reading genes.parquet (the
baseline), (b) traits + colours + tags for all genes, (c) the character
samples for all genes, and the ratios to the baseline. Targets on a 2-core
machine: (b) under 5 s, (c) under 30 s.

    python bench/traits.py [--genes PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from pipeline.paths import default_data_dir
from pipeline.traits import text
from pipeline.traits.aesthetics import load_mapping
from pipeline.traits.build import load_stem_features, molecular_traits


def best_of(repeat: int, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genes", type=Path, default=default_data_dir() / "genes.parquet")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.genes.exists():
        raise SystemExit(f"{args.genes} not found: run `iconoplasm data build` first")

    read_time, genes = best_of(args.repeat, lambda: pd.read_parquet(args.genes))
    mapping, features = load_mapping(), load_stem_features()
    facts = genes[["symbol", "name", "summary", "transmembrane", "clan_names"]].set_index("symbol")

    records = molecular_traits(genes, mapping, features).join(facts, on="symbol").to_dict("records")
    samples_time, samples = best_of(args.repeat, lambda: [text.write_sample(r, 1) for r in records])

    def traits_and_tags():
        traits = molecular_traits(genes, mapping, features).join(facts, on="symbol").to_dict("records")
        return [text.tags_for(r, s) for r, s in zip(traits, samples, strict=True)]

    traits_time, _ = best_of(args.repeat, traits_and_tags)
    print(f"genes: {len(genes)}")
    print(f"read gene table (baseline):   {read_time:6.2f} s")
    print(f"traits + colours + tags:      {traits_time:6.2f} s  ratio {traits_time / read_time:6.1f}  (target < 5 s)")
    print(
        f"character samples:            {samples_time:6.2f} s  ratio {samples_time / read_time:6.1f}  (target < 30 s)"
    )


if __name__ == "__main__":
    main()
