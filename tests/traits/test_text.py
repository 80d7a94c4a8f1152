"""Deterministic samples and tags (pipeline.traits.text)."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest

from pipeline.traits import text as T

AESTHETICS = [
    "Dark Academia",
    "Cybergoth",
    "Pastel Goth",
    "White Goth",
    "Cottagecore",
    "Gopnik",
    "Russian 2K17",
    "Slavic Violence Tumblr",
    "Theatre Academia",
    "Art Academia",
    "Vaporwave",
    "Normcore",
    "Red Scare",
    "Fairy Kei",
    "Steampunk",
    "Rococo",
]
FEATURES = ["demon horns", "fox ears and tail", "pig nose", "metal hands", "golden antlers", ""]
COLOURS = ["slate grey", "crimson", "burnt orange", "sky blue", "moss green", "near black", "ivory"]
FACTIONS = ["pro-growth", "pro-control", "turncoat", "none"]
SUMMARIES = [
    "This gene encodes a serine/threonine protein kinase that phosphorylates targets in the cell cycle.",
    "The protein encoded by this gene is a voltage-gated potassium channel subunit.",
    "This gene encodes a zinc finger transcription factor that binds DNA (Smith et al., 1999).",
    "This gene encodes a lysosomal cysteine protease of the peptidase C1 family. [provided by RefSeq]",
    "This gene encodes a G protein-coupled receptor for odorant molecules.",
    "This gene encodes a large abundant protein of striated muscle.",
    "",
]


def make_traits(i: int = 0, **over) -> dict:
    """A synthetic but plausible trait dict; ``i`` varies every field."""
    symbol = over.pop("symbol", f"GENE{i}")
    t = {
        "symbol": symbol,
        "name": f"synthetic protein {i}",
        "summary": SUMMARIES[i % len(SUMMARIES)],
        "sex": "male" if i % 2 else "female",
        "weight_kg": [2.0, 5.0, 14.0, 33.0, 62.3, 95.0, 180.0, 600.0, 3816.0][i % 9],
        "age": [-3, 0, 4, 15, 30, 45, 60, 95][i % 8],
        "aesthetics": [AESTHETICS[(i + k * 5) % len(AESTHETICS)] for k in range(1 + i % 4)],
        "feature": FEATURES[i % len(FEATURES)],
        "family": over.pop("family", f"FAM{i % 7}"),
        "family_size": 1 + (i * 37) % 700,
        "color_name": COLOURS[i % len(COLOURS)],
        "lightness": (i * 0.137) % 1.0,
        "saturation": (i * 0.291) % 1.0,
        "faction": FACTIONS[i % 4],
        "transmembrane": bool(i % 2),
        "clan_names": [["PKinase"], ["Ion_channel", "EF_hand"], [], ["C2H2-zf"], ["Peptidase_CA"]][i % 5],
    }
    t.update(over)
    return t


VARIANTS = [make_traits(i) for i in range(240)]


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", text)]


def test_deterministic_and_label() -> None:
    t = make_traits(3)
    assert T.write_sample(t) == T.write_sample(dict(t))
    assert T.write_sample(t, 2) == T.write_sample(t, 2)
    assert T.tags_for(t, T.write_sample(t)) == T.tags_for(t, T.write_sample(t))
    assert T.sample_label("COASY", 1) == "COASY-1"
    assert T.sample_label("COASY", 3) == "COASY-3"


def test_pandas_row_input_matches_dict() -> None:
    t = make_traits(5)
    row = pd.Series(t)
    assert T.write_sample(row) == T.write_sample(t)
    assert T.tags_for(row, T.write_sample(row)) == T.tags_for(t, T.write_sample(t))


@pytest.mark.parametrize("version", [1, 2, 7])
def test_word_count_range(version: int) -> None:
    for t in VARIANTS:
        n = T.word_count(T.write_sample(t, version))
        assert T.MIN_WORDS <= n <= T.MAX_WORDS, (t["symbol"], version, n)


def test_extreme_inputs_stay_in_range() -> None:
    long = make_traits(
        1,
        name="very long " * 30 + "protein",
        aesthetics=["Extremely Long Imaginary Aesthetic Name Number " + str(k) for k in range(4)],
        feature="an enormous cascading crown of crystalline branching antlers " * 3,
        clan_names=[f"Clan_{k}" for k in range(10)],
        summary="word " * 500,
    )
    n = T.word_count(T.write_sample(long))
    assert T.MIN_WORDS <= n <= T.MAX_WORDS
    short = make_traits(2, name="", summary="", aesthetics=[], feature="", clan_names=[])
    n = T.word_count(T.write_sample(short))
    assert T.MIN_WORDS <= n <= T.MAX_WORDS


def test_every_trait_appears() -> None:
    faction_words = {
        "pro-growth": "oncogene",
        "pro-control": "tumour suppressor",
        "turncoat": "turncoat",
        "none": "no faction",
    }
    for t in VARIANTS[:60]:
        s = T.write_sample(t)
        low = s.lower()
        if t["feature"]:
            assert t["feature"] in s
        assert any(a in s for a in t["aesthetics"])
        assert t["color_name"] in s
        assert faction_words[t["faction"]] in low or (t["faction"] == "none" and "neutral" in low)
        assert t["family"] in s
        assert t["symbol"] in s
        assert f"{t['weight_kg']:,.0f} kg" in s
        assert ("he " in low) if t["sex"] == "male" else ("she " in low)


def test_function_archetypes() -> None:
    cases = {
        "kinase": make_traits(0, name="protein kinase X", clan_names=[], summary=""),
        "channel": make_traits(0, name="potassium channel 9", clan_names=[], summary=""),
        "protease": make_traits(0, name="cathepsin Q", clan_names=[], summary=""),
        "transcription": make_traits(0, name="zinc finger protein 91", clan_names=[], summary=""),
        "receptor": make_traits(0, name="something", clan_names=["GPCR_A"], summary=""),
        "enzyme": make_traits(0, name="aldehyde dehydrogenase", clan_names=[], summary=""),
        "structural": make_traits(0, name="titin", summary="a large protein of striated muscle", clan_names=[]),
        "wanderer": make_traits(0, name="open reading frame 7", clan_names=[], summary=""),
    }
    for expected, t in cases.items():
        assert T.function_archetype(t) == expected, expected
    assert "phosphate" in T.write_sample(make_traits(0, name="protein kinase X", symbol="KX"), 1) or any(
        "phosphate" in T.write_sample(make_traits(0, name="protein kinase X", symbol="KX"), v) for v in range(2, 8)
    )


def test_family_resemblance() -> None:
    a = T.write_sample(make_traits(10, symbol="ZNF91", family="ZNF"))
    b = T.write_sample(make_traits(11, symbol="ZNF208", family="ZNF"))
    assert a != b
    # relatives share the family sentence(s): face, hair and motto come from the family stem
    sa = set(re.split(r"(?<=[.!?])\s+", a))
    sb = set(re.split(r"(?<=[.!?])\s+", b))
    assert sa & sb, "relatives should share at least one sentence"
    assert len(sa & sb) < len(sa) / 2
    ta = T.tag_groups(make_traits(10, symbol="ZNF91", family="ZNF"), a)
    tb = T.tag_groups(make_traits(11, symbol="ZNF208", family="ZNF"), b)
    assert ta["hair"] == tb["hair"] and ta["face"][1] == tb["face"][1]


def test_version_changes_text() -> None:
    t = make_traits(4)
    texts = {T.write_sample(t, v) for v in range(1, 6)}
    assert len(texts) == 5
    # the facts stay: colour and aesthetics appear in every version
    for v in range(1, 6):
        s = T.write_sample(t, v)
        assert t["color_name"] in s and t["aesthetics"][0] in s


def test_negative_age_and_newborn() -> None:
    s = T.write_sample(make_traits(0, age=-4))
    assert "not yet born" in s and "future" in s and "2024" in s
    assert "-4" not in s
    s0 = T.write_sample(make_traits(0, age=0))
    assert "2020" in s0
    tags = T.tags_for(make_traits(0, age=-4), s)
    assert "time traveller" in tags


def test_empty_summary() -> None:
    t = make_traits(6, summary="")
    s = T.write_sample(t)
    assert "“”" not in s and t["name"] in s
    assert T.MIN_WORDS <= T.word_count(s) <= T.MAX_WORDS


def test_summary_citations_stripped() -> None:
    t = make_traits(
        2,
        summary="This gene encodes a zinc finger protein (Bellefroid et al., 1991). "
        "Expression Ubiquitous expression in testis (RPKM 3.5).",
    )
    s = T.write_sample(t)
    assert "et al" not in s and "RPKM" not in s


def test_weight_scale_is_vivid() -> None:
    titan = T.write_sample(make_traits(8, weight_kg=3816.0))
    sprite = T.write_sample(make_traits(8, weight_kg=5.0))
    assert any(w in titan for w in ("titanic", "earth-shaking", "leviathan"))
    assert any(w in sprite for w in ("sprite-sized", "featherweight", "pocket-sized"))


# ------------------------------------------------------------------ tags


def test_tags_categories_in_order_and_short() -> None:
    for v in (1, 3):
        for t in VARIANTS:
            s = T.write_sample(t, v)
            groups = T.tag_groups(t, s)
            assert tuple(groups) == T.TAG_CATEGORIES
            tags = T.tags_for(t, s)
            assert T.word_count(tags) <= T.MAX_TAG_WORDS
            flat = [x for c in T.TAG_CATEGORIES for x in groups[c]]
            assert tags == ", ".join(flat)
            assert groups["body"][0] == T.skin_tag(t)
            for c in T.TAG_CATEGORIES:
                if c != "fantastical":
                    assert groups[c], (c, t["symbol"])


def test_tags_follow_the_sample() -> None:
    t = make_traits(0, name="protein kinase X", symbol="KX")
    for v in range(1, 6):
        s = T.write_sample(t, v)
        groups = T.tag_groups(t, s)
        prop_tag = groups["accessories"][0]
        plan = T.plan_for(t, v)
        assert prop_tag == plan.prop[1]
        assert groups["pose"][0] == plan.pose[1]
        assert groups["face"] == [plan.temperament[1], plan.face[1]]
        assert groups["hair"] == [plan.hair[1]]
        assert groups["background"] == [plan.background[1]]


def test_no_colour_words_outside_skin_tag() -> None:
    # include aesthetics and features that carry colour words
    extra = [
        make_traits(
            i,
            aesthetics=["Pastel Goth", "White Goth", "Red Scare", "Black Metal"],
            feature="golden antlers and silver wings",
        )
        for i in range(20)
    ]
    for t in VARIANTS + extra:
        s = T.write_sample(t)
        groups = T.tag_groups(t, s)
        skin = groups["body"][0]
        assert t["color_name"] in skin
        for c in T.TAG_CATEGORIES:
            for i, tag in enumerate(groups[c]):
                if c == "body" and i == 0:
                    continue
                bad = set(_words(tag)) & T.COLOUR_WORDS
                assert not bad, (c, tag, bad)


def test_tag_banks_are_colour_free() -> None:
    """Every fixed tag phrase in the banks is colour-free (tags do not re-strip them)."""
    phrases: list[str] = []
    phrases += [x[2] for x in T._AESTHETIC_MOTIFS] + [x[1] for x in T._GENERIC_GARMENTS]
    phrases += [x[1] for x in T._FAMILY_HAIR + T._FAMILY_FACE + T._POSES + T._TEMPERAMENTS]
    phrases += list(T._COMPOSITIONS) + list(T._FACTION_TAG.values())
    for arch in (*T._ARCHETYPES, T._FALLBACK):
        phrases += list(arch.title) + [p[1] for p in arch.props] + [b[1] for b in arch.backgrounds]
    for _, _, tag, *_ in T._WEIGHT_BANDS:
        phrases.append(tag)
    for age in (-1, 0, 5, 15, 30, 45, 60, 90):
        phrases.append(T._age_words(age)[1])
    for p in phrases:
        assert not set(_words(p)) & T.COLOUR_WORDS, p


def test_tags_word_budget_enforced() -> None:
    t = make_traits(
        3,
        aesthetics=[f"Imaginary Style {k}" for k in range(4)],
        feature="an enormous cascading crown of branching antlers and a long whip tail and wings",
        faction="turncoat",
    )
    tags = T.tags_for(t, T.write_sample(t))
    assert T.word_count(tags) <= T.MAX_TAG_WORDS
    assert T.skin_tag(t) in tags


def test_tags_without_sample() -> None:
    t = make_traits(9)
    assert T.tags_for(t) == T.tags_for(t, T.write_sample(t, 1))


@pytest.mark.real_sources
def test_real_genes_sample(real_gene_table) -> None:
    """Word counts and tag budget on real gene names and summaries (placeholder looks)."""
    df = getattr(real_gene_table, "table", real_gene_table)
    rows = df.sample(n=min(300, len(df)), random_state=1)
    for i, (_, r) in enumerate(rows.iterrows()):
        t = make_traits(
            i,
            symbol=r["symbol"],
            name=r["name"],
            summary=r.get("summary") or "",
            clan_names=list(r.get("clan_names") or []),
        )
        s = T.write_sample(t)
        assert T.MIN_WORDS <= T.word_count(s) <= T.MAX_WORDS, r["symbol"]
        assert T.word_count(T.tags_for(t, s)) <= T.MAX_TAG_WORDS


def test_all_variants_distinct() -> None:
    texts = [T.write_sample(t) for t in VARIANTS]
    assert len(set(texts)) == len(texts)
    assert all(a != b for a, b in itertools.pairwise(texts))
