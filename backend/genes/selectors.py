"""Read-only queries about genes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Length

from pipeline.genes.names import NameTables, publication_spellings, resolve_name

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


# How a typed name matched when only another case of it is a gene's name (find_typed_gene).
SYMBOL_CASE, PREVIOUS_CASE, ALIAS_CASE = "symbol_case", "previous_case", "alias_case"


def find_typed_gene(name: str) -> tuple[Gene, str] | None:
    """The gene a person typed (in a URL, the search box, a form) and how it matched; None when it
    names no gene or several. The one lookup for typed names: the pages, search and the card API use it.

    1. :func:`find_gene`'s exact rule first (``symbol``, ``previous``, ``alias``): ``p53`` is
       TP53's alias as written, whatever gene ``P53`` may be.
    2. Otherwise the name in any case, by the same order of kinds: the approved symbol that equals
       it ignoring case (``tp53`` → TP53, ``symbol_case``), else the previous symbol, else the alias
       (``previous_case``, ``alias_case``), each only when exactly one gene has it; a kind shared
       by several genes decides, as none of them. Two more queries, run only when step 1 misses.
    """
    name = name.strip()
    if not name:
        return None
    found = find_gene(name)
    if found is not None:
        return found
    symbols = list(Gene.objects.filter(symbol__iexact=name)[:2])
    if symbols:
        return (symbols[0], SYMBOL_CASE) if len(symbols) == 1 else None
    rows = list(GeneName.objects.filter(name__iexact=name).select_related("gene"))
    for kind, matched_by in ((GeneName.PREVIOUS, PREVIOUS_CASE), (GeneName.ALIAS, ALIAS_CASE)):
        owners = {row.gene.pk: row.gene for row in rows if row.kind == kind}
        if owners:
            return (next(iter(owners.values())), matched_by) if len(owners) == 1 else None
    return None


def find_typed_genes(names) -> tuple[list[Gene], list[str]]:
    """The genes these typed names mean (each once, in order) and the names that mean none, by
    :func:`find_typed_gene`; approved symbols as written, which that rule always answers with their
    own gene, are read in one query."""
    approved = Gene.objects.in_bulk(list(names), field_name="symbol")
    genes: dict[int, Gene] = {}
    unknown = []
    for name in names:
        gene = approved.get(name)
        if gene is None:
            found = find_typed_gene(name)
            gene = None if found is None else found[0]
        if gene is None:
            unknown.append(name)
        else:
            genes.setdefault(gene.pk, gene)
    return list(genes.values()), unknown


SUGGESTIONS_LIMIT = 20
# Why a gene is suggested for a search (genes/search.html says it in words).
SPELLING, PREFIX, NAME = "spelling", "prefix", "name"
MIN_PREFIX, MIN_WORD = 2, 3
WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Suggestion:
    gene: Gene
    reason: str  # SPELLING, PREFIX or NAME
    spelling: str = ""  # for SPELLING: the respelt name that matched (TNFA for TNF-α)


def suggest_genes(query: str, *, limit: int = SUGGESTIONS_LIMIT) -> list[Suggestion]:
    """Genes a search that named no gene may have meant, at most ``limit``, in this order:

    1. A publication spelling of the query (``pipeline.genes.names.publication_spellings``, the
       extension's rules: ``TNF-α`` → TNFA, an alias of TNF), looked up as typed names.
    2. Approved symbols starting with it (``BRCA`` → BRCA1, BRCA2), shortest first.
    3. Genes whose approved name holds every word of it (``insulin`` → INS, then INSR...; words
       of three characters or more), shortest name first.

    A few queries whatever the query: at most four per spelling (two at most), one for symbols, one for names.
    """
    query = query.strip()
    found: dict[int, Suggestion] = {}
    # The search box ignores case: ``tnf-α`` is respelt as ``TNF-α`` is (Latin letters only in capitals,
    # as the Greek ones are written small in the rules).
    capitals = "".join(ch.upper() if ch.isascii() else ch for ch in query)
    for spelling in dict.fromkeys(publication_spellings(query) + publication_spellings(capitals)):
        typed = find_typed_gene(spelling)
        if typed is not None:
            found.setdefault(typed[0].pk, Suggestion(typed[0], SPELLING, spelling))
    if len(query) >= MIN_PREFIX and not any(ch.isspace() for ch in query):
        for gene in Gene.objects.filter(symbol__istartswith=query).order_by(Length("symbol"), "symbol")[:limit]:
            found.setdefault(gene.pk, Suggestion(gene, PREFIX))
    words = [word for word in WORDS.findall(query) if len(word) >= MIN_WORD]
    if words and len(found) < limit:
        named = Q()
        for word in words:
            named &= Q(name__icontains=word)
        for gene in Gene.objects.filter(named).order_by(Length("name"), "symbol")[:limit]:
            found.setdefault(gene.pk, Suggestion(gene, NAME))
    return list(found.values())[:limit]


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
