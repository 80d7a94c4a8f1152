"""Read-only queries about genes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pipeline.genes.names import NameTables, resolve_name

from .models import Gene, GeneName


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


def find_gene(name: str) -> tuple[Gene, str] | None:
    """The gene a name refers to and how it matched (``symbol``, ``previous``, ``alias``); None when
    it names no gene or several.

    The shared rule decides (``pipeline.genes.names.resolve_name``: approved symbol, then a previous
    symbol of exactly one gene, then an alias of exactly one gene). It reads only the entries for
    ``name``, so two indexed queries give it everything: the gene whose symbol it is, and the genes
    that have it as another name.
    """
    approved = Gene.objects.filter(symbol=name).first()
    others = list(GeneName.objects.filter(name=name).select_related("gene"))
    owners = {
        kind: frozenset(row.gene.symbol for row in others if row.kind == kind)
        for kind in (GeneName.PREVIOUS, GeneName.ALIAS)
    }
    tables = NameTables(
        symbols=frozenset([approved.symbol] if approved else []),
        previous={name: owners[GeneName.PREVIOUS]} if owners[GeneName.PREVIOUS] else {},
        aliases={name: owners[GeneName.ALIAS]} if owners[GeneName.ALIAS] else {},
    )
    resolution = resolve_name(name, tables)
    if resolution is None:
        return None
    genes = {gene.symbol: gene for gene in [approved, *(row.gene for row in others)] if gene is not None}
    return genes[resolution.symbol], resolution.matched_by


def gene_count() -> int:
    return Gene.objects.count()


# Plot files are named like ``hue_by_letter.png``; nothing else in the folder is ever served.
PLOT_NAME = re.compile(r"[a-z0-9_]{1,64}")


def plots_dir() -> Path:
    """Where ``iconoplasm traits build`` writes the genome plots."""
    return settings.ICONOPLASM_DATA_DIR / "plots"


def genome_plots() -> list[str]:
    """Names (without ``.png``) of the genome plots that have been built, sorted."""
    folder = plots_dir()
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.png") if PLOT_NAME.fullmatch(path.stem) and path.is_file())


def genome_plot_path(name: str) -> Path | None:
    """The PNG of plot ``name`` if it is a safe plot name and the file exists."""
    if not PLOT_NAME.fullmatch(name):
        return None
    path = plots_dir() / f"{name}.png"
    return path if path.is_file() else None
