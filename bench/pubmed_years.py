"""Leave-one-out error of the PMID -> year estimator on the real anchors, by era.

Each dated PMID is estimated from the others (median of the k nearest). Three setups: every
anchor; the strong anchors only; and every anchor used but only the strong ones graded (so the
weak sources ``knowledge`` and ``density_inferred`` are never graded against themselves).

    python bench/pubmed_years.py [--sources DIR] [--k 1 3 5 7]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.genes.locate import locate, resolve_sources_dir
from pipeline.sources import pubmed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path)
    parser.add_argument("--k", type=int, nargs="+", default=[pubmed.NEIGHBOURS])
    args = parser.parse_args()
    root = resolve_sources_dir(args.sources)
    path = locate(root).newest("pubmed_anchors") if root is not None else None
    if path is None:
        raise SystemExit("no pubmed_anchors file found: pass --sources or set ICONOPLASM_SOURCES")
    every = pubmed.read_anchors(path)
    strong = pubmed.read_anchors(path, weak=False)
    print(f"anchors: {path} ({len(every)} dated PMIDs, {len(every) - len(strong)} from weak sources)")
    for k in args.k:
        setups = {
            "with weak sources, all graded": pubmed.leave_one_out(every, k),
            "without weak sources": pubmed.leave_one_out(strong, k),
            "with weak sources, strong graded": pubmed.leave_one_out(every, k, evaluate=strong),
        }
        for name, table in setups.items():
            cells = "  ".join(f"{r.era} n={r.n} ±1y={r.within_1:.0%} mae={r.mae:.2f}" for r in table.itertuples())
            print(f"k={k} {name}:\n  {cells}")


if __name__ == "__main__":
    main()
