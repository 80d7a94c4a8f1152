"""The trait ← fact rule over a plain row: the fixture genes through the real pipeline, and edge cases by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.card_facts import fact_lines, trait_origins
from pipeline.catalogue import catalogue_rows, plain_value

from ..backend.catalogue import write_catalogue


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict[str, dict]:
    genes_path, traits_path = write_catalogue(tmp_path_factory.mktemp("catalogue"))
    return {row["symbol"]: row for row in catalogue_rows(pd.read_parquet(genes_path), pd.read_parquet(traits_path))}


def test_rows_are_plain_python(rows):
    tp53 = rows["TP53"]
    assert tp53["aliases"] == ["p53", "LFS1"] and isinstance(tp53["aliases"], list)
    assert type(tp53["discovery_pmid"]) is int and rows["SIGP1"]["discovery_pmid"] is None
    assert rows["NOSEQ1"]["transmembrane"] is None
    assert plain_value(float("nan")) is None and plain_value(pd.NA) is None


def test_a_gene_table_built_before_the_names_column_reads_as_no_names(tmp_path_factory):
    genes_path, traits_path = write_catalogue(tmp_path_factory.mktemp("older"))
    older = pd.read_parquet(genes_path).drop(columns=["names"])
    rows = {row["symbol"]: row for row in catalogue_rows(older, pd.read_parquet(traits_path))}
    assert rows["TP53"]["names"] == [] and rows["TP53"]["aliases"] == ["p53", "LFS1"]


def test_fact_lines_say_each_value_and_the_fact_behind_it(rows):
    assert fact_lines(rows["TP53"]) == [
        "female ← soluble",
        "6.8 kg ← 6.8 kDa",
        "age 41 ← first described 1979 (PMID 2000)",
        "Film Noir ← Pfam clans P53-like",
        "clockwork horns ← family TP (1 member)",
        "dimgray #484848 ← hue ← letter T, saturation ← tau 0.00, lightness ← LOEUF 0.62",
        "pro-control ← tumour suppressor (OncoKB)",
    ]


def test_estimates_and_missing_facts_are_said_so(rows):
    noseq = fact_lines(rows["NOSEQ1"])
    assert noseq[0] == "female ← membrane status unknown (read as soluble)"
    assert noseq[1] == "21.4 kg ← 21.4 kDa (estimated from length)"
    assert noseq[2] == "age 10 ← no dated publication found: named by HGNC in 2010"
    assert noseq[3] == "E-Boy ← no Pfam clan: family NOSEQ fallback style"
    assert noseq[4] == "no feature ← family NOSEQ (1 member)"
    assert noseq[6] == "no faction ← no cancer role (OncoKB)"
    assert fact_lines(rows["LAIR1"])[2] == "age 15 ← first described ~2005 (PMID 4500, year estimated from the id)"
    assert fact_lines(rows["NEWG1"])[6] == "turncoat ← both oncogene and tumour suppressor (OncoKB)"


def test_unknown_mass_and_year_and_several_clans(rows):
    row = dict(
        rows["TP53"],
        mass_da=None,
        weight_kg=None,
        discovery_year=None,
        age=None,
        aesthetics=["Goth", "Cottagecore"],
        clan_names=["Ig", "P53-like", "Kinase", "SH2", "PDZ"],
        aesthetic_clans=[],
        family_size=3,
    )
    lines = fact_lines(row)
    assert lines[1] == "unknown ← unknown mass"
    assert lines[2] == "age unknown ← no dated publication and no HGNC date: year unknown"
    # Without the clans that gave the aesthetics, the first four are named.
    assert lines[3] == "Goth, Cottagecore ← Pfam clans Ig, P53-like, Kinase, SH2"
    assert lines[4] == "clockwork horns ← family TP (3 members)"


def test_the_lines_are_the_trait_origins(rows):
    for row in rows.values():
        origins = trait_origins(row)
        assert [origin["trait"] for origin in origins] == [
            "sex",
            "weight",
            "age",
            "aesthetics",
            "feature",
            "colour",
            "faction",
        ]
        assert [line.split(" ← ", 1)[1] for line in fact_lines(row)] == [origin["origin"] for origin in origins]
    [age] = [origin for origin in trait_origins(rows["TP53"]) if origin["trait"] == "age"]
    assert age == {
        "trait": "age",
        "value": 41,
        "origin": "first described 1979 (PMID 2000)",
        "url": "https://pubmed.ncbi.nlm.nih.gov/2000/",
    }
