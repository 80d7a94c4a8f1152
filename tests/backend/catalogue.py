"""A small real gene catalogue for site tests: the fixture sources through the real pipeline."""

from __future__ import annotations

from pathlib import Path

from pipeline.genes.build import build_gene_table
from pipeline.genes.locate import locate
from pipeline.traits.build import build_traits

from ..fixture_sources import write_sources


def write_catalogue(folder: Path) -> tuple[Path, Path]:
    """genes.parquet and traits.parquet for the five fixture genes, written into ``folder``."""
    genes = build_gene_table(locate(write_sources(folder / "sources")), current_year=2026).table
    traits = build_traits(genes)
    genes_path, traits_path = folder / "genes.parquet", folder / "traits.parquet"
    genes.to_parquet(genes_path, index=False)
    traits.to_parquet(traits_path, index=False)
    return genes_path, traits_path
