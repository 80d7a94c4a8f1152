"""Read-only queries about the gene table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class GeneTableStatus:
    built: bool
    genes: int
    path: Path


def gene_table_status(data_dir: Path | None = None) -> GeneTableStatus:
    """Whether the gene table has been built, and how many genes it holds."""
    data_dir = data_dir or settings.ICONOPLASM_DATA_DIR
    coverage_path = data_dir / "coverage.json"
    if not (data_dir / "genes.parquet").exists() or not coverage_path.exists():
        return GeneTableStatus(built=False, genes=0, path=data_dir)
    genes = json.loads(coverage_path.read_text())["genes"]
    return GeneTableStatus(built=True, genes=int(genes), path=data_dir)
