"""The gene table built from the real upstream files in ../shared/gene_sources."""

import datetime as dt

import pytest

from pipeline.records import GENE_COLUMNS as COLUMNS


@pytest.fixture(scope="module")
def genes(real_gene_table):
    return real_gene_table.table.set_index("symbol")


def test_universe_is_every_approved_protein_coding_gene(real_gene_table):
    table = real_gene_table.table
    assert 19_200 <= len(table) <= 19_400
    assert list(table.columns) == COLUMNS
    assert table["symbol"].is_unique and table["hgnc_id"].is_unique


def test_current_symbols(genes):
    # Symbols of the 2024 release, not older copies.
    assert "TP53" in genes.index and "MARCHF1" in genes.index and "MARCH1" not in genes.index
    assert "MARCH1" in genes.loc["MARCHF1", "prev_symbols"]


@pytest.mark.parametrize("symbol, mass", [("TP53", 43_653), ("TTN", 3_816_030), ("COASY", 62_329)])
def test_masses(genes, symbol, mass):
    assert genes.loc[symbol, "mass_da"] == pytest.approx(mass, rel=1e-3)
    assert genes.loc[symbol, "mass_source"] == "uniprot_sequence"


def test_transmembrane(genes, real_gene_table):
    assert bool(genes.loc["LAIR1", "transmembrane"]) is True
    assert bool(genes.loc["LAIR2", "transmembrane"]) is False
    assert bool(genes.loc["ADRB2", "transmembrane"]) is True
    assert bool(genes.loc["TP53", "transmembrane"]) is False
    assert bool(genes.loc["TTN", "transmembrane"]) is False
    fraction = real_gene_table.table["transmembrane"].mean()
    assert 0.23 <= fraction <= 0.31


def test_loeuf_tau_clans(genes, real_gene_table):
    assert genes.loc["TP53", "loeuf"] == pytest.approx(0.616)
    assert genes.loc["TTN", "loeuf"] == pytest.approx(0.339)
    assert genes.loc["TTN", "tau"] > 0.8
    assert genes.loc["COASY", "tau"] < 0.4
    assert genes.loc["TP53", "clan_names"] == ["P53-like"]
    assert set(genes.loc["TTN", "clan_names"]) >= {"E-set", "PKinase"}
    assert real_gene_table.coverage["columns"]["loeuf"]["real"] > 18_000
    assert real_gene_table.coverage["columns"]["tau"]["real"] > 18_500
    assert real_gene_table.coverage["columns"]["clans"]["real"] > 14_000


def test_discovery_year_never_in_the_future(genes):
    assert genes["discovery_year"].max() <= dt.date.today().year


def test_discovery_years_come_from_publications(genes, real_gene_table):
    years = real_gene_table.coverage["columns"]["discovery_year"]["years"]
    assert (years["exact"] + years["estimated"]) / real_gene_table.coverage["genes"] >= 0.99
    published = genes["discovery_year_source"].isin(["pubmed", "pubmed_estimated"])
    assert genes.loc[published, "discovery_pmid"].notna().all()
    # Only genes first described after the age reference year (2020) are "not yet born".
    assert (genes["discovery_year"] > 2020).sum() < 100


@pytest.mark.parametrize("symbol, low, high", [("INS", 1900, 1979), ("TP53", 1970, 1989), ("CFTR", 1988, 1990)])
def test_well_known_genes_are_dated_by_their_early_literature(genes, symbol, low, high):
    assert low <= genes.loc[symbol, "discovery_year"] <= high
    assert genes.loc[symbol, "discovery_year_source"] in ("pubmed", "pubmed_estimated")


def test_summary_and_cancer_role(genes):
    assert "tumor suppressor" in genes.loc["TP53", "summary"]
    assert genes.loc["TP53", "cancer_role"] == "tumor_suppressor"
    assert genes.loc["KRAS", "cancer_role"] == "oncogene"
    assert genes.loc["TTN", "cancer_role"] == "none"
    assert set(genes["cancer_role"]) == {"oncogene", "tumor_suppressor", "both", "none"}


def test_coverage_counts_every_column(real_gene_table):
    columns = real_gene_table.coverage["columns"]
    assert set(columns) == set(COLUMNS)
    total = len(real_gene_table.table)
    assert all(entry["total"] == total for entry in columns.values())
    assert columns["mass_da"]["real"] > 19_000
