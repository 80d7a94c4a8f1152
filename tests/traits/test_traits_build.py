"""The traits of real genes, built from ../shared/gene_sources."""

import pytest

from pipeline import cli
from pipeline.traits.build import TRAIT_COLUMNS, build_traits
from pipeline.traits.plots import PLOT_NAMES


@pytest.fixture(scope="module")
def traits(real_gene_table):
    return build_traits(real_gene_table.table).set_index("symbol")


@pytest.fixture(scope="module")
def genes(real_gene_table):
    return real_gene_table.table.set_index("symbol")


def test_one_row_per_gene_with_the_columns(traits, genes):
    assert list(traits.reset_index().columns) == TRAIT_COLUMNS
    assert len(traits) == len(genes)


def test_tp53_ttn_coasy(traits):
    assert traits.loc["TP53", "sex"] == "female"
    assert traits.loc["TP53", "faction"] == "pro-control"
    assert traits.loc["TP53", "weight_kg"] == pytest.approx(43.7)
    assert traits.loc["TTN", "weight_kg"] == pytest.approx(3816.0)
    assert traits.loc["COASY", "weight_kg"] == pytest.approx(62.3)
    assert traits.loc["COASY", "age"] == 2020 - 2002  # first described 2002 (PMID 11923312, CoA synthase cloned)
    assert traits.loc["TP53", "sample_label"] == "TP53-1"


def test_lair1_male_lair2_female(traits):
    assert traits.loc["LAIR1", "sex"] == "male"
    assert traits.loc["LAIR2", "sex"] == "female"


@pytest.mark.parametrize(
    "symbol, family, feature",
    [
        ("IL6", "IL", "demon horns"),
        ("ZNF91", "ZNF", "metal hands"),
        ("FOXP3", "FOX", "fox ears and tail"),
        ("OR1A1", "OR", "pig nose"),
    ],
)
def test_family_features(traits, symbol, family, feature):
    assert traits.loc[symbol, "family"] == family
    assert traits.loc[symbol, "feature"] == feature
    assert traits.loc[symbol, "family_size"] >= 5


def test_aesthetics_follow_clans_in_order(traits, genes):
    assert traits.loc["ZNF91", "aesthetics"][0] == "Dark Academia"
    for symbol in ("TP53", "TTN", "COASY"):
        clans = list(genes.loc[symbol, "clans"])
        used = list(traits.loc[symbol, "aesthetic_clans"])
        assert used == [c for c in clans if c in used][:4]
        assert not traits.loc[symbol, "aesthetic_fallback"]


def test_clanless_gene_gets_one_fallback_aesthetic(traits, genes):
    clanless = genes.index[genes["clans"].map(len) == 0]
    assert len(clanless) > 1000
    sample = traits.loc[clanless[:50]]
    assert sample["aesthetic_fallback"].all()
    assert (sample["aesthetics"].map(len) == 1).all()


def test_missing_loeuf_gets_the_middle_lightness(traits, genes):
    missing = genes.index[genes["loeuf"].isna()]
    assert len(missing) > 0
    assert traits.loc[missing, "lightness"].nunique() == 1


def test_colour_fields_consistent(traits):
    assert traits["color_hex"].str.match(r"^#[0-9a-f]{6}$").all()
    assert set(traits["text_color_hex"]) <= {"#000000", "#ffffff"}
    # Hue follows the first letter: all A-genes share a hue, B is the next step.
    a_hue = traits.loc[traits.index.str.startswith("A"), "hue"].unique()
    b_hue = traits.loc[traits.index.str.startswith("B"), "hue"].unique()
    assert list(a_hue) == [0.0] and b_hue[0] == pytest.approx(360 / 26)


def test_cli_writes_traits_and_plots(real_gene_table, tmp_path):
    genes_path = tmp_path / "genes.parquet"
    real_gene_table.table.iloc[::40].to_parquet(genes_path, index=False)
    out = tmp_path / "out"
    assert cli.main(["traits", "build", "--genes", str(genes_path), "--out", str(out)]) == 0
    first = (out / "traits.parquet").read_bytes()
    plots = {name: (out / "plots" / f"{name}.png").read_bytes() for name in PLOT_NAMES}
    assert all(data.startswith(b"\x89PNG") for data in plots.values())
    assert cli.main(["traits", "build", "--genes", str(genes_path), "--out", str(out)]) == 0
    assert (out / "traits.parquet").read_bytes() == first
    assert {name: (out / "plots" / f"{name}.png").read_bytes() for name in PLOT_NAMES} == plots


def test_cli_without_gene_table_says_what_to_run(tmp_path, capsys):
    assert cli.main(["traits", "build", "--genes", str(tmp_path / "none.parquet"), "--out", str(tmp_path)]) == 2
    assert "iconoplasm data build" in capsys.readouterr().err
