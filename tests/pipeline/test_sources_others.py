import pandas as pd
import pytest

from pipeline.sources import gnomad, ncbi, oncokb, pfam, pubmed, summaries
from pipeline.sources.base import SourceError


def test_gnomad_keeps_canonical_transcripts(fixture_sources):
    frame = gnomad.read_canonical_loeuf(fixture_sources / "gnomad/gnomad.v2.1.constraint.txt.gz")
    assert frame.set_index("gnomad_symbol")["loeuf"].to_dict() == {"TP53": 0.616, "LAIR1": 1.225, "OLDG1": 0.2}


def test_clans_ordered_by_covered_length_overlaps_counted_once(fixture_sources):
    regions = pfam.read_regions(fixture_sources / "uniprot/pfam37.0_regions_human_9606.tsv.gz")
    clans = pfam.read_clans(fixture_sources / "pfam/Pfam-A.clans.tsv.gz")
    per_protein = pfam.clans_per_protein(regions, clans).set_index("seq_id")
    # Ig covers 1-30 (two overlapping hits, 30 residues) vs kinase 25 residues.
    assert per_protein.loc["Q6GTX8", "clans"] == ["CL0011", "CL0016"]
    assert per_protein.loc["Q6GTX8", "clan_names"] == ["Ig", "PKinase"]
    # P53_TAD has no clan; CL0000 comes from the regions file (absent in the clans table).
    assert per_protein.loc["P04637", "clans"] == ["CL0073", "CL0000"]
    covered = pfam.covered_length(pfam.family_clans(regions, clans))
    assert covered.set_index(["seq_id", "clan_acc"]).loc[("Q6GTX8", "CL0011"), "covered"] == 30


def test_pfam_regions_with_wrong_column_count_fail(tmp_path):
    path = tmp_path / "regions.tsv"
    path.write_text("#header\nP1\t1\t2\n")
    with pytest.raises(SourceError, match=r"regions\.tsv: wrong columns: expected 14"):
        pfam.read_regions(path)


def test_refseq_isoforms_count_np_only(fixture_sources):
    frame = ncbi.read_refseq_isoforms(fixture_sources / "ncbi_gene_orgHs/refseq.tsv.gz")
    assert frame.set_index("entrez_id")["isoforms"].to_dict() == {3903: 1, 7157: 2}


def test_pmid_years_and_anchors_read(fixture_sources):
    years = pubmed.read_pmid_years(fixture_sources / "pubmed/pmid_year.tsv")
    assert years.set_index("pubmed_id")["year"].to_dict() == {2000: 1979, 4510: 2999}
    links = ncbi.read_gene2pubmed(fixture_sources / "ncbi_gene_orgHs/gene2pubmed.tsv.gz")
    assert set(links.columns) == {"entrez_id", "pubmed_id"}


def test_summaries_drop_empty(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("entrez_id\tsummary\n1\tText.\n2\t\n")
    assert summaries.read_summaries(path)["entrez_id"].tolist() == [1]


@pytest.mark.parametrize(
    "onco, tsg, expected",
    [(True, True, "both"), (True, False, "oncogene"), (False, True, "tumor_suppressor"), (False, False, "none")],
)
def test_cancer_role(onco, tsg, expected):
    assert oncokb.role(onco, tsg) == expected


def test_oncokb_reads_roles(fixture_sources):
    frame = oncokb.read_cancer_roles(fixture_sources / "cancer/oncokb_cancerGeneList.tsv")
    assert frame.set_index("symbol")["cancer_role"].to_dict() == {"TP53": "tumor_suppressor", "OLDG1": "both"}
    assert pd.isna(frame.set_index("symbol").loc["OLDG1", "entrez_id"])
