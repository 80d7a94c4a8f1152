import pandas as pd
import pytest

from pipeline.sources import hpa, tmhmm
from pipeline.sources.base import SourceError


@pytest.mark.parametrize(
    "topology, expected_residues, expected",
    [
        ("o", 0.0, "none"),
        ("o", 25.0, "uncertain"),
        ("i5-25o", 20.0, "lone_n_terminal"),
        ("o164-186i", 23.0, "membrane"),
        ("i5-25o40-60i", 40.0, "membrane"),
    ],
)
def test_helix_classes(topology, expected_residues, expected):
    assert tmhmm.classify_helices(topology, expected_residues) == expected


def test_tau_extremes_and_blood_cells_ignored(fixture_sources):
    matrix = hpa.read_tissue_consensus(fixture_sources / "hpa/hpa_rna_tissue_consensus_wide_2021.tsv.gz")
    assert list(matrix.columns) == ["liver", "kidney", "brain", "testis"]
    scores = hpa.tau(matrix)
    assert scores["ENSG00000141510"] == pytest.approx(0.0)
    assert scores["ENSG00000167613"] == pytest.approx(1.0)
    assert pd.isna(scores["ENSG00000900001"])


def test_tau_skips_gaps_instead_of_reading_them_as_zero():
    matrix = pd.DataFrame({"a": [10.0], "b": [10.0], "c": [float("nan")], "d": [10.0]}, index=["G"])
    assert hpa.tau(matrix)["G"] == pytest.approx(0.0)


def test_long_format_is_pivoted(tmp_path):
    path = tmp_path / "rna_tissue_consensus.tsv"
    path.write_text("Gene\tGene name\tTissue\tnTPM\nE1\tX\tliver\t5\nE1\tX\tkidney\t5\nE1\tX\tT-cells\t100\n")
    matrix = hpa.read_tissue_consensus(path)
    assert sorted(matrix.columns) == ["kidney", "liver"]
    assert hpa.tau(matrix)["E1"] == pytest.approx(0.0)


def test_consensus_with_wrong_columns_fails(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("foo\tbar\n1\t2\n")
    with pytest.raises(SourceError, match=r"bad\.tsv: wrong columns"):
        hpa.read_tissue_consensus(path)


def test_membrane_class(fixture_sources):
    classes = hpa.read_membrane_class(fixture_sources / "hpa/proteinatlas_v18_2018-10.tsv.gz")
    assert classes.set_index("symbol")["hpa_membrane"].to_dict() == {"TP53": False, "LAIR1": True, "SIGP1": False}
