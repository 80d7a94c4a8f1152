"""Family stems (pipeline.traits.family) and the stem -> fantastic feature mapping."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from pipeline.paths import GENE_DATA
from pipeline.traits.family import (
    DEFAULT_CLASS_PREFIXES,
    class_prefixes,
    family_sizes,
    family_stems,
    family_table,
    symbol_stem,
)

from ..real_sources import REAL_SOURCES as SOURCES

FEATURES = GENE_DATA / "mappings" / "stem_features.csv"

SAMPLE = pd.Series(
    [
        "OR1A1",
        "OR51E2",
        "ZNF91",
        "IL6",
        "IL1B",
        "FOXA1",
        "FOXB1",
        "FOXC1",
        "FOXP3",
        "ABCA1",
        "ABCB1",
        "ABCC1",
        "KCNA1",
        "KCNB1",
        "KCNJ11",
        "BRCA1",
        "BRCA2",
        "BRCC3",
        "TP53",
        "HLA-A",
        "HLA-DRB1",
        "C9orf72",
        "CXorf38",
        "NKX2-1",
        "SHH",
        "H2AC1",
        "H1-0",
        "S100A8",
        "CYP1A1",
        "CYB5A",
    ]
)


@pytest.mark.parametrize(
    "symbol, stem",
    [
        ("OR1A1", "OR"),
        ("ZNF91", "ZNF"),
        ("IL6", "IL"),
        ("IL1B", "IL"),
        ("FOXP3", "FOX"),
        ("OR51E2", "OR"),
        ("BRCA1", "BRCA"),
        ("TP53", "TP"),
        ("ABCB1", "ABC"),
        ("KCNJ11", "KCN"),
        ("HLA-A", "HLA"),
        ("HLA-DRB1", "HLA"),
        ("C9orf72", "ORF"),
        ("CXorf38", "ORF"),
        ("NKX2-1", "NKX"),
        ("SHH", "SHH"),
        ("H2AC1", "H2"),
        ("H1-0", "H1"),
        ("S100A8", "S100"),
        ("CYP1A1", "CYP"),
        ("APOBEC3A_B", "APOBEC"),
        ("ilb6", "ILB"),
    ],
)
def test_symbol_stem_documented_examples(symbol, stem):
    assert symbol_stem(symbol) == stem


def test_family_stems_use_the_given_symbols():
    stems = family_stems(SAMPLE)
    got = dict(zip(SAMPLE, stems, strict=True))
    assert got["FOXP3"] == got["FOXA1"] == "FOX"
    assert got["ABCA1"] == got["ABCB1"] == "ABC"
    assert got["KCNJ11"] == "KCN"
    assert got["BRCA1"] == "BRCA" and got["BRCC3"] == "BRCC"
    assert got["CYP1A1"] == "CYP" and got["CYB5A"] == "CYB"
    # Without a lettered A, B, ... series in the set, a run keeps its last letter.
    assert family_stems(pd.Series(["FOXP3", "FOXP1"])).tolist() == ["FOXP", "FOXP"]


def test_class_prefixes_need_a_b_and_three_letters():
    assert class_prefixes(["XYZA1", "XYZB1", "XYZC1"]) == {"XYZ"}
    assert class_prefixes(["XYZA1", "XYZC1", "XYZD1"]) == set()  # no B
    assert class_prefixes(["XYZA1", "XYZB1"]) == set()  # only two letters
    assert class_prefixes(["XYA1", "XYB1", "XYC1"]) == set()  # prefix too short


def test_deterministic_and_order_free():
    forward = dict(zip(SAMPLE, family_stems(SAMPLE), strict=True))
    backward = dict(zip(SAMPLE[::-1], family_stems(SAMPLE[::-1].reset_index(drop=True)), strict=True))
    assert forward == backward


def test_family_size():
    table = family_table(SAMPLE)
    size = dict(zip(table.symbol, table.family_size, strict=True))
    assert size["FOXP3"] == 4 and size["OR1A1"] == 2 and size["SHH"] == 1
    assert family_sizes(pd.Series(["A", "A", "B"])).tolist() == [2, 2, 1]


def read_features() -> dict[str, str]:
    with FEATURES.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"stem", "feature"} <= set(rows[0])
    stems = [r["stem"] for r in rows]
    assert len(stems) == len(set(stems)), "a stem listed twice"
    assert all(r["feature"].strip() for r in rows)
    return {r["stem"]: r["feature"] for r in rows}


def test_required_features():
    features = read_features()
    assert features["IL"] == "demon horns"
    assert features["ZNF"] == "metal hands"
    assert features["FOX"] == "fox ears and tail"
    assert features["OR"] == "pig nose"


def test_features_are_varied():
    features = read_features()
    counts = pd.Series(list(features.values())).value_counts()
    assert counts.max() <= 3


@pytest.mark.real_sources
def test_every_big_family_has_a_feature_on_the_real_symbols():
    from pipeline.genes.locate import locate
    from pipeline.sources import hgnc

    sources = locate(SOURCES)
    symbols = hgnc.protein_coding_universe(hgnc.read_complete_set(sources.newest("hgnc")))["symbol"]
    stems = family_stems(symbols.reset_index(drop=True))
    counts = stems.value_counts()
    big = set(counts[counts >= 5].index)
    missing = sorted(big - set(read_features()))
    assert not missing, f"stems with >= 5 members but no feature: {missing[:20]}"
    assert {"IL", "ZNF", "FOX", "OR"} <= big
    assert class_prefixes(symbols) >= {"FOX", "ABC", "KCN", "HOX"}
    # The single-symbol default agrees with the set-based rule on the real symbols.
    if class_prefixes(symbols) == DEFAULT_CLASS_PREFIXES:
        assert symbols.map(symbol_stem).tolist() == family_stems(symbols).tolist()
