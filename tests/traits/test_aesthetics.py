"""Clan -> aesthetic mapping: the shipped tables, their validation and the fallback rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.traits.aesthetics import (
    AESTHETICS_CSV,
    CLAN_AESTHETICS_CSV,
    FALLBACK_FAMILY,
    MAX_AESTHETICS,
    AestheticsError,
    fallback_aesthetic,
    gene_aesthetics,
    load_aesthetics,
    load_clan_aesthetics,
    load_mapping,
    unmapped_clans,
)

from ..real_sources import REAL_SOURCES as SOURCES

WIKI = SOURCES / "aesthetics" / "aesthetics_wiki_nodes_thhaase_2026-03.json"


@pytest.fixture(scope="module")
def mapping():
    return load_mapping()


def by_name(mapping) -> dict[str, str]:
    return dict(zip(mapping.clans["clan_name"], mapping.clans["aesthetic"], strict=True))


def test_required_anchors(mapping):
    names = by_name(mapping)
    assert names["GT-A"] == "Russian 2K17"
    assert names["GT-B"] == "Slavic Violence Tumblr"
    assert names["GT-C"] == "Gopnik"
    assert names["C2H2-zf"] == "Dark Academia"
    assert names["RBP11-like"] == "Theatre Academia"
    assert names["SHS2"] == "Art Academia"


def test_peptidase_clans_get_distinct_goth_styles(mapping):
    rows = mapping.clans[mapping.clans["clan_name"].str.startswith("Peptidase_")]
    assert len(rows) >= 9
    assert rows["aesthetic"].str.contains("Goth", case=True, regex=False).all(), rows
    assert rows["aesthetic"].is_unique
    assert rows["curated"].all()


def test_tables_are_one_to_one_and_known(mapping):
    clans = mapping.clans
    assert clans["clan_acc"].is_unique
    assert clans["aesthetic"].is_unique
    assert set(clans["aesthetic"]) <= set(mapping.aesthetics["name"])
    assert len(mapping.aesthetics) >= len(clans)
    assert not set(clans["aesthetic"]) & set(mapping.fallback_pool)
    assert len(mapping.fallback_pool) >= 8
    assert clans["curated"].sum() >= 80


def test_related_clans_share_a_family(mapping):
    family = dict(zip(mapping.aesthetics["name"], mapping.aesthetics["family"], strict=True))
    names = by_name(mapping)

    def fam(clan: str) -> str:
        return family[names[clan]]

    assert fam("C2H2-zf") == fam("CCCH_zf") == fam("Zn_Beta_Ribbon") == fam("Tbcl_zf") == "academia"
    assert fam("PKinase") == fam("P-loop_NTPase") == fam("AAA_lid")
    assert fam("GPCR_A") == fam("Ion_channel") == fam("MFS") == fam("ABC_membrane")
    assert fam("E-set") == fam("EGF") == fam("FnI-like")
    assert fam("GT-A") == fam("GT-B") == fam("GT-C") == "slavic"


@pytest.mark.real_sources
def test_names_are_aesthetics_wiki_pages(mapping):
    import json

    ids = {node["id"] for node in json.loads(WIKI.read_text(encoding="utf-8"))["nodes"]}
    assert set(mapping.aesthetics["name"]) <= ids


@pytest.mark.real_sources
def test_every_human_clan_is_mapped(mapping):
    from pipeline.traits.suggest import human_clans

    human = human_clans(SOURCES)
    assert len(human) > 500
    assert unmapped_clans(human["clan_acc"], mapping.clan_to_aesthetic) == []


# --- gene_aesthetics -------------------------------------------------------

MAP = {"CL1": "Dark Academia", "CL2": "Trad Goth", "CL3": "Cyberpunk", "CL4": "Baroque", "CL5": "Vaporwave"}
POOL = ["Normcore", "Indie", "Preppy", "Grunge"]


def test_styles_follow_clan_order_up_to_four():
    styles, used, fallback = gene_aesthetics(["CL5", "CL2", "CLX", "CL2", "CL1", "CL3", "CL4"], MAP, "ABC", POOL)
    assert styles == ["Vaporwave", "Trad Goth", "Dark Academia", "Cyberpunk"]
    assert used == ["CL5", "CL2", "CL1", "CL3"]
    assert len(styles) == MAX_AESTHETICS and not fallback


def test_fallback_is_one_deterministic_style_shared_by_a_family():
    styles, used, fallback = gene_aesthetics([], MAP, "OR", POOL)
    assert fallback and used == [] and len(styles) == 1 and styles[0] in POOL
    assert gene_aesthetics(None, MAP, "or", POOL)[0] == styles
    assert gene_aesthetics(["CLX"], MAP, "OR", POOL)[0] == styles
    # independent of pool order given as sorted, and stable across calls
    assert fallback_aesthetic("OR", POOL) == fallback_aesthetic("OR", list(POOL))
    picks = {
        fallback_aesthetic(stem, sorted(POOL)) for stem in ["OR", "KRTAP", "ZNF", "TMEM", "FAM", "ORF", "SLC", "CCDC"]
    }
    assert len(picks) > 1


def test_fallback_rule_is_sha256_of_the_upper_cased_stem():
    import hashlib

    pool = sorted(POOL)
    expected = pool[int.from_bytes(hashlib.sha256(b"TMEM").digest()[:8], "big") % len(pool)]
    assert fallback_aesthetic(" tmem ", pool) == expected


def test_empty_pool_is_an_error():
    with pytest.raises(AestheticsError):
        gene_aesthetics([], MAP, "OR", [])


# --- validation -------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def aesthetics_file(tmp_path):
    return write(tmp_path / "aesthetics.csv", "name,family,description\nA,x,one\nB,x,two\nC,fallback,three\n")


def test_missing_columns(tmp_path):
    bad = write(tmp_path / "aesthetics.csv", "name,description\nA,one\n")
    with pytest.raises(AestheticsError, match="missing columns family"):
        load_aesthetics(bad)


def test_duplicate_aesthetic_name(tmp_path):
    bad = write(tmp_path / "aesthetics.csv", "name,family,description\nA,x,one\nA,y,two\n")
    with pytest.raises(AestheticsError, match="duplicate aesthetic names: A"):
        load_aesthetics(bad)


def test_clan_mapped_twice(tmp_path, aesthetics_file):
    bad = write(tmp_path / "clan_aesthetics.csv", "clan_acc,clan_name,aesthetic,curated\nCL1,a,A,true\nCL1,a,B,true\n")
    with pytest.raises(AestheticsError, match="clan mapped twice: CL1"):
        load_clan_aesthetics(bad)


def test_aesthetic_used_by_two_clans(tmp_path, aesthetics_file):
    bad = write(tmp_path / "clan_aesthetics.csv", "clan_acc,clan_name,aesthetic,curated\nCL1,a,A,true\nCL2,b,A,false\n")
    with pytest.raises(AestheticsError, match="duplicate aesthetic"):
        load_clan_aesthetics(bad)


def test_unknown_aesthetic(tmp_path, aesthetics_file):
    bad = write(tmp_path / "clan_aesthetics.csv", "clan_acc,clan_name,aesthetic,curated\nCL1,a,Zed,true\n")
    with pytest.raises(AestheticsError, match=r"unknown aesthetic.*Zed"):
        load_clan_aesthetics(bad)


def test_fallback_style_cannot_be_mapped(tmp_path, aesthetics_file):
    bad = write(tmp_path / "clan_aesthetics.csv", "clan_acc,clan_name,aesthetic,curated\nCL1,a,C,true\n")
    with pytest.raises(AestheticsError, match="fallback"):
        load_clan_aesthetics(bad)


def test_bad_curated_flag_and_missing_clan_columns(tmp_path, aesthetics_file):
    bad = write(tmp_path / "clan_aesthetics.csv", "clan_acc,clan_name,aesthetic,curated\nCL1,a,A,maybe\n")
    with pytest.raises(AestheticsError, match="curated must be true or false"):
        load_clan_aesthetics(bad)
    bad = write(tmp_path / "clan_aesthetics.csv", "clan_acc,aesthetic\nCL1,A\n")
    with pytest.raises(AestheticsError, match="missing columns clan_name, curated"):
        load_clan_aesthetics(bad)


def test_valid_small_tables_load(tmp_path, aesthetics_file):
    good = write(
        tmp_path / "clan_aesthetics.csv", "clan_acc,clan_name,aesthetic,curated\nCL1,a,A,true\nCL2,b,B,false\n"
    )
    mapping = load_mapping(aesthetics_file, good)
    assert mapping.clan_to_aesthetic == {"CL1": "A", "CL2": "B"}
    assert mapping.fallback_pool == ["C"]
    assert mapping.clans["curated"].tolist() == [True, False]


def test_shipped_files_are_where_the_loader_looks():
    assert AESTHETICS_CSV.exists() and CLAN_AESTHETICS_CSV.exists()
    assert FALLBACK_FAMILY in set(pd.read_csv(AESTHETICS_CSV)["family"])
