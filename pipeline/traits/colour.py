"""Skin colour: hue from the symbol's first letter, saturation from tau, lightness from LOEUF.

The colour is built in OKHSL (Björn Ottosson's perceptual HSL, via ``coloraide``),
so equal lightness looks equally light across hues.

* **Hue** -- the first letter of the symbol, 26 even steps round the circle:
  ``A`` = 0°, ``B`` = 360/26 ≈ 13.85°, …, ``Z`` ≈ 346.15°.  Case is ignored.  A
  symbol that does not start with an ASCII letter (none in HGNC today) has no hue:
  :func:`hue_from_symbol` returns ``None`` and the colour is a grey.
* **Saturation** -- HPA tau, clipped to 0–1: 0 (expressed everywhere) is grey, 1
  (one tissue) is vivid.  Missing tau counts as 0 (grey) and is flagged.
* **Lightness** -- gnomAD LOEUF clipped to 0–2 and halved: 0 (intolerant) is black,
  2 (tolerant) is white.  Missing LOEUF gets :data:`MISSING_LOEUF_LIGHTNESS`
  (0.5, the middle) and is flagged in ``loeuf_missing``.
* **Bicone** -- near black or white there is no room for colour, so the OKHSL
  saturation actually used is ``tau * (1 - |2L - 1|)``: full at mid lightness,
  falling linearly to zero at black (L = 0) and white (L = 1).  Very dark and very
  light characters read as black or white whatever their hue and tau.
* **sRGB** -- OKHSL is converted to sRGB and gamut-mapped (coloraide's ``fit``),
  then written as ``#rrggbb``.
* **Text colour** -- black or white, whichever has the higher WCAG 2.1 contrast
  ratio against the skin colour (ties go to black).  The better of the two is
  always about 4.58:1 or more, so pill text always passes WCAG AA (4.5:1).
* **Colour name** -- the nearest CSS named colour (the 148 CSS Color 4 keywords
  shipped by coloraide; synonyms like ``gray``/``grey`` collapsed to the
  alphabetically first) by CIEDE2000 in CIELab (D65), computed with numpy
  against the whole palette at once (:func:`delta_e_2000`; checked against
  coloraide's ``delta_e(method="2000")`` in the tests).  deltaE 2000 was chosen
  over deltaE OK because the CSS palette has few dark greys and deltaE OK names
  dark brownish greys "midnightblue"; deltaE 2000 calls them "black".
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd
from coloraide.css import color_names
from coloraide.everything import ColorAll

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HUE_STEP = 360.0 / len(LETTERS)
LOEUF_MAX = 2.0
MISSING_LOEUF_LIGHTNESS = 0.5
WHITE = "#ffffff"
BLACK = "#000000"
# Rounding of inputs before the (cached) conversion: far below a visible difference.
_ROUND = 4


def hue_from_symbol(symbol: str) -> float | None:
    """Hue in degrees from the first letter (A = 0°, 26 even steps); ``None`` if it is not a letter."""
    if not isinstance(symbol, str) or not symbol:
        return None
    index = LETTERS.find(symbol[0].upper())
    return None if index < 0 else index * HUE_STEP


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def saturation_from_tau(tau: float | None) -> float:
    """Nominal saturation: tau clipped to 0–1; missing tau → 0 (grey)."""
    if tau is None or _missing(tau):
        return 0.0
    return float(min(max(float(tau), 0.0), 1.0))


def lightness_from_loeuf(loeuf: float | None) -> float:
    """Lightness 0–1: LOEUF clipped to 0–2 and halved; missing → :data:`MISSING_LOEUF_LIGHTNESS`."""
    if loeuf is None or _missing(loeuf):
        return MISSING_LOEUF_LIGHTNESS
    return float(min(max(float(loeuf), 0.0), LOEUF_MAX) / LOEUF_MAX)


def bicone_saturation(saturation: float, lightness: float) -> float:
    """Saturation actually used: ``saturation * (1 - |2L - 1|)`` (zero at black and white)."""
    return float(saturation * (1.0 - abs(2.0 * lightness - 1.0)))


@cache
def _palette() -> tuple[tuple[str, ...], np.ndarray]:
    """CSS named colours (synonyms collapsed) and their CIELab (D65) coordinates."""
    by_value: dict[tuple, str] = {}
    for name in sorted(color_names.name2val_map):
        rgba = color_names.name2val_map[name]
        if name == "transparent" or rgba[3] < 255:
            continue
        by_value.setdefault(tuple(rgba[:3]), name)
    names = tuple(sorted(by_value.values()))
    lab = np.array(
        [
            ColorAll("srgb", [c / 255 for c in color_names.name2val_map[n][:3]]).convert("lab-d65").coords()
            for n in names
        ]
    )
    return names, lab


def delta_e_2000(lab: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """CIEDE2000 between CIELab colours ``lab`` (m, 3) or (3,) and each row of ``palette`` (n, 3).

    Returns an (m, n) array, or (n,) for a single colour.
    """
    lab = np.asarray(lab, dtype=float)
    single = lab.ndim == 1
    lab = np.atleast_2d(lab)
    l1, a1, b1 = lab[:, 0:1], lab[:, 1:2], lab[:, 2:3]
    l2, a2, b2 = palette[None, :, 0], palette[None, :, 1], palette[None, :, 2]
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl = l2 - l1
    dc = c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0.0, dh)
    dhh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    hsum = h1p + h2p
    h_bar = np.where(
        c1p * c2p == 0,
        hsum,
        np.where(np.abs(h1p - h2p) <= 180, hsum / 2, np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))) * r_c
    distance = np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dhh / s_h) ** 2 + r_t * (dc / s_c) * (dhh / s_h))
    return distance[0] if single else distance


def _nearest_name(lab: list[float]) -> str:
    names, palette = _palette()
    return names[int(np.argmin(delta_e_2000(np.asarray(lab), palette)))]


def _better_text(luminance: float) -> str:
    """Black or white text for a background of relative luminance Y (WCAG 2.1 ratios).

    Against black the ratio is (Y + 0.05) / 0.05, against white 1.05 / (Y + 0.05).
    """
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return BLACK if on_black >= on_white else WHITE


@lru_cache(maxsize=65536)
def _render(hue: float | None, saturation: float, lightness: float) -> tuple[str, str, tuple[float, ...]]:
    """(colour hex, text colour hex, CIELab) for rounded OKHSL inputs (bicone already applied)."""
    okhsl = ColorAll("okhsl", [0.0 if hue is None else hue, saturation, lightness])
    srgb = okhsl.convert("srgb").fit("srgb")
    color_hex = srgb.to_string(hex=True)
    text = _better_text(ColorAll(color_hex).luminance())  # from the hex, as text_color_hex does
    return color_hex, text, tuple(srgb.convert("lab-d65").coords())


def skin_colour(symbol: str, tau: float | None, loeuf: float | None, *, name: bool = True) -> dict:
    """Every colour field for one gene (see the module docstring).

    With ``name=False`` the ``color_name`` is left out and ``lab`` (CIELab of the
    colour) given instead, for naming many colours at once.
    """
    hue = hue_from_symbol(symbol)
    lightness = lightness_from_loeuf(loeuf)
    nominal = saturation_from_tau(tau) if hue is not None else 0.0
    saturation = bicone_saturation(nominal, lightness)
    color_hex, text, lab = _render(
        None if hue is None else round(hue, _ROUND), round(saturation, _ROUND), round(lightness, _ROUND)
    )
    fields: dict[str, Any] = {
        "symbol": symbol,
        "hue": hue,
        "saturation": saturation,
        "lightness": lightness,
        "color_hex": color_hex,
        "text_color_hex": text,
        "loeuf_missing": _missing(loeuf),
        "tau_missing": _missing(tau),
    }
    if name:
        fields["color_name"] = _nearest_name(list(lab))
    else:
        fields["lab"] = lab
    return fields


def color_hex(symbol: str, tau: float | None, loeuf: float | None) -> str:
    """The skin colour as sRGB ``#rrggbb``."""
    return skin_colour(symbol, tau, loeuf)["color_hex"]


def text_color_hex(background_hex: str) -> str:
    """``#000000`` or ``#ffffff``, whichever has the higher WCAG 2.1 contrast on ``background_hex``."""
    return _better_text(ColorAll(background_hex).luminance())


def contrast_ratio(a_hex: str, b_hex: str) -> float:
    """WCAG 2.1 contrast ratio between two colours (1 to 21)."""
    return float(ColorAll(a_hex).contrast(b_hex, method="wcag21"))


def color_name(hex_colour: str) -> str:
    """Nearest CSS named colour by CIEDE2000."""
    return _nearest_name(ColorAll(hex_colour).convert("lab-d65").coords())


COLUMNS = [
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


def colour_table(genes: pd.DataFrame) -> pd.DataFrame:
    """Colour fields for every gene of the gene table (needs ``symbol``, ``tau``, ``loeuf``).

    ``saturation`` is the bicone (effective) OKHSL saturation; conversions are
    cached per distinct colour, so the full table takes about a second.
    """
    rows = [
        skin_colour(symbol, tau, loeuf, name=False)
        for symbol, tau, loeuf in zip(genes["symbol"], genes["tau"], genes["loeuf"], strict=True)
    ]
    table = pd.DataFrame(rows, index=genes.index)
    names, palette = _palette()
    unique = table.drop_duplicates("color_hex")
    nearest = delta_e_2000(np.array(unique["lab"].tolist()), palette).argmin(axis=1)
    by_hex = dict(zip(unique["color_hex"], (names[i] for i in nearest), strict=True))
    table["color_name"] = table["color_hex"].map(by_hex)
    table = table[COLUMNS]
    table["hue"] = table["hue"].astype("float64")
    table["loeuf_missing"] = table["loeuf_missing"].astype(bool)
    table["tau_missing"] = table["tau_missing"].astype(bool)
    return table
