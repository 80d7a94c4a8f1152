"""Skin colour (pipeline.traits.colour)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from coloraide.everything import ColorAll

from pipeline.traits.colour import (
    MISSING_LOEUF_LIGHTNESS,
    _palette,
    bicone_saturation,
    color_hex,
    color_name,
    colour_table,
    contrast_ratio,
    delta_e_2000,
    hue_from_symbol,
    lightness_from_loeuf,
    saturation_from_tau,
    skin_colour,
    text_color_hex,
)


def chroma(hex_colour: str) -> float:
    return ColorAll(hex_colour).convert("oklch")["chroma"]


def test_hue_per_letter():
    assert hue_from_symbol("A1BG") == 0.0
    assert hue_from_symbol("BRCA1") == pytest.approx(13.846, abs=1e-3)
    assert hue_from_symbol("ZNF91") == pytest.approx(25 * 360 / 26)
    assert hue_from_symbol("abc") == 0.0
    steps = [hue_from_symbol(chr(ord("A") + i)) for i in range(26)]
    assert np.allclose(np.diff(steps), 360 / 26)
    assert hue_from_symbol("1ABC") is None and hue_from_symbol("") is None


def test_saturation_and_lightness_scales():
    assert saturation_from_tau(0.3) == 0.3
    assert saturation_from_tau(1.7) == 1.0 and saturation_from_tau(-1) == 0.0
    assert saturation_from_tau(float("nan")) == 0.0
    assert lightness_from_loeuf(0) == 0.0 and lightness_from_loeuf(2) == 1.0
    assert lightness_from_loeuf(3.5) == 1.0 and lightness_from_loeuf(1) == 0.5
    assert lightness_from_loeuf(None) == MISSING_LOEUF_LIGHTNESS
    assert bicone_saturation(1.0, 0.5) == 1.0
    assert bicone_saturation(1.0, 0.0) == 0.0 and bicone_saturation(1.0, 1.0) == 0.0
    assert bicone_saturation(0.8, 0.25) == pytest.approx(0.4)


@pytest.mark.parametrize("symbol", ["A1", "FOXP3", "MYC", "ZNF91"])
@pytest.mark.parametrize("tau", [0.5, 1.0])
def test_bicone_extremes_lose_colour(symbol, tau):
    dark = skin_colour(symbol, tau, 0.02)
    light = skin_colour(symbol, tau, 1.98)
    assert chroma(dark["color_hex"]) < 0.01
    assert chroma(light["color_hex"]) < 0.01
    assert ColorAll(dark["color_hex"]).luminance() < 0.01
    assert ColorAll(light["color_hex"]).luminance() > 0.9
    assert color_hex(symbol, tau, 0.0) == "#000000"
    assert color_hex(symbol, tau, 2.0) == "#ffffff"


def test_mid_lightness_is_vivid_and_tau_zero_is_grey():
    vivid = skin_colour("A1BG", 1.0, 1.0)["color_hex"]
    assert chroma(vivid) > 0.15
    for letter in "AGMTZ":
        assert chroma(color_hex(letter, 0.0, 1.0)) < 0.002
    # Equal lightness looks equally light across hues (OKHSL): close Oklab L.
    ls = [ColorAll(color_hex(letter, 1.0, 1.0)).convert("oklab")["lightness"] for letter in "ADGKNRUX"]
    assert max(ls) - min(ls) < 0.03


def test_text_colour_has_contrast():
    for bg in ["#000000", "#ffffff", "#777777", "#d70071", "#ffff00", "#0000ff"]:
        text = text_color_hex(bg)
        other = "#ffffff" if text == "#000000" else "#000000"
        assert contrast_ratio(bg, text) >= contrast_ratio(bg, other)
        assert contrast_ratio(bg, text) >= 4.5
    assert text_color_hex("#000000") == "#ffffff" and text_color_hex("#ffffff") == "#000000"


def test_colour_names():
    assert color_name("#ff0000") == "red"
    assert color_name("#010101") == "black"
    assert color_name("#fefefe") == "white"
    assert color_name("#808080") == "gray"
    assert skin_colour("A", 0.0, 0.0)["color_name"] == "black"


def test_delta_e_2000_matches_coloraide():
    names, palette = _palette()
    assert len(names) >= 138
    rng = np.random.default_rng(7)
    for _ in range(20):
        colour = ColorAll("srgb", list(rng.random(3)))
        mine = delta_e_2000(np.array(colour.convert("lab-d65").coords()), palette)
        ref = [colour.delta_e(ColorAll("lab-d65", list(p)), method="2000") for p in palette]
        assert np.allclose(mine, ref, atol=1e-9)


def test_colour_table_flags_and_determinism():
    genes = pd.DataFrame(
        {
            "symbol": ["A1BG", "BRCA1", "TP53", "TTN", "ZNF91", "XKR4"],
            "tau": [0.9, 0.4, float("nan"), 0.8, 0.2, 1.0],
            "loeuf": [1.2, 0.3, 0.5, float("nan"), 1.9, 0.0],
        }
    )
    table = colour_table(genes)
    assert list(table.columns) == [
        "symbol",
        "hue",
        "saturation",
        "lightness",
        "color_hex",
        "text_color_hex",
        "color_name",
        "loeuf_missing",
        "tau_missing",
    ]
    assert table["loeuf_missing"].tolist() == [False, False, False, True, False, False]
    assert table["tau_missing"].tolist() == [False, False, True, False, False, False]
    assert table.loc[3, "lightness"] == MISSING_LOEUF_LIGHTNESS
    assert table.loc[2, "saturation"] == 0.0  # missing tau: grey
    assert table.loc[5, "color_hex"] == "#000000"
    assert table["color_hex"].str.fullmatch(r"#[0-9a-f]{6}").all()
    for row in table.itertuples():
        assert contrast_ratio(row.color_hex, row.text_color_hex) >= 4.5
        single = skin_colour(row.symbol, genes.tau[row.Index], genes.loeuf[row.Index])
        assert single["color_hex"] == row.color_hex and single["color_name"] == row.color_name
    pd.testing.assert_frame_equal(table, colour_table(genes))
