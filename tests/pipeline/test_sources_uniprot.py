import math

import pandas as pd
import pytest

from pipeline.sources import uniprot
from pipeline.sources.base import SourceError


def test_average_mass_of_small_peptides():
    # Free glycine 75.07 Da; the Ala-Gly dipeptide 146.15 Da.
    assert uniprot.average_mass_da("G") == pytest.approx(75.067, abs=0.01)
    assert uniprot.average_mass_da("AG") == pytest.approx(146.146, abs=0.01)


def test_unknown_letter_gives_nan():
    assert math.isnan(uniprot.average_mass_da("MK1"))


def test_read_fasta_parses_uniprot_headers(fixture_sources):
    frame = uniprot.read_fasta(fixture_sources / "uniprot/uniprot_sprot_human_2025-04.fasta.gz")
    row = frame.set_index("accession").loc["P04637"]
    assert row["gene_name"] == "TP53" and bool(row["reviewed"]) and row["length"] == 60


def test_non_uniprot_header_is_rejected(tmp_path):
    path = tmp_path / "x.fasta"
    path.write_text(">something else\nMK\n")
    with pytest.raises(SourceError, match="not a UniProt header"):
        uniprot.read_fasta(path)


def _records(rows):
    return pd.DataFrame(rows, columns=["accession", "gene_name", "reviewed", "length", "sequence"])


def test_choose_canonical_prefers_reviewed_accession_named_for_the_symbol():
    swissprot = _records([("P1", "OTHER", True, 2, "AG"), ("P2", "GENE", True, 1, "G"), ("P3", "GENE2", True, 1, "G")])
    proteome = _records([("T9", "GENE3", False, 3, "AGG")])
    genes = pd.DataFrame(
        {"symbol": ["GENE", "GENE2", "GENE3", "NONE"], "uniprot_candidates": [["P1", "P2"], [], ["X"], []]}
    )
    chosen = uniprot.choose_canonical(genes, swissprot, proteome)
    assert chosen["uniprot_id"].tolist()[:3] == ["P2", "P3", "T9"]
    assert pd.isna(chosen["uniprot_id"].iloc[3])
    assert chosen["length"].tolist()[:3] == [1, 1, 3]
    assert math.isnan(chosen["mass_da"].iloc[3])


def test_transmembrane_features_count_segments(tmp_path):
    path = tmp_path / "tm.tsv"
    path.write_text(
        'Entry\tTransmembrane\nP1\tTRANSMEM 10..30; /note="Helical"; TRANSMEM 40..60; /note="Helical"\nP2\t\n'
    )
    frame = uniprot.read_transmembrane_features(path)
    assert frame.set_index("accession")["tm_segments"].to_dict() == {"P1": 2, "P2": 0}
