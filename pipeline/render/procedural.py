"""The procedural default renderer: a stylised chibi character built from layered SVG parts.

Every trait is visible:

* sex: shoulder/waist/hip silhouette, trousers vs skirt, hair cut, lashes and brows;
* weight: body width in three classes split at the tertiles of the genes' masses, with gaps
  between classes and a log scale within each, from 2 kg (sprite) to 3,816 kg (titan), the
  body framed by a white die-cut rim so its silhouette reads on any background;
* age: in steps read from the body (``AGE_STEPS``): newborn, child, teen, adult, then greying
  hair, grey hair with a stoop, white hair with a cane; hair dyes stay darker than any grey;
* skin: ``color_hex`` fills the face, ears, neck and hands exactly (flat, and masked from the
  emulsion's palette and texture post-processing);
* aesthetics: per-family garment cut, palette, pattern and accessory, varied per style by a
  stable hash; several aesthetics are layered (jacket, shirt, lower garment, accessory);
* fantastic feature: parsed into body parts and a material (see ``procedural_features``),
  and a fixed ring of sparkles that marks every fantastic character;
* faction: the background emblem.

Where no trait decides, the character's own seeded axes do (``procedural_parts.character_for``):
face shape and hair cut from the family stem, eyes, hair tone, iris, build, sleeves, hem, prop and
pose from the symbol. Neckwear hangs below the chin and eyewear is pushed up on the forehead,
so no accessory covers the face (``face_ellipse``).

``portrait_svg`` builds the SVG; ``render_portrait`` rasterises it with Skia and applies the
emulsion (line weight as stroke width; palette, texture and style family as the finish in
``styles``).
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import skia
from PIL import Image

from ..emulsions import Emulsion
from .procedural_features import draw_feature
from .procedural_parts import (
    HAIR_CUTS,
    Look,
    character_for,
    hex_to_rgb,
    look_for,
    luminance,
    mix,
    pattern_def,
    shade,
    stable_hash,
    star_path,
)
from .styles import Drawing, finish

W, H = 768, 1024
# Recorded as the "model" of procedural portraits in manifests: bump it whenever
# the drawing changes so a re-render is not mistaken for the old images.
RENDERER_VERSION = "3"

OUTLINE = "#231c28"
_AESTHETIC_FAMILIES: dict[str, str] | None = None


def _aesthetic_families() -> dict[str, str]:
    global _AESTHETIC_FAMILIES
    if _AESTHETIC_FAMILIES is None:
        import csv

        from ..paths import GENE_DATA

        table: dict[str, str] = {}
        try:
            with open(GENE_DATA / "mappings" / "aesthetics.csv", newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    table[row["name"].strip().lower()] = row["family"].strip()
        except OSError:
            pass
        _AESTHETIC_FAMILIES = table
    return _AESTHETIC_FAMILIES


def family_of(style: str) -> str:
    fam = _aesthetic_families().get(str(style).strip().lower())
    if fam:
        return fam
    low = str(style).lower()
    for word, fam in (
        ("goth", "goth"),
        ("academia", "academia"),
        ("punk", "punk"),
        ("wave", "wave"),
        ("core", "nature-core"),
        ("kawaii", "kawaii"),
        ("cyber", "cyber"),
    ):
        if word in low:
            return fam
    return "fallback"


def _styles(traits: Mapping) -> list[str]:
    raw = traits.get("aesthetics")
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.replace(";", ",").split(",")
    return [str(s).strip() for s in list(raw) if str(s).strip()][:4]


# --------------------------------------------------------------------------------------------
# layout


#: Weight classes (kg, upper bounds inclusive): the tertiles of the 19,290 genes' masses, so a
#: third of the genome falls in each. The body jumps in width between classes and varies
#: only a little within one, so light, medium and heavy read at a glance.
WEIGHT_CLASSES_KG = (35.5, 63.65)
_WEIGHT_BANDS = ((2.0, 0.0, 0.15), (35.5, 0.40, 0.45), (63.65, 0.70, 1.0))

#: Age steps (the first age of each step, in years). The first two boundaries are the tertiles
#: of the genes' ages, so young, adult and greying each cover a third of the genome; the long
#: tail of old genes gets two further steps. Per step: (name, hair grey, wrinkles, stoop).
AGE_STEPS = (
    (-999, ("newborn", 0.0, 0, 0.0)),
    (0, ("child", 0.0, 0, 0.0)),
    (10, ("teen", 0.0, 0, 0.0)),
    (19, ("adult", 0.0, 0, 0.0)),
    (25, ("greying", 0.8, 1, 0.0)),
    (33, ("grey", 0.92, 2, 0.5)),
    (42, ("elder", 1.0, 3, 1.0)),
)
_BODY = {  # step -> (body height, head radius, widening)
    "newborn": (330.0, 165.0, 0.9),
    "child": (420.0, 152.0, 0.92),
    "teen": (460.0, 148.0, 1.0),
}
_FACES = {  # face shape -> (width, jaw, chin, cheek)
    "round": (1.0, 1.15, 1.0, 0.62),
    "oval": (0.94, 0.85, 1.05, 0.6),
    "square": (1.0, 1.45, 1.0, 0.85),
    "heart": (1.02, 0.55, 1.07, 0.5),
    "long": (0.9, 0.95, 1.12, 0.7),
}


def weight_scale(weight_kg: float) -> float:
    """Body width parameter: 0 at 2 kg, 1 at 3,816 kg, in three bands with gaps between classes.

    Within a band the scale is logarithmic (a titan is wider than a heavy gene, a sprite
    thinner than a light one), but the bands do not touch, so the classes never blur.
    """
    w = max(2.0, min(3816.0, float(weight_kg or 2.0)))
    bounds = (*WEIGHT_CLASSES_KG, 3816.0)
    for (low, t0, t1), high in zip(_WEIGHT_BANDS, bounds, strict=True):
        if w <= high:
            return t0 + (t1 - t0) * math.log(w / low) / math.log(high / low) if w > low else t0
    raise AssertionError("unreachable")


def age_step(age: float) -> tuple[str, float, int, float]:
    """(step name, hair grey 0-1, wrinkle level 0-3, stoop 0-1) for an age in years."""
    step = AGE_STEPS[0][1]
    for start, values in AGE_STEPS:
        if age >= start:
            step = values
    return step


def layout(traits: Mapping) -> dict:
    """Key geometry of the character in the 768x1024 design space (also used by tests)."""
    sex = str(traits.get("sex", "female")).lower()
    male = sex.startswith("m")
    look = character_for(str(traits.get("symbol", "")), str(traits.get("family") or ""))
    t = weight_scale(traits.get("weight_kg", 50.0))
    age = float(traits.get("age", 20) or 0)
    stage, grey, wrinkles, stoop = age_step(age)
    body_h, head_r, widen = _BODY.get(stage, (550.0, 136.0, 1.0))
    feet_y = 985.0
    shoulder_y = feet_y - body_h + stoop * 30
    hip_y = shoulder_y + body_h * 0.52
    face_w, jaw, chin, cheek = _FACES[look.face]
    head_ry = head_r * 1.04
    head_cy = shoulder_y - head_ry * 0.92 + stoop * 18
    build = 1 + 0.06 * look.build
    sw = (62 + 215 * t) * widen * (1.12 if male else 0.9) * build
    ww = (46 + 250 * t**1.3 * 1.0 + 18 * t) * widen * (0.92 if male else 0.78)
    hw = (ww * (1.0 if male else 1.2) + (6 if male else 18)) * (2 - build)
    if stage == "newborn":
        sw *= 0.9
        ww = max(ww, sw * 0.95)
        hw = max(hw, ww)
    sw, ww, hw = min(sw, 330), min(ww, 330), min(hw, 335)
    arm_w = 30 + 58 * t
    hand_r = 20 + 16 * t + (4 if body_h > 500 else 0)
    reach = max(sw, ww) + arm_w * 0.45
    cx = W / 2
    waist_y = shoulder_y + body_h * 0.34
    hands = [(cx - reach, hip_y + 8), (cx + reach, hip_y + 8)]
    elbows = [(cx + s * (sw + arm_w * 0.2), shoulder_y + 60) for s in (-1, 1)]
    pose = "down" if stage in ("newborn", "elder") else look.pose
    if pose == "wave":  # the right hand raised beside the head
        hands[1] = (max(cx + sw + arm_w + 40, cx + head_r + 100), shoulder_y - 110)
        elbows[1] = (cx + sw + arm_w + 70, shoulder_y + 40)
    elif pose == "hips":  # both fists on the hips, elbows out
        for k, s in enumerate((-1, 1)):
            hands[k] = (cx + s * (max(ww, hw) * 0.95 + 10), waist_y + 40)
            elbows[k] = (cx + s * (max(sw, ww) + arm_w * 1.6), shoulder_y + 40)
    elif pose == "hold":  # the right hand in front of the chest, holding the prop up
        hands[1] = (cx + ww * 0.55 + 20, waist_y + 20)
        elbows[1] = (cx + sw + arm_w * 1.2, waist_y + 40)
    # a titan's raised hand or elbow would leave the picture: keep them inside it
    hands = [(min(max(x, 70.0), W - 70.0), y) for x, y in hands]
    elbows = [(min(max(x, 40.0), W - 40.0), y) for x, y in elbows]
    leg_gap = 10
    feet_x = [cx - hw * 0.5 - leg_gap / 2, cx + hw * 0.5 + leg_gap / 2]
    return {
        "male": male,
        "t": t,
        "age": age,
        "stage": stage,
        "grey": grey,
        "wrinkles": wrinkles,
        "stoop": stoop,
        "cane": stage == "elder",
        "look": look,
        "pose": pose,
        "cx": cx,
        "head_cy": head_cy,
        "head_r": head_r,
        "head_ry": head_ry,
        "face_w": face_w,
        "jaw": jaw,
        "cheek": cheek,
        "chin_y": head_cy + head_ry * chin,
        "shoulder_y": shoulder_y,
        "waist_y": waist_y,
        "hip_y": hip_y,
        "feet_y": feet_y,
        "shoulder_w": sw,
        "waist_w": ww,
        "hip_w": hw,
        "arm_w": arm_w,
        "hand_r": hand_r,
        "hands": hands,
        "elbows": elbows,
        "feet_x": feet_x,
    }


def face_ellipse(g: dict) -> tuple[float, float, float, float]:
    """(cx, cy, rx, ry) of the face proper, eyes to chin: no accessory may draw inside it."""
    above_eyes = g["head_cy"] - g["head_ry"] * 0.22
    return g["cx"], (above_eyes + g["chin_y"]) / 2, g["head_r"] * g["face_w"] * 0.78, (g["chin_y"] - above_eyes) / 2


# --------------------------------------------------------------------------------------------
# SVG parts


def _stroke(emulsion: Emulsion) -> dict:
    lw = max(0.0, min(6.0, float(emulsion.line_weight)))
    w = 3.2 * lw
    attr = f'stroke="{OUTLINE}" stroke-width="{w:.2f}" stroke-linejoin="round"' if w > 0.05 else 'stroke="none"'
    return {"w": w, "attr": attr, "color": OUTLINE}


def _sprinkles(look: Look, rng: random.Random) -> str:
    dot = mix(look.background, look.accent, 0.35)
    out = []
    for _ in range(14):
        x, y, s = rng.uniform(20, W - 20), rng.uniform(20, H * 0.8), rng.uniform(6, 16)
        out.append(f'<path d="{star_path(x, y, s, s * 0.45, 4)}" fill="{dot}" fill-opacity="0.6"/>')
    return "".join(out)


def _background(g: dict, look: Look, faction: str, rng: random.Random | None, st: dict) -> str:
    top = look.background
    bottom = shade(top, -0.25) if luminance(top) > 0.35 else shade(top, 0.12)
    out = [
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{shade(top, 0.1)}"/>'
        f'<stop offset="1" stop-color="{bottom}"/></linearGradient></defs><rect width="{W}" height="{H}" fill="url(#bg)"/>'
    ]
    if rng is not None:
        out.append(_sprinkles(look, rng))
    ex, ey, R = W / 2, g["head_cy"] + 20, 330
    if faction == "pro-growth":
        rays = "".join(
            f'<path d="M{ex:.1f} {ey:.1f}L{ex + math.cos(a) * R * 1.6:.1f} {ey + math.sin(a) * R * 1.6:.1f}L{ex + math.cos(a + 0.13) * R * 1.6:.1f} {ey + math.sin(a + 0.13) * R * 1.6:.1f}Z" fill="#ffd54a" fill-opacity="0.35"/>'
            for a in (k * math.pi / 8 for k in range(16))
        )
        out.append(
            rays
            + f'<circle cx="{ex}" cy="{ey:.1f}" r="{R * 0.78:.1f}" fill="#ffc93c" fill-opacity="0.75" {st["attr"]}/>'
            f'<path d="M{ex} {ey - R * 0.68:.1f}L{ex + R * 0.5:.1f} {ey - R * 0.1:.1f}H{ex + R * 0.2:.1f}V{ey + R * 0.6:.1f}H{ex - R * 0.2:.1f}V{ey - R * 0.1:.1f}H{ex - R * 0.5:.1f}Z" '
            f'fill="#3fa34d" fill-opacity="0.85" {st["attr"]}/>'
        )
    elif faction == "pro-control":
        sh = (
            f"M{ex} {ey - R * 0.85:.1f}L{ex + R * 0.72:.1f} {ey - R * 0.6:.1f}Q{ex + R * 0.72:.1f} {ey + R * 0.45:.1f} {ex} {ey + R * 0.95:.1f}"
            f"Q{ex - R * 0.72:.1f} {ey + R * 0.45:.1f} {ex - R * 0.72:.1f} {ey - R * 0.6:.1f}Z"
        )
        out.append(
            f'<path d="{sh}" fill="#3d6fb6" fill-opacity="0.8" {st["attr"]}/>'
            f'<path d="{sh}" fill="none" stroke="#c8d6ea" stroke-width="14" transform="translate({ex} {ey}) scale(0.86) translate({-ex} {-ey})"/>'
            f'<path d="M{ex - R * 0.2:.1f} {ey - R * 0.05:.1f}V{ey - R * 0.22:.1f}A{R * 0.2:.1f} {R * 0.2:.1f} 0 0 1 {ex + R * 0.2:.1f} {ey - R * 0.22:.1f}V{ey - R * 0.05:.1f}" '
            f'fill="none" stroke="#e8eef7" stroke-width="22"/>'
            f'<rect x="{ex - R * 0.3:.1f}" y="{ey - R * 0.07:.1f}" width="{R * 0.6:.1f}" height="{R * 0.45:.1f}" rx="14" fill="#e8eef7"/>'
            f'<circle cx="{ex}" cy="{ey + R * 0.1:.1f}" r="{R * 0.06:.1f}" fill="#3d6fb6"/>'
        )
    elif faction == "turncoat":
        out.append(
            f'<defs><clipPath id="lefthalf"><path d="M0 0H{ex}L{ex - 40} {ey}L{ex + 40} {ey + 90}L{ex} {H}H0Z"/></clipPath></defs>'
            f'<circle cx="{ex}" cy="{ey:.1f}" r="{R * 0.85:.1f}" fill="#3d6fb6" fill-opacity="0.85" {st["attr"]}/>'
            f'<circle cx="{ex}" cy="{ey:.1f}" r="{R * 0.85:.1f}" fill="#e2573b" fill-opacity="0.9" clip-path="url(#lefthalf)"/>'
            f'<path d="M{ex - R * 0.45:.1f} {ey + R * 0.3:.1f}L{ex - R * 0.45:.1f} {ey - R * 0.35:.1f}L{ex - R * 0.7:.1f} {ey - R * 0.1:.1f}M{ex - R * 0.45:.1f} {ey - R * 0.35:.1f}L{ex - R * 0.2:.1f} {ey - R * 0.1:.1f}" '
            f'stroke="#fff3e0" stroke-width="26" fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
            f'<path d="M{ex + R * 0.45:.1f} {ey - R * 0.4:.1f}L{ex + R * 0.7:.1f} {ey - R * 0.3:.1f}Q{ex + R * 0.7:.1f} {ey + R * 0.15:.1f} {ex + R * 0.45:.1f} {ey + R * 0.35:.1f}'
            f'Q{ex + R * 0.2:.1f} {ey + R * 0.15:.1f} {ex + R * 0.2:.1f} {ey - R * 0.3:.1f}Z" fill="#e8eef7"/>'
            f'<circle cx="{ex}" cy="{ey:.1f}" r="{R * 0.85:.1f}" fill="none" {st["attr"]}/>'
        )
    # floor
    out.append(
        f'<ellipse cx="{W / 2}" cy="{g["feet_y"] + 4:.1f}" rx="{max(g["hip_w"], g["shoulder_w"]) + 90:.1f}" ry="26" fill="#000000" fill-opacity="0.22"/>'
    )
    return "".join(out)


#: Hair before any greying is never lighter than this luma, so grey and white hair only ever
#: mean age, whatever a style's dye.
_HAIR_MAX_LUMA = 0.25
#: What each age step greys towards: salt and pepper, grey, white.
_GREY_HAIR = "#d2d2d2"
_WHITE_HAIR = "#f4f4f2"


def _hair_colour(g: dict, look: Look) -> str:
    """The seeded natural tone or the style's dye, darkened below grey, then greyed by the age step."""
    base = g["look"].hair_tone
    if look.hair and (look.family in ("goth", "punk", "cyber", "rave", "kawaii", "horror", "glitch") or g["look"].dyed):
        base = look.hair
    lum = luminance(base)
    if lum > _HAIR_MAX_LUMA:
        base = shade(base, -(1 - _HAIR_MAX_LUMA / lum))
    target = _WHITE_HAIR if g["grey"] >= 1 else mix(_GREY_HAIR, _WHITE_HAIR, max(0.0, g["grey"] - 0.8) * 4)
    return mix(base, target, g["grey"])


def _hair_back(g: dict, col: str, style: str, st: dict) -> str:
    cx, cy, r, ry = g["cx"], g["head_cy"], g["head_r"], g["head_ry"]
    if style == "long":
        bottom = g["shoulder_y"] + 120
        return (
            f'<path d="M{cx - r * 1.12:.1f} {cy:.1f}C{cx - r * 1.3:.1f} {cy - ry * 1.5:.1f} {cx + r * 1.3:.1f} {cy - ry * 1.5:.1f} {cx + r * 1.12:.1f} {cy:.1f}'
            f"C{cx + r * 1.2:.1f} {bottom - 80:.1f} {cx + r * 1.25:.1f} {bottom:.1f} {cx + r * 0.9:.1f} {bottom:.1f}L{cx - r * 0.9:.1f} {bottom:.1f}"
            f'C{cx - r * 1.25:.1f} {bottom:.1f} {cx - r * 1.2:.1f} {bottom - 80:.1f} {cx - r * 1.12:.1f} {cy:.1f}Z" fill="{col}" {st["attr"]}/>'
        )
    if style == "twintails":
        return "".join(
            f'<path d="M{cx + s * r * 0.8:.1f} {cy - ry * 0.6:.1f}C{cx + s * r * 1.9:.1f} {cy - ry * 0.6:.1f} {cx + s * r * 1.7:.1f} {cy + ry * 1.3:.1f} {cx + s * r * 1.25:.1f} {cy + ry * 1.6:.1f}'
            f'C{cx + s * r * 1.3:.1f} {cy + ry * 0.7:.1f} {cx + s * r * 1.1:.1f} {cy:.1f} {cx + s * r * 0.7:.1f} {cy - ry * 0.2:.1f}Z" fill="{col}" {st["attr"]}/>'
            for s in (-1, 1)
        )
    if style == "bun":
        return f'<circle cx="{cx:.1f}" cy="{cy - ry * 1.05:.1f}" r="{r * 0.42:.1f}" fill="{col}" {st["attr"]}/>'
    if style == "afro":
        return f'<ellipse cx="{cx:.1f}" cy="{cy - ry * 0.35:.1f}" rx="{r * 1.5:.1f}" ry="{ry * 1.1:.1f}" fill="{col}" {st["attr"]}/>'
    if style == "ponytail":
        return (
            f'<path d="M{cx + r * 0.6:.1f} {cy - ry * 0.9:.1f}C{cx + r * 1.7:.1f} {cy - ry * 1.0:.1f} {cx + r * 1.8:.1f} {cy + ry * 0.4:.1f} {cx + r * 1.35:.1f} {cy + ry * 1.3:.1f}'
            f'C{cx + r * 1.4:.1f} {cy + ry * 0.3:.1f} {cx + r * 1.2:.1f} {cy - ry * 0.5:.1f} {cx + r * 0.7:.1f} {cy - ry * 0.55:.1f}Z" fill="{col}" {st["attr"]}/>'
            f'<circle cx="{cx + r * 1.0:.1f}" cy="{cy - ry * 0.8:.1f}" r="14" fill="{shade(col, 0.35)}" {st["attr"]}/>'
        )
    return ""


def _hair_front(g: dict, col: str, style: str, st: dict) -> str:
    cx, cy, r, ry = g["cx"], g["head_cy"], g["head_r"], g["head_ry"]
    top = cy - ry
    hi = shade(col, 0.25)
    if style == "none":
        return ""
    if style == "tuft":
        return f'<path d="M{cx - 10:.1f} {top + 6:.1f}q-5 -40 30 -50q-25 20 -10 50Z" fill="{col}" {st["attr"]}/>'
    if style == "mohawk":
        spikes = "".join(
            f'<path d="M{cx - 22:.1f} {top + 30 + k * 28:.1f}L{cx:.1f} {top - 80 + abs(k - 2) * 20:.1f}L{cx + 22:.1f} {top + 30 + k * 28:.1f}Z" fill="{col}" {st["attr"]}/>'
            for k in range(5)
        )
        return (
            f'<path d="M{cx - r * 0.95:.1f} {cy - ry * 0.2:.1f}Q{cx:.1f} {top - ry * 0.05:.1f} {cx + r * 0.95:.1f} {cy - ry * 0.2:.1f}Q{cx:.1f} {top + ry * 0.25:.1f} {cx - r * 0.95:.1f} {cy - ry * 0.2:.1f}Z" fill="{shade(col, -0.35)}" fill-opacity="0.6"/>'
            + spikes
        )
    # a cap of hair over the cranium with a fringe shape that depends on the style
    cap = f"M{cx - r * 1.06:.1f} {cy + ry * 0.05:.1f}C{cx - r * 1.2:.1f} {top - ry * 0.45:.1f} {cx + r * 1.2:.1f} {top - ry * 0.45:.1f} {cx + r * 1.06:.1f} {cy + ry * 0.05:.1f}"
    if style == "fringe":  # thinning: a horseshoe of hair round the sides, the crown bare
        return "".join(
            f'<path d="M{cx + s * r * 1.04:.1f} {cy + ry * 0.15:.1f}Q{cx + s * r * 1.12:.1f} {cy - ry * 0.55:.1f} {cx + s * r * 0.7:.1f} {cy - ry * 0.75:.1f}'
            f'Q{cx + s * r * 0.85:.1f} {cy - ry * 0.3:.1f} {cx + s * r * 0.86:.1f} {cy + ry * 0.1:.1f}Z" fill="{col}" {st["attr"]}/>'
            for s in (-1, 1)
        )
    if style == "buzz":  # close-cropped: the cap hugs the cranium, no fringe
        return f'<path d="M{cx - r * 1.02:.1f} {cy - ry * 0.05:.1f}C{cx - r * 1.1:.1f} {top - ry * 0.32:.1f} {cx + r * 1.1:.1f} {top - ry * 0.32:.1f} {cx + r * 1.02:.1f} {cy - ry * 0.05:.1f}Q{cx:.1f} {cy - ry * 0.75:.1f} {cx - r * 1.02:.1f} {cy - ry * 0.05:.1f}Z" fill="{col}" {st["attr"]}/>'
    if style == "spiky":
        spikes = "".join(
            f'<path d="M{cx + k * r * 0.3 - r * 0.2:.1f} {top + ry * 0.25:.1f}L{cx + k * r * 0.38:.1f} {top - ry * (0.45 - 0.06 * abs(k)):.1f}L{cx + k * r * 0.3 + r * 0.2:.1f} {top + ry * 0.25:.1f}Z" fill="{col}" {st["attr"]}/>'
            for k in range(-2, 3)
        )
        return (
            spikes
            + f'<path d="{cap}Q{cx:.1f} {cy - ry * 0.45:.1f} {cx - r * 1.06:.1f} {cy + ry * 0.05:.1f}Z" fill="{col}" {st["attr"]}/>'
        )
    if style == "crop":
        return f'<path d="{cap}L{cx + r * 1.0:.1f} {cy - ry * 0.4:.1f}H{cx - r * 1.0:.1f}Z" fill="{col}" {st["attr"]}/><path d="M{cx - r * 0.5:.1f} {top + ry * 0.12:.1f}Q{cx:.1f} {top:.1f} {cx + r * 0.4:.1f} {top + ry * 0.1:.1f}" stroke="{hi}" stroke-width="6" fill="none"/>'
    if style in ("long", "bob", "bun", "twintails", "ponytail", "afro"):
        fringe = (
            f"L{cx + r * 0.9:.1f} {cy - ry * 0.35:.1f}Q{cx + r * 0.6:.1f} {cy - ry * 0.3:.1f} {cx + r * 0.45:.1f} {cy - ry * 0.5:.1f}"
            f"Q{cx + r * 0.2:.1f} {cy - ry * 0.28:.1f} {cx:.1f} {cy - ry * 0.42:.1f}Q{cx - r * 0.25:.1f} {cy - ry * 0.25:.1f} {cx - r * 0.5:.1f} {cy - ry * 0.45:.1f}"
            f"Q{cx - r * 0.7:.1f} {cy - ry * 0.3:.1f} {cx - r * 0.9:.1f} {cy - ry * 0.35:.1f}Z"
        )
        extra = ""
        if style == "bob":
            extra = "".join(
                f'<path d="M{cx + s * r * 1.06:.1f} {cy - ry * 0.2:.1f}Q{cx + s * r * 1.22:.1f} {cy + ry * 0.6:.1f} {cx + s * r * 0.95:.1f} {cy + ry * 0.75:.1f}L{cx + s * r * 0.82:.1f} {cy - ry * 0.1:.1f}Z" fill="{col}" {st["attr"]}/>'
                for s in (-1, 1)
            )
        if style == "long":
            extra = "".join(
                f'<path d="M{cx + s * r * 1.06:.1f} {cy - ry * 0.2:.1f}Q{cx + s * r * 1.2:.1f} {cy + ry * 0.9:.1f} {cx + s * r * 1.02:.1f} {g["shoulder_y"] + 60:.1f}L{cx + s * r * 0.86:.1f} {cy + ry * 0.2:.1f}Z" fill="{col}" {st["attr"]}/>'
                for s in (-1, 1)
            )
        return (
            f'<path d="{cap}{fringe}" fill="{col}" {st["attr"]}/>'
            + extra
            + f'<path d="M{cx - r * 0.5:.1f} {top + ry * 0.12:.1f}Q{cx - r * 0.2:.1f} {top - ry * 0.02:.1f} {cx + r * 0.1:.1f} {top + ry * 0.05:.1f}" stroke="{hi}" stroke-width="7" fill="none" stroke-linecap="round"/>'
        )
    if style == "quiff":
        fringe = (
            f"L{cx + r * 0.95:.1f} {cy - ry * 0.3:.1f}Q{cx + r * 0.5:.1f} {cy - ry * 0.65:.1f} {cx - r * 0.2:.1f} {cy - ry * 0.55:.1f}"
            f"Q{cx - r * 0.8:.1f} {cy - ry * 0.5:.1f} {cx - r * 0.95:.1f} {cy - ry * 0.25:.1f}Z"
        )
        wave = f'<path d="M{cx - r * 0.7:.1f} {top - ry * 0.05:.1f}Q{cx:.1f} {top - ry * 0.45:.1f} {cx + r * 0.75:.1f} {top + ry * 0.05:.1f}Q{cx + r * 0.1:.1f} {top - ry * 0.15:.1f} {cx - r * 0.7:.1f} {top - ry * 0.05:.1f}Z" fill="{col}" {st["attr"]}/>'
        return f'<path d="{cap}{fringe}" fill="{col}" {st["attr"]}/>' + wave
    # crop / side part
    fringe = (
        f"L{cx + r * 1.0:.1f} {cy - ry * 0.25:.1f}Q{cx + r * 0.6:.1f} {cy - ry * 0.55:.1f} {cx - r * 0.1:.1f} {cy - ry * 0.5:.1f}"
        f"L{cx - r * 0.25:.1f} {cy - ry * 0.62:.1f}Q{cx - r * 0.7:.1f} {cy - ry * 0.5:.1f} {cx - r * 1.0:.1f} {cy - ry * 0.2:.1f}Z"
    )
    return f'<path d="{cap}{fringe}" fill="{col}" {st["attr"]}/><path d="M{cx - r * 0.25:.1f} {cy - ry * 0.62:.1f}Q{cx - r * 0.3:.1f} {top + ry * 0.1:.1f} {cx - r * 0.2:.1f} {top + ry * 0.02:.1f}" stroke="{hi}" stroke-width="6" fill="none"/>'


def _trousered(g: dict) -> bool:
    return g["male"] or g["stage"] == "newborn"


def _hem_y(g: dict) -> float:
    """Where the lower garment ends: trousers at the shoe, a skirt at the knee or the ankle.

    Trousers are never cropped: bare shins under them would read as the legs under a skirt.
    """
    if _trousered(g):
        return g["feet_y"] - 30
    short = g["look"].hem == "short"
    return g["hip_y"] + (g["feet_y"] - g["hip_y"]) * (0.55 if short else 0.82)


def _leg_outlines(g: dict) -> list[str]:
    """Path data of the lower body: two trouser legs, or a skirt and the two legs under it."""
    cx, hip_y, feet_y, hw = g["cx"], g["hip_y"], g["feet_y"], g["hip_w"]
    gap = 10
    hem = _hem_y(g)
    if _trousered(g):
        outlines = []
        for s in (-1, 1):
            x0, x1 = sorted((cx + s * gap / 2, cx + s * (gap / 2 + hw * 0.92)))
            outlines.append(f"M{x0:.1f} {hip_y - 30:.1f}H{x1:.1f}L{x1 - 6:.1f} {hem:.1f}H{x0 + 6:.1f}Z")
        return outlines
    knee = hem
    flare = hw * 1.35 + 30
    lw = max(22.0, hw * 0.38)
    skirt = (
        f"M{cx - hw * 0.95:.1f} {hip_y - 60:.1f}H{cx + hw * 0.95:.1f}L{cx + flare:.1f} {knee:.1f}"
        f"Q{cx:.1f} {knee + 26:.1f} {cx - flare:.1f} {knee:.1f}Z"
    )
    legs = [
        f"M{cx + s * hw * 0.42 - lw / 2:.1f} {knee - 40:.1f}h{lw:.1f}v{feet_y - knee + 10:.1f}h{-lw:.1f}Z"
        for s in (-1, 1)
    ]
    return [skirt, *legs]


def _sticker_rim(g: dict, look: Look, st: dict) -> str:
    """A white rim round the torso and legs, as on a die-cut sticker.

    The silhouette, and with it the build, then reads the same on a dark or a light
    background: the body is always bounded by light, then the outline.
    """
    width = st["w"] + 22
    return "".join(
        f'<path d="{d}" fill="#ffffff" stroke="#ffffff" stroke-width="{width:.1f}" stroke-linejoin="round"/>'
        for d in (_torso_outline(g, look)[0], *_leg_outlines(g))
    )


def _temple_locks(g: dict, col: str, style: str, st: dict) -> str:
    """Locks at the temples, beside the face and below any hat brim, drawn over headwear.

    Hats hide the crown, so these are where greying shows whatever the character wears.
    """
    if style in ("none", "tuft", "mohawk"):
        return ""
    cx, cy, r, ry = g["cx"], g["head_cy"], g["head_r"] * g["face_w"], g["head_ry"]
    return "".join(
        f'<path d="M{cx + s * r * 0.8:.1f} {cy - ry * 0.3:.1f}Q{cx + s * r * 1.12:.1f} {cy - ry * 0.32:.1f} {cx + s * r * 1.1:.1f} {cy + ry * 0.25:.1f}'
        f'Q{cx + s * r * 0.98:.1f} {cy + ry * 0.1:.1f} {cx + s * r * 0.86:.1f} {cy - ry * 0.12:.1f}Z" fill="{col}" {st["attr"]}/>'
        for s in (-1, 1)
    )


def _legs(g: dict, lower: Look, skin: str, st: dict, pat_id: str | None) -> str:
    cx, hip_y, feet_y, hw = g["cx"], g["hip_y"], g["feet_y"], g["hip_w"]
    out = []
    shoe = shade(lower.accent if lower.family in ("kawaii", "wave", "street", "rave") else "#2a2326", -0.1)
    trouser = shade(lower.main, -0.12)
    leg_w = hw * 0.92
    gap = 10
    outlines = _leg_outlines(g)
    if _trousered(g):
        for s, d in zip((-1, 1), outlines, strict=True):
            out.append(f'<path d="{d}" fill="{trouser}" {st["attr"]}/>')
            if pat_id:
                out.append(f'<path d="{d}" fill="url(#{pat_id})"/>')
            if lower.pattern == "track_stripes":
                xs = cx + s * (gap / 2 + leg_w - 14)
                out.append(
                    "".join(
                        f'<path d="M{xs - s * k * 10:.1f} {hip_y - 20:.1f}V{_hem_y(g) - 6:.1f}" stroke="{lower.accent}" stroke-width="5"/>'
                        for k in range(3)
                    )
                )
        # belt
        out.append(
            f'<rect x="{cx - leg_w - gap / 2:.1f}" y="{hip_y - 40:.1f}" width="{2 * leg_w + gap:.1f}" height="18" fill="{shade(trouser, -0.35)}" {st["attr"]}/>'
        )
    else:
        knee = _hem_y(g)
        legcol = (
            shade(lower.main, -0.45) if lower.family in ("goth", "punk", "horror", "cyber", "glitch", "rave") else skin
        )
        d, *legs = outlines
        out.extend(f'<path d="{leg}" fill="{legcol}" {st["attr"]}/>' for leg in legs)
        flare = hw * 1.35 + 30
        out.append(f'<path d="{d}" fill="{lower.main}" {st["attr"]}/>')
        if pat_id:
            out.append(f'<path d="{d}" fill="url(#{pat_id})"/>')
        out.append(
            f'<path d="M{cx - flare + 8:.1f} {knee - 14:.1f}Q{cx:.1f} {knee + 12:.1f} {cx + flare - 8:.1f} {knee - 14:.1f}" stroke="{lower.accent}" stroke-width="8" fill="none"/>'
        )
    for fx in g["feet_x"]:
        out.append(
            f'<path d="M{fx - 42:.1f} {feet_y:.1f}Q{fx - 44:.1f} {feet_y - 44:.1f} {fx:.1f} {feet_y - 42:.1f}Q{fx + 44:.1f} {feet_y - 40:.1f} {fx + 48:.1f} {feet_y:.1f}Z" fill="{shoe}" {st["attr"]}/>'
        )
    return "".join(out)


_GARMENT_FLAGS = {
    "longcoat": {"long", "lapels", "buttons"},
    "blazer": {"vneck", "lapels", "tie", "pocket"},
    "tracksuit": {"zip", "collar", "sleeve_stripes"},
    "leather": {"zip_side", "lapels", "studs"},
    "bomber": {"zip", "hem"},
    "folk_vest": {"vest", "border"},
    "pinafore": {"bib", "ruffle"},
    "apron": {"apron"},
    "techwear": {"straps", "seams"},
    "smock": {"collar", "hem"},
    "band_tee": {"graphic"},
    "hoodie": {"hood", "pocket_kanga", "strings"},
    "patchwork": {"hem"},
    "blouse": {"ruffle", "buttons"},
    "tee": {"graphic"},
    "cloak": {"cape", "clasp"},
    "cardigan": {"vneck", "buttons"},
    "labcoat": {"long", "lapels", "pocket"},
    "tattered": {"ragged"},
    "field_jacket": {"pocket", "pocket2", "collar", "buttons"},
    "waistcoat": {"vneck", "buttons", "watch"},
    "mesh_top": {"seams"},
    "knit": {"hem", "collar"},
    "tuxedo": {"vneck", "lapels", "bowtie_self"},
    "hawaiian": {"vneck", "buttons"},
    "polo": {"collar", "buttons"},
    "spacesuit": {"collar", "straps", "chest_panel"},
}


def _torso_outline(g: dict, look: Look) -> tuple[str, float, float]:
    """(path data, hem y, hem half-width) of the upper garment's silhouette."""
    cx, sy, wy, hy = g["cx"], g["shoulder_y"], g["waist_y"], g["hip_y"]
    sw, ww, hw, t = g["shoulder_w"], g["waist_w"], g["hip_w"], g["t"]
    flags = _GARMENT_FLAGS.get(look.garment, {"hem"})
    bottom = hy - 10
    if "long" in flags or "cape" in flags:
        bottom = hy + (g["feet_y"] - hy) * 0.45
    belly = ww * (0.1 + 0.35 * t)
    hemw = max(hw, ww) + (30 if "long" in flags else 6)
    neck_w = g["head_r"] * 0.32
    d = (
        f"M{cx - neck_w:.1f} {sy - 8:.1f}Q{cx - sw * 0.7:.1f} {sy - 8:.1f} {cx - sw:.1f} {sy + 30:.1f}"
        f"C{cx - sw - 6:.1f} {sy + 90:.1f} {cx - ww - belly:.1f} {wy - 20:.1f} {cx - ww - belly * 0.6:.1f} {wy + 30:.1f}"
        f"C{cx - ww:.1f} {bottom - 50:.1f} {cx - hemw:.1f} {bottom - 40:.1f} {cx - hemw:.1f} {bottom:.1f}"
        f"H{cx + hemw:.1f}C{cx + hemw:.1f} {bottom - 40:.1f} {cx + ww:.1f} {bottom - 50:.1f} {cx + ww + belly * 0.6:.1f} {wy + 30:.1f}"
        f"C{cx + ww + belly:.1f} {wy - 20:.1f} {cx + sw + 6:.1f} {sy + 90:.1f} {cx + sw:.1f} {sy + 30:.1f}"
        f"Q{cx + sw * 0.7:.1f} {sy - 8:.1f} {cx + neck_w:.1f} {sy - 8:.1f}Z"
    )
    return d, bottom, hemw


def _torso(g: dict, look: Look, shirt: Look, st: dict, pat_id: str | None) -> tuple[str, str]:
    """(torso, arms) SVG for the upper garment."""
    cx, sy, wy = g["cx"], g["shoulder_y"], g["waist_y"]
    sw, ww = g["shoulder_w"], g["waist_w"]
    flags = _GARMENT_FLAGS.get(look.garment, {"hem"})
    neck_w = g["head_r"] * 0.32
    d, bottom, hemw = _torso_outline(g, look)
    if "ragged" in flags:
        teeth = "".join(
            f"L{cx + hemw - (k + 0.5) * hemw / 4:.1f} {bottom + 26:.1f}L{cx + hemw - (k + 1) * hemw / 4:.1f} {bottom:.1f}"
            for k in range(8)
        )
        ragged = f'<path d="M{cx + hemw:.1f} {bottom - 2:.1f}{teeth}Z" fill="{look.main}"/>'
    else:
        ragged = ""
    out = [f'<path id="torso" d="{d}" fill="{look.main}" {st["attr"]}/>', ragged]
    if pat_id:
        out.append(f'<path d="{d}" fill="url(#{pat_id})"/>')
    vdepth = sy + (wy - sy) * 0.75
    if flags & {"vneck", "lapels"}:
        out.append(
            f'<path d="M{cx - neck_w * 1.3:.1f} {sy - 6:.1f}L{cx:.1f} {vdepth:.1f}L{cx + neck_w * 1.3:.1f} {sy - 6:.1f}Z" fill="{shirt.second if shirt is look else shirt.main}" {st["attr"]}/>'
        )
        if "tie" in flags:
            out.append(
                f'<path d="M{cx - 12:.1f} {sy + 10:.1f}h24l-6 14l14 {vdepth - sy - 40:.1f}l-20 18l-20 -18l14 -{vdepth - sy - 40:.1f}Z" fill="{look.accent}" {st["attr"]}/>'
            )
        if "bowtie_self" in flags:
            out.append(
                f'<path d="M{cx:.1f} {sy + 14:.1f}l-30 -16v32Zm0 0l30 -16v32Z" fill="{look.accent}" {st["attr"]}/>'
            )
    if "lapels" in flags:
        for s in (-1, 1):
            out.append(
                f'<path d="M{cx + s * neck_w * 1.3:.1f} {sy - 6:.1f}L{cx + s * 4:.1f} {vdepth:.1f}L{cx + s * (neck_w * 1.3 + 40):.1f} {sy + 60:.1f}L{cx + s * (neck_w * 1.3 + 16):.1f} {sy + 30:.1f}Z" fill="{shade(look.main, 0.12)}" {st["attr"]}/>'
            )
    if "buttons" in flags:
        out.append(
            "".join(
                f'<circle cx="{cx:.1f}" cy="{vdepth + 20 + k * 34 if flags & {"vneck", "lapels"} else sy + 40 + k * 38:.1f}" r="6" fill="{look.accent}" {st["attr"]}/>'
                for k in range(3)
            )
        )
    if "zip" in flags:
        out.append(
            f'<path d="M{cx:.1f} {sy - 4:.1f}V{bottom:.1f}" stroke="{look.accent}" stroke-width="5"/><rect x="{cx - 6:.1f}" y="{sy + 40:.1f}" width="12" height="26" rx="3" fill="#d9d9d9" {st["attr"]}/>'
        )
    if "zip_side" in flags:
        out.append(
            f'<path d="M{cx - 20:.1f} {sy + 10:.1f}L{cx + 30:.1f} {bottom:.1f}" stroke="#d9d9d9" stroke-width="5" stroke-dasharray="6 3"/>'
        )
    if "studs" in flags:
        out.append(
            "".join(
                f'<circle cx="{cx + s * (sw - 24 - k * 18):.1f}" cy="{sy + 30 + k * 6:.1f}" r="6" fill="#e3e3e3" {st["attr"]}/>'
                for s in (-1, 1)
                for k in range(4)
            )
        )
    if "collar" in flags:
        out.append(
            f'<path d="M{cx - neck_w * 1.5:.1f} {sy - 12:.1f}Q{cx:.1f} {sy + 36:.1f} {cx + neck_w * 1.5:.1f} {sy - 12:.1f}L{cx + neck_w * 1.7:.1f} {sy + 14:.1f}Q{cx:.1f} {sy + 60:.1f} {cx - neck_w * 1.7:.1f} {sy + 14:.1f}Z" fill="{look.accent}" {st["attr"]}/>'
        )
    if "hem" in flags:
        out.append(
            f'<rect x="{cx - hemw:.1f}" y="{bottom - 26:.1f}" width="{2 * hemw:.1f}" height="26" fill="{look.accent}" {st["attr"]}/>'
        )
    if "vest" in flags:
        out.append(
            f'<path d="M{cx - neck_w * 1.2:.1f} {sy:.1f}L{cx - ww * 0.4:.1f} {bottom:.1f}H{cx + ww * 0.4:.1f}L{cx + neck_w * 1.2:.1f} {sy:.1f}Z" fill="{look.second}" {st["attr"]}/>'
        )
    if "border" in flags:
        out.append(
            f'<path d="M{cx - neck_w * 1.2:.1f} {sy:.1f}L{cx - ww * 0.4:.1f} {bottom:.1f}M{cx + neck_w * 1.2:.1f} {sy:.1f}L{cx + ww * 0.4:.1f} {bottom:.1f}" stroke="{look.light}" stroke-width="12" stroke-dasharray="12 8"/>'
        )
    if "bib" in flags:
        out.append(
            f'<rect x="{cx - ww * 0.55:.1f}" y="{sy + 40:.1f}" width="{ww * 1.1:.1f}" height="{bottom - sy - 40:.1f}" rx="16" fill="{look.second}" {st["attr"]}/>'
            f'<path d="M{cx - 16:.1f} {sy + 80:.1f}l32 0" stroke="{look.accent}" stroke-width="10" stroke-linecap="round"/>'
        )
    if "ruffle" in flags:
        out.append(
            "".join(
                f'<circle cx="{cx + k * neck_w * 0.5:.1f}" cy="{sy + 4:.1f}" r="{neck_w * 0.32:.1f}" fill="{look.second}" {st["attr"]}/>'
                for k in range(-3, 4)
            )
        )
    if "apron" in flags:
        out.append(
            f'<path d="M{cx - ww * 0.6:.1f} {sy + 30:.1f}H{cx + ww * 0.6:.1f}V{bottom + 40:.1f}Q{cx:.1f} {bottom + 60:.1f} {cx - ww * 0.6:.1f} {bottom + 40:.1f}Z" fill="{look.second}" {st["attr"]}/>'
            f'<rect x="{cx - ww * 0.3:.1f}" y="{wy:.1f}" width="{ww * 0.6:.1f}" height="50" rx="8" fill="{look.accent}" {st["attr"]}/>'
        )
    if "straps" in flags:
        out.append(
            f'<path d="M{cx - sw * 0.7:.1f} {sy + 10:.1f}L{cx + ww * 0.8:.1f} {bottom - 10:.1f}M{cx + sw * 0.7:.1f} {sy + 10:.1f}L{cx - ww * 0.8:.1f} {bottom - 10:.1f}" stroke="{look.second}" stroke-width="22"/>'
            f'<rect x="{cx - 22:.1f}" y="{(sy + bottom) / 2 - 22:.1f}" width="44" height="44" rx="6" fill="{look.accent}" {st["attr"]}/>'
        )
    if "seams" in flags:
        out.append(
            f'<path d="M{cx - ww * 0.5:.1f} {sy + 30:.1f}V{bottom:.1f}M{cx + ww * 0.5:.1f} {sy + 30:.1f}V{bottom:.1f}" stroke="{look.accent}" stroke-width="4"/>'
        )
    if "graphic" in flags:
        out.append(
            f'<circle cx="{cx:.1f}" cy="{(sy + wy) / 2 + 20:.1f}" r="{max(24, ww * 0.45):.1f}" fill="{look.accent}" {st["attr"]}/>'
            f'<path d="{star_path(cx, (sy + wy) / 2 + 20, max(24, ww * 0.45) * 0.7, max(24, ww * 0.45) * 0.3, 5)}" fill="{look.second}"/>'
        )
    if "hood" in flags:
        out.insert(
            0,
            f'<path d="M{cx - neck_w * 2.6:.1f} {sy + 10:.1f}Q{cx:.1f} {sy - 70:.1f} {cx + neck_w * 2.6:.1f} {sy + 10:.1f}Z" fill="{shade(look.main, -0.15)}" {st["attr"]}/>',
        )
    if "pocket_kanga" in flags:
        out.append(
            f'<path d="M{cx - ww * 0.6:.1f} {bottom - 30:.1f}L{cx - ww * 0.45:.1f} {wy + 10:.1f}H{cx + ww * 0.45:.1f}L{cx + ww * 0.6:.1f} {bottom - 30:.1f}Z" fill="{shade(look.main, -0.1)}" {st["attr"]}/>'
        )
    if "strings" in flags:
        out.append(
            f'<path d="M{cx - 18:.1f} {sy + 10:.1f}v70M{cx + 18:.1f} {sy + 10:.1f}v70" stroke="{look.second}" stroke-width="6" stroke-linecap="round"/>'
        )
    if "pocket" in flags:
        out.append(
            f'<rect x="{cx - ww * 0.75:.1f}" y="{wy + 10:.1f}" width="{max(30, ww * 0.4):.1f}" height="10" fill="{shade(look.main, -0.2)}"/>'
        )
    if "pocket2" in flags:
        out.append(
            "".join(
                f'<rect x="{cx + s * sw * 0.45 - 28:.1f}" y="{sy + 50:.1f}" width="56" height="50" rx="6" fill="{shade(look.main, 0.1)}" {st["attr"]}/>'
                for s in (-1, 1)
            )
        )
    if "chest_panel" in flags:
        out.append(
            f'<rect x="{cx - 50:.1f}" y="{sy + 50:.1f}" width="100" height="60" rx="10" fill="{look.second}" {st["attr"]}/>'
            f'<circle cx="{cx - 20:.1f}" cy="{sy + 80:.1f}" r="10" fill="{look.accent}"/><circle cx="{cx + 20:.1f}" cy="{sy + 80:.1f}" r="10" fill="#4cd964"/>'
        )
    if "watch" in flags:
        out.append(
            f'<path d="M{cx + 8:.1f} {wy - 10:.1f}Q{cx + ww * 0.4:.1f} {wy + 20:.1f} {cx + ww * 0.6:.1f} {wy - 6:.1f}" stroke="#d4af37" stroke-width="4" fill="none"/>'
        )
    if "cape" in flags:
        out.insert(
            0,
            f'<path d="M{cx - sw:.1f} {sy + 20:.1f}L{cx - sw - 70:.1f} {g["feet_y"] - 40:.1f}H{cx + sw + 70:.1f}L{cx + sw:.1f} {sy + 20:.1f}Z" fill="{shade(look.main, -0.2)}" {st["attr"]}/>',
        )
    if "clasp" in flags:
        out.append(f'<circle cx="{cx:.1f}" cy="{sy + 16:.1f}" r="14" fill="{look.accent}" {st["attr"]}/>')
    return "".join(out), ""


def _arm_stroke(d: str, colour: str, width: float, st: dict) -> str:
    """A stroked arm path with the outline drawn as a wider stroke under it."""
    outline = (
        f'<path d="{d}" stroke="{OUTLINE}" stroke-width="{width + 2 * st["w"]:.1f}" stroke-linecap="round" fill="none"/>'
        if st["w"] > 0
        else ""
    )
    return outline + f'<path d="{d}" stroke="{colour}" stroke-width="{width:.1f}" stroke-linecap="round" fill="none"/>'


def _arms(g: dict, look: Look, skin: str, st: dict, pat_id: str | None) -> str:
    """Both arms as curves from the shoulder past the pose's elbow to the hand; short sleeves show skin."""
    cx, sy = g["cx"], g["shoulder_y"]
    sw, aw, hr = g["shoulder_w"], g["arm_w"], g["hand_r"]
    short = g["look"].sleeves == "short" and g["stage"] != "newborn"
    out = []
    for s, (hx, hy), (ex, ey) in zip((-1, 1), g["hands"], g["elbows"], strict=True):
        # the wrist sits on the hand's side facing the elbow, whichever way the arm comes in
        dx, dy = ex - hx, ey - hy
        norm = math.hypot(dx, dy) or 1.0
        ux, uy = dx / norm, dy / norm
        x0, y0 = cx + s * (sw - aw * 0.35), sy + 40
        x2, y2 = hx + ux * hr * 1.1, hy + uy * hr * 1.1
        d = f"M{x0:.1f} {y0:.1f}Q{ex:.1f} {ey:.1f} {x2:.1f} {y2:.1f}"
        sleeve = d
        if short:  # the first half of the same quadratic (de Casteljau at 0.5)
            qx, qy = (x0 + ex) / 2, (y0 + ey) / 2
            mx, my = (x0 + 2 * ex + x2) / 4, (y0 + 2 * ey + y2) / 4
            sleeve = f"M{x0:.1f} {y0:.1f}Q{qx:.1f} {qy:.1f} {mx:.1f} {my:.1f}"
            out.append(_arm_stroke(d, skin, aw * 0.8, st))
        out.append(_arm_stroke(sleeve, look.main, aw, st))
        if pat_id:
            out.append(
                f'<path d="{sleeve}" stroke="url(#{pat_id})" stroke-width="{aw:.1f}" stroke-linecap="round" fill="none"/>'
            )
        if look.pattern == "track_stripes":
            out.append(
                f'<path d="{sleeve}" stroke="{look.accent}" stroke-width="{aw * 0.12:.1f}" fill="none" transform="translate({s * aw * 0.25:.1f} 0)"/>'
            )
        if not short:
            out.append(
                f'<circle cx="{hx + ux * hr * 0.9:.1f}" cy="{hy + uy * hr * 0.9:.1f}" r="{aw * 0.52:.1f}" fill="{look.accent if look.garment != "tee" else look.main}" {st["attr"]}/>'
            )
        out.append(f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{hr:.1f}" fill="{skin}" {st["attr"]}/>')
        out.append(
            f'<path d="M{hx + s * hr * 0.9:.1f} {hy - hr * 0.4:.1f}q{s * hr * 0.5:.1f} {hr * 0.2:.1f} {s * hr * 0.1:.1f} {hr * 0.7:.1f}" fill="{skin}" {st["attr"]}/>'
        )
    return "".join(out)


def _head(g: dict, traits: Mapping, skin: str, st: dict, rng: random.Random) -> str:
    cx, cy, r, ry = g["cx"], g["head_cy"], g["head_r"], g["head_ry"]
    male, stage = g["male"], g["stage"]
    h = stable_hash("face", traits.get("symbol", ""))
    out = []
    # neck and ears
    nw = r * (0.32 if male else 0.26) * (1 + g["t"] * 0.5)
    out.append(
        f'<rect x="{cx - nw:.1f}" y="{cy + ry * 0.6:.1f}" width="{2 * nw:.1f}" height="{g["shoulder_y"] - cy - ry * 0.6 + 12:.1f}" fill="{skin}" {st["attr"]}/>'
    )
    for s in (-1, 1):
        out.append(
            f'<ellipse cx="{cx + s * r * 0.98:.1f}" cy="{cy + ry * 0.08:.1f}" rx="{r * 0.16:.1f}" ry="{ry * 0.2:.1f}" fill="{skin}" {st["attr"]}/>'
        )
    # the face shape: cranium width, jaw breadth, chin drop and where the cheeks turn
    fw = r * g["face_w"]
    jaw = g["jaw"] * (0.95 if male else 1.05)
    chin, cheek = g["chin_y"], cy + ry * g["cheek"]
    face = (
        f"M{cx - fw:.1f} {cy:.1f}C{cx - fw:.1f} {cy - ry * 1.33:.1f} {cx + fw:.1f} {cy - ry * 1.33:.1f} {cx + fw:.1f} {cy:.1f}"
        f"C{cx + fw:.1f} {cheek:.1f} {cx + fw * 0.5 * jaw:.1f} {chin:.1f} {cx:.1f} {chin:.1f}"
        f"C{cx - fw * 0.5 * jaw:.1f} {chin:.1f} {cx - fw:.1f} {cheek:.1f} {cx - fw:.1f} {cy:.1f}Z"
    )
    out.append(f'<path d="{face}" fill="{skin}" {st["attr"]}/>')
    # eyes: the seeded shape scales the eye; sleepy eyes get a lid, narrow ones a lash line
    eye_y = cy + ry * 0.05
    sep = r * 0.4
    big = {"newborn": 1.35, "child": 1.2, "teen": 1.05}.get(stage, 1.0)
    shape = g["look"].eyes
    wide, tall = {"round": (1.0, 1.0), "almond": (1.2, 0.72), "sleepy": (1.05, 0.95), "wide": (1.15, 1.2)}.get(
        shape, (1.15, 0.5)
    )
    ew, eh = r * 0.13 * big * wide, r * 0.17 * big * tall
    iris = g["look"].iris
    closed = stage == "newborn" and (h >> 3) % 2 == 0
    for s in (-1, 1):
        ex = cx + s * sep
        if closed:
            out.append(
                f'<path d="M{ex - ew:.1f} {eye_y:.1f}Q{ex:.1f} {eye_y + eh * 0.8:.1f} {ex + ew:.1f} {eye_y:.1f}" stroke="{OUTLINE}" stroke-width="5" fill="none" stroke-linecap="round"/>'
            )
            continue
        look_dx = rng.uniform(-0.25, 0.25) * ew
        out.append(
            f'<ellipse cx="{ex:.1f}" cy="{eye_y:.1f}" rx="{ew:.1f}" ry="{eh:.1f}" fill="#ffffff" stroke="{OUTLINE}" stroke-width="3"/>'
            f'<ellipse cx="{ex + look_dx:.1f}" cy="{eye_y + eh * 0.1:.1f}" rx="{ew * 0.72:.1f}" ry="{eh * 0.78:.1f}" fill="{iris}"/>'
            f'<circle cx="{ex + look_dx:.1f}" cy="{eye_y + eh * 0.12:.1f}" r="{min(ew, eh) * 0.45:.1f}" fill="#111111"/>'
            f'<circle cx="{ex + look_dx - ew * 0.3:.1f}" cy="{eye_y - eh * 0.3:.1f}" r="{min(ew, eh) * 0.25:.1f}" fill="#ffffff"/>'
        )
        if shape == "sleepy":
            out.append(
                f'<path d="M{ex - ew * 1.15:.1f} {eye_y:.1f}Q{ex:.1f} {eye_y - eh * 1.5:.1f} {ex + ew * 1.15:.1f} {eye_y:.1f}Q{ex:.1f} {eye_y - eh * 0.35:.1f} {ex - ew * 1.15:.1f} {eye_y:.1f}Z" fill="{skin}" stroke="{OUTLINE}" stroke-width="3"/>'
            )
        elif shape in ("almond", "narrow"):
            out.append(
                f'<path d="M{ex - ew * 1.1:.1f} {eye_y + eh * 0.2:.1f}Q{ex:.1f} {eye_y - eh * 1.5:.1f} {ex + ew * 1.2:.1f} {eye_y - eh * 0.3:.1f}" stroke="{OUTLINE}" stroke-width="5" fill="none" stroke-linecap="round"/>'
            )
        if not male:
            out.append(
                "".join(
                    f'<path d="M{ex + s * ew * (0.3 + 0.3 * k):.1f} {eye_y - eh * (0.9 - 0.12 * k):.1f}l{s * 10:.1f} -10" stroke="{OUTLINE}" stroke-width="3.5" stroke-linecap="round"/>'
                    for k in range(3)
                )
            )
        # brows: heavier for men, greying with age, raised or knitted by a seeded mood
        tilt = rng.choice((-8, -4, 0, 5))
        bw = 9 if male else 5
        brow = mix("#2b1d14", _WHITE_HAIR, g["grey"])
        out.append(
            f'<path d="M{ex - s * ew * 1.0:.1f} {eye_y - eh * 1.45 + tilt:.1f}Q{ex:.1f} {eye_y - eh * 1.85:.1f} {ex + s * ew * 1.1:.1f} {eye_y - eh * 1.35:.1f}" stroke="{brow}" stroke-width="{bw}" fill="none" stroke-linecap="round"/>'
        )
    # nose and mouth
    ny = cy + ry * 0.3
    out.append(
        f'<path d="M{cx - 4:.1f} {ny - 14:.1f}Q{cx + 10:.1f} {ny:.1f} {cx - 6:.1f} {ny + 6:.1f}" stroke="{shade(skin, -0.35)}" stroke-width="4" fill="none" stroke-linecap="round"/>'
    )
    my = cy + ry * 0.55
    mood = rng.choice(("smile", "smirk", "flat", "open"))
    mw = r * (0.16 if stage != "newborn" else 0.1)
    lip = shade("#c0394f", -0.1) if not male else shade(skin, -0.45)
    if mood == "smile":
        out.append(
            f'<path d="M{cx - mw:.1f} {my:.1f}Q{cx:.1f} {my + mw * 0.8:.1f} {cx + mw:.1f} {my:.1f}" stroke="{lip}" stroke-width="5" fill="none" stroke-linecap="round"/>'
        )
    elif mood == "smirk":
        out.append(
            f'<path d="M{cx - mw:.1f} {my + 4:.1f}Q{cx + mw * 0.3:.1f} {my + 8:.1f} {cx + mw:.1f} {my - 6:.1f}" stroke="{lip}" stroke-width="5" fill="none" stroke-linecap="round"/>'
        )
    elif mood == "open":
        out.append(
            f'<path d="M{cx - mw * 0.7:.1f} {my:.1f}Q{cx:.1f} {my + mw * 1.2:.1f} {cx + mw * 0.7:.1f} {my:.1f}Z" fill="#5a1a22" stroke="{OUTLINE}" stroke-width="3"/>'
        )
    else:
        out.append(
            f'<path d="M{cx - mw * 0.8:.1f} {my:.1f}H{cx + mw * 0.8:.1f}" stroke="{lip}" stroke-width="5" stroke-linecap="round"/>'
        )
    # cheeks: a soft blush for the young
    if stage in ("newborn", "child") or not male:
        out.append(
            "".join(
                f'<ellipse cx="{cx + s * r * 0.6:.1f}" cy="{cy + ry * 0.32:.1f}" rx="{r * 0.13:.1f}" ry="{ry * 0.06:.1f}" fill="#ff6f8a" fill-opacity="0.35"/>'
                for s in (-1, 1)
            )
        )
    # stubble for adult men on a hash
    if male and stage == "adult" and (h >> 5) % 3 == 0:
        out.append(
            f'<path d="M{cx - r * 0.55:.1f} {cy + ry * 0.55:.1f}Q{cx:.1f} {cy + ry * 1.15:.1f} {cx + r * 0.55:.1f} {cy + ry * 0.55:.1f}" stroke="{shade(skin, -0.3)}" stroke-width="10" fill="none" stroke-opacity="0.35" stroke-dasharray="2 5"/>'
        )
    # age lines
    wrinkles = g["wrinkles"]
    if wrinkles:
        wc = shade(skin, -0.4) if luminance(skin) > 0.2 else shade(skin, 0.45)
        op = 0.5 + 0.15 * wrinkles
        lines = [f"M{cx - r * 0.35:.1f} {cy - ry * 0.55:.1f}q{r * 0.35:.1f} -10 {r * 0.7:.1f} 0"]
        if wrinkles >= 2:
            lines.append(f"M{cx - r * 0.28:.1f} {cy - ry * 0.45:.1f}q{r * 0.28:.1f} -8 {r * 0.56:.1f} 0")
            lines += [
                f"M{cx + s * (sep + ew * 1.3):.1f} {eye_y - 4:.1f}l{s * 14:.1f} -6M{cx + s * (sep + ew * 1.3):.1f} {eye_y + 6:.1f}l{s * 14:.1f} 6"
                for s in (-1, 1)
            ]
        if wrinkles >= 3:
            lines += [f"M{cx + s * r * 0.22:.1f} {ny:.1f}q{s * 10:.1f} 24 {s * 4:.1f} 44" for s in (-1, 1)]
        out.append(
            f'<path d="{"".join(lines)}" stroke="{wc}" stroke-opacity="{op:.2f}" stroke-width="4" fill="none" stroke-linecap="round"/>'
        )
    return "".join(out)


def _accessory(kind: str, g: dict, look: Look, st: dict) -> str:
    cx, cy, r, ry = g["cx"], g["head_cy"], g["head_r"], g["head_ry"]
    top = cy - ry
    # neckwear hangs below the chin (the head overlaps the shoulders, so never at the shoulder
    # line) and eyewear is pushed up on the forehead: nothing covers the face
    neck = g["chin_y"] + 6
    brow = cy - ry * 0.62
    A = st["attr"]
    if kind == "choker_cross":
        return (
            f'<rect x="{cx - r * 0.3:.1f}" y="{neck:.1f}" width="{r * 0.6:.1f}" height="14" fill="#0c0c0f" {A}/>'
            f'<path d="M{cx:.1f} {neck + 14:.1f}v44M{cx - 12:.1f} {neck + 28:.1f}h24" stroke="#c9c9d1" stroke-width="7"/>'
        )
    if kind == "glasses_book":
        hx, hy = g["hands"][1]
        return (
            "".join(
                f'<circle cx="{cx + s * r * 0.4:.1f}" cy="{brow:.1f}" r="{r * 0.18:.1f}" fill="#ffffff" fill-opacity="0.15" stroke="#6b4b2a" stroke-width="6"/>'
                for s in (-1, 1)
            )
            + f'<path d="M{cx - r * 0.22:.1f} {brow:.1f}h{r * 0.44:.1f}" stroke="#6b4b2a" stroke-width="5"/>'
            f'<g transform="rotate(-12 {hx:.1f} {hy:.1f})"><rect x="{hx - 45:.1f}" y="{hy - 70:.1f}" width="90" height="110" rx="6" fill="{look.accent}" {A}/>'
            f'<rect x="{hx - 35:.1f}" y="{hy - 60:.1f}" width="70" height="90" fill="none" stroke="#d4af37" stroke-width="3"/></g>'
        )
    if kind == "flat_cap":
        return (
            f'<path d="M{cx - r * 1.05:.1f} {cy - ry * 0.35:.1f}Q{cx - r * 0.9:.1f} {top - ry * 0.25:.1f} {cx + r * 0.2:.1f} {top - ry * 0.2:.1f}Q{cx + r * 1.0:.1f} {top:.1f} {cx + r * 1.05:.1f} {cy - ry * 0.35:.1f}Z" fill="{shade(look.main, -0.4)}" {A}/>'
            f'<path d="M{cx - r * 1.0:.1f} {cy - ry * 0.38:.1f}Q{cx:.1f} {cy - ry * 0.15:.1f} {cx + r * 1.15:.1f} {cy - ry * 0.42:.1f}L{cx + r * 1.0:.1f} {cy - ry * 0.3:.1f}Q{cx:.1f} {cy - ry * 0.2:.1f} {cx - r * 1.0:.1f} {cy - ry * 0.38:.1f}Z" fill="#111111" {A}/>'
        )
    if kind == "spike_collar":
        return (
            f'<rect x="{cx - r * 0.35:.1f}" y="{neck:.1f}" width="{r * 0.7:.1f}" height="20" fill="#111" {A}/>'
            + "".join(
                f'<path d="M{cx + k * r * 0.12 - 7:.1f} {neck + 20:.1f}l7 22l7 -22Z" fill="#d9d9d9" {A}/>'
                for k in range(-2, 3)
            )
        )
    if kind == "shades":
        return (
            f'<path d="M{cx - r * 0.78:.1f} {brow - r * 0.14:.1f}H{cx + r * 0.78:.1f}L{cx + r * 0.66:.1f} {brow + r * 0.12:.1f}H{cx + r * 0.12:.1f}L{cx:.1f} {brow:.1f}L{cx - r * 0.12:.1f} {brow + r * 0.12:.1f}H{cx - r * 0.66:.1f}Z" fill="#111111" {A}/>'
            f'<path d="M{cx - r * 0.6:.1f} {brow - r * 0.06:.1f}l{r * 0.3:.1f} 0" stroke="{look.accent}" stroke-width="6"/>'
        )
    if kind == "headscarf":
        return (
            f'<path d="M{cx - r * 1.12:.1f} {cy + ry * 0.2:.1f}C{cx - r * 1.3:.1f} {top - ry * 0.5:.1f} {cx + r * 1.3:.1f} {top - ry * 0.5:.1f} {cx + r * 1.12:.1f} {cy + ry * 0.2:.1f}'
            f'L{cx + r * 0.95:.1f} {cy - ry * 0.35:.1f}Q{cx:.1f} {cy - ry * 0.7:.1f} {cx - r * 0.95:.1f} {cy - ry * 0.35:.1f}Z" fill="{look.main}" {A}/>'
            + "".join(
                f'<circle cx="{cx + k * r * 0.3:.1f}" cy="{top + ry * 0.05 + abs(k) * 10:.1f}" r="10" fill="{look.light}"/>'
                for k in range(-2, 3)
            )
        )
    if kind == "bow":
        bx, by = cx + r * 0.55, top + ry * 0.15
        return f'<path d="M{bx:.1f} {by:.1f}l-50 -30v60Zm0 0l50 -30v60Z" fill="{look.accent}" {A}/><circle cx="{bx:.1f}" cy="{by:.1f}" r="12" fill="{look.main}" {A}/>'
    if kind == "chef_hat":
        return (
            f'<rect x="{cx - r * 0.6:.1f}" y="{top - ry * 0.1:.1f}" width="{r * 1.2:.1f}" height="{ry * 0.3:.1f}" fill="#ffffff" {A}/>'
            + "".join(
                f'<circle cx="{cx + k * r * 0.35:.1f}" cy="{top - ry * 0.35:.1f}" r="{r * 0.38:.1f}" fill="#ffffff" {A}/>'
                for k in (-1, 0, 1)
            )
        )
    if kind == "visor":
        return (
            f'<rect x="{cx - r * 0.95:.1f}" y="{brow - r * 0.16:.1f}" width="{r * 1.9:.1f}" height="{r * 0.26:.1f}" rx="{r * 0.13:.1f}" fill="{look.accent}" fill-opacity="0.85" {A}/>'
            f'<path d="M{cx - r * 0.8:.1f} {brow - r * 0.03:.1f}H{cx + r * 0.8:.1f}" stroke="#ffffff" stroke-width="3" stroke-dasharray="10 6"/>'
        )
    if kind == "beret":
        return f'<ellipse cx="{cx - r * 0.2:.1f}" cy="{top + ry * 0.12:.1f}" rx="{r * 0.95:.1f}" ry="{ry * 0.3:.1f}" fill="{look.accent if look.family == "art-movement" else look.main}" transform="rotate(-10 {cx:.1f} {top:.1f})" {A}/><path d="M{cx - r * 0.2:.1f} {top - ry * 0.16:.1f}v-18" stroke="{OUTLINE}" stroke-width="6"/>'
    if kind == "headphones":
        return (
            f'<path d="M{cx - r * 1.05:.1f} {cy:.1f}C{cx - r * 1.1:.1f} {top - ry * 0.4:.1f} {cx + r * 1.1:.1f} {top - ry * 0.4:.1f} {cx + r * 1.05:.1f} {cy:.1f}" stroke="#222" stroke-width="16" fill="none"/>'
            + "".join(
                f'<rect x="{cx + s * r * 1.05 - 22:.1f}" y="{cy - 40:.1f}" width="44" height="80" rx="18" fill="{look.second}" {A}/>'
                for s in (-1, 1)
            )
        )
    if kind == "cap":
        return (
            f'<path d="M{cx - r * 1.02:.1f} {cy - ry * 0.3:.1f}C{cx - r * 1.1:.1f} {top - ry * 0.35:.1f} {cx + r * 1.1:.1f} {top - ry * 0.35:.1f} {cx + r * 1.02:.1f} {cy - ry * 0.3:.1f}Z" fill="{look.accent}" {A}/>'
            f'<path d="M{cx - r * 1.0:.1f} {cy - ry * 0.3:.1f}Q{cx - r * 1.5:.1f} {cy - ry * 0.35:.1f} {cx - r * 1.6:.1f} {cy - ry * 0.2:.1f}L{cx - r * 0.6:.1f} {cy - ry * 0.22:.1f}Z" fill="{look.accent}" {A}/>'
        )
    if kind == "scarf":
        return (
            f'<path d="M{cx - r * 0.6:.1f} {neck - 10:.1f}Q{cx:.1f} {neck + 20:.1f} {cx + r * 0.6:.1f} {neck - 10:.1f}L{cx + r * 0.62:.1f} {neck + 16:.1f}Q{cx:.1f} {neck + 50:.1f} {cx - r * 0.62:.1f} {neck + 16:.1f}Z" fill="{look.accent}" {A}/>'
            f'<path d="M{cx + r * 0.25:.1f} {neck + 30:.1f}l10 120h44l-20 -120Z" fill="{look.accent}" {A}/>'
        )
    if kind == "pearls":
        return "".join(
            f'<circle cx="{cx + math.sin(a) * r * 0.55:.1f}" cy="{neck + 8 + math.cos(a) * 30:.1f}" r="8" fill="#fbf6ee" {A}/>'
            for a in (k * 0.3 - 1.5 for k in range(11))
        )
    if kind == "cat_ears":
        return "".join(
            f'<path d="M{cx + s * r * 0.35:.1f} {top + ry * 0.1:.1f}L{cx + s * r * 0.8:.1f} {top - ry * 0.35:.1f}L{cx + s * r * 0.85:.1f} {top + ry * 0.3:.1f}Z" fill="{look.accent}" {A}/>'
            for s in (-1, 1)
        )
    if kind == "circlet":
        return f'<path d="M{cx - r * 0.95:.1f} {cy - ry * 0.45:.1f}Q{cx:.1f} {cy - ry * 0.75:.1f} {cx + r * 0.95:.1f} {cy - ry * 0.45:.1f}" stroke="{look.accent}" stroke-width="8" fill="none"/><path d="{star_path(cx, cy - ry * 0.62, 18, 8, 4)}" fill="#bfe9ff" {A}/>'
    if kind == "flower_crown":
        return "".join(
            f'<circle cx="{cx + math.cos(a) * r * 0.95:.1f}" cy="{cy - ry * 0.2 + math.sin(a) * ry * 0.7:.1f}" r="16" fill="{(look.accent, look.light, "#ffffff")[k % 3]}" {A}/>'
            for k, a in enumerate(math.pi * (1.05 + 0.9 * j / 8) for j in range(9))
        )
    if kind == "badge":
        return f'<rect x="{cx + g["shoulder_w"] * 0.35:.1f}" y="{neck + 36:.1f}" width="46" height="60" rx="6" fill="#ffffff" {A}/><rect x="{cx + g["shoulder_w"] * 0.35 + 6:.1f}" y="{neck + 44:.1f}" width="34" height="20" fill="{look.accent}"/>'
    if kind == "stitches":  # a stitched seam across the chest, clear of the face
        sx = cx - g["shoulder_w"] * 0.45
        return (
            f'<path d="M{sx - 40:.1f} {neck + 30:.1f}L{sx + 30:.1f} {neck + 130:.1f}" stroke="#3a2a2a" stroke-width="5"/>'
            + "".join(
                f'<path d="M{sx - 40 + k * 17.5 - 12:.1f} {neck + 30 + k * 25 + 8:.1f}l24 -16" stroke="#3a2a2a" stroke-width="5"/>'
                for k in range(5)
            )
        )
    if kind == "quill":
        hx, hy = g["hands"][1]
        return f'<path d="M{hx:.1f} {hy:.1f}Q{hx + 40:.1f} {hy - 120:.1f} {hx + 90:.1f} {hy - 170:.1f}Q{hx + 40:.1f} {hy - 80:.1f} {hx:.1f} {hy:.1f}Z" fill="#f5f0e6" {A}/>'
    if kind == "glowsticks":
        return "".join(
            f'<path d="M{hx - 30:.1f} {hy - 40:.1f}l60 80" stroke="{c}" stroke-width="14" stroke-linecap="round"/>'
            for (hx, hy), c in zip(g["hands"], (look.second, look.accent), strict=True)
        )
    if kind == "bowtie":
        return f'<path d="M{cx:.1f} {neck + 18:.1f}l-34 -18v36Zm0 0l34 -18v36Z" fill="{look.accent}" {A}/>'
    if kind == "sunhat":
        return (
            f'<ellipse cx="{cx:.1f}" cy="{top + ry * 0.2:.1f}" rx="{r * 1.6:.1f}" ry="{ry * 0.25:.1f}" fill="{look.light}" {A}/>'
            f'<path d="M{cx - r * 0.8:.1f} {top + ry * 0.2:.1f}Q{cx:.1f} {top - ry * 0.7:.1f} {cx + r * 0.8:.1f} {top + ry * 0.2:.1f}Z" fill="{look.light}" {A}/>'
            f'<path d="M{cx - r * 0.78:.1f} {top + ry * 0.1:.1f}Q{cx:.1f} {top - ry * 0.05:.1f} {cx + r * 0.78:.1f} {top + ry * 0.1:.1f}" stroke="{look.accent}" stroke-width="14" fill="none"/>'
        )
    if kind == "headband":
        return f'<path d="M{cx - r * 1.0:.1f} {cy - ry * 0.3:.1f}Q{cx:.1f} {top - ry * 0.25:.1f} {cx + r * 1.0:.1f} {cy - ry * 0.3:.1f}" stroke="{look.accent}" stroke-width="18" fill="none"/>'
    if kind == "antenna_band":
        return f'<path d="M{cx - r * 1.0:.1f} {cy - ry * 0.3:.1f}Q{cx:.1f} {top - ry * 0.25:.1f} {cx + r * 1.0:.1f} {cy - ry * 0.3:.1f}" stroke="#c0c0c0" stroke-width="14" fill="none"/><path d="M{cx + r * 0.6:.1f} {top:.1f}l30 -70" stroke="#c0c0c0" stroke-width="6"/><circle cx="{cx + r * 0.6 + 30:.1f}" cy="{top - 70:.1f}" r="12" fill="{look.accent}" {A}/>'
    return ""


def _hair_style(g: dict, look: Look) -> str:
    """The cut: the family's (relatives share it), a mohawk for punk men, thinning for elder men."""
    if g["stage"] == "newborn":
        return "tuft"
    if look.family == "punk" and g["male"]:
        return "mohawk"
    if g["male"] and g["stage"] == "elder":
        return "fringe"
    return HAIR_CUTS["male" if g["male"] else "female"][g["look"].hair_cut]


#: Where a fantastic character's sparkles sit (x, y, size): fixed corners of the picture, clear
#: of the figure, so "has a feature" reads the same way whatever the feature and wherever it is.
SPARKLES = ((92, 140, 46), (676, 150, 40), (60, 430, 36), (708, 440, 44), (104, 720, 34), (664, 730, 38))


def _sparkles_of_the_fantastic(st: dict) -> str:
    return "".join(
        f'<path d="{star_path(x, y, size, size * 0.28, 4)}" fill="#ffffff" stroke="{OUTLINE}" stroke-width="{max(4.0, st["w"]):.1f}" stroke-linejoin="round"/>'
        for x, y, size in SPARKLES
    )


#: Accessories that already fill the right hand.
_HAND_ACCESSORIES = {"glasses_book", "quill", "glowsticks"}


def _prop(kind: str, g: dict, look: Look, st: dict) -> str:
    """The seeded prop in the right hand; whatever rises from it leans out to clear the face."""
    hx, hy = g["hands"][1]
    hr = g["hand_r"]
    A = st["attr"]
    tip_x = max(hx, g["cx"] + g["head_r"] + 40)
    if kind == "balloon":  # floats up beside the head, its string clear of the face
        bx = max(hx + 40, g["cx"] + g["head_r"] + 70)
        by = min(hy - 250, g["head_cy"] - g["head_ry"] * 0.5)
        return (
            f'<path d="M{hx:.1f} {hy - hr * 0.5:.1f}Q{bx:.1f} {hy - 40:.1f} {bx:.1f} {by + 58:.1f}" stroke="{OUTLINE}" stroke-width="3" fill="none"/>'
            f'<ellipse cx="{bx:.1f}" cy="{by:.1f}" rx="46" ry="56" fill="{look.accent}" {A}/>'
            f'<ellipse cx="{bx - 16:.1f}" cy="{by - 20:.1f}" rx="10" ry="16" fill="#ffffff" fill-opacity="0.6"/>'
        )
    if kind == "flower":
        fx, fy = tip_x + 10, hy - 110
        petals = "".join(
            f'<circle cx="{fx + math.cos(k * 1.2566) * 20:.1f}" cy="{fy + math.sin(k * 1.2566) * 20:.1f}" r="15" fill="{look.light}" {A}/>'
            for k in range(5)
        )
        return (
            f'<path d="M{hx:.1f} {hy:.1f}Q{hx + 14:.1f} {hy - 60:.1f} {fx:.1f} {fy:.1f}" stroke="#3f8f3a" stroke-width="7" fill="none"/>'
            + petals
            + f'<circle cx="{fx:.1f}" cy="{fy:.1f}" r="11" fill="#f5c518" {A}/>'
        )
    if kind == "mug":
        return (
            f'<path d="M{hx + hr * 0.6 + 44:.1f} {hy - 18:.1f}q24 0 24 22t-24 22" stroke="{OUTLINE}" stroke-width="7" fill="none"/>'
            f'<rect x="{hx + hr * 0.4:.1f}" y="{hy - 34:.1f}" width="52" height="60" rx="6" fill="{look.light}" {A}/>'
        )
    if kind == "book":
        return (
            f'<g transform="rotate(8 {hx:.1f} {hy:.1f})"><rect x="{hx - 10:.1f}" y="{hy - 60:.1f}" width="64" height="86" rx="4" fill="{look.second}" {A}/>'
            f'<path d="M{hx + 2:.1f} {hy - 60:.1f}V{hy + 26:.1f}" stroke="{look.accent}" stroke-width="6"/></g>'
        )
    if kind == "lollipop":
        ly = hy - 120
        return (
            f'<path d="M{hx:.1f} {hy:.1f}L{tip_x:.1f} {ly:.1f}" stroke="#f4f1ea" stroke-width="7" stroke-linecap="round"/>'
            f'<circle cx="{tip_x:.1f}" cy="{ly:.1f}" r="34" fill="{look.accent}" {A}/>'
            f'<path d="M{tip_x:.1f} {ly:.1f}m-20 0a20 20 0 1 1 20 20a12 12 0 1 1 -12 -12" stroke="#ffffff" stroke-width="6" fill="none"/>'
        )
    if kind == "handbag":
        return (
            f'<path d="M{hx - 26:.1f} {hy + 50:.1f}Q{hx:.1f} {hy - 30:.1f} {hx + 26:.1f} {hy + 50:.1f}" stroke="{OUTLINE}" stroke-width="6" fill="none"/>'
            f'<path d="M{hx - 46:.1f} {hy + 46:.1f}H{hx + 46:.1f}L{hx + 54:.1f} {hy + 120:.1f}H{hx - 54:.1f}Z" fill="{look.accent}" {A}/>'
        )
    if kind == "pennant":
        top = hy - 190
        return (
            f'<path d="M{hx:.1f} {hy + 30:.1f}L{tip_x:.1f} {top:.1f}" stroke="#6b4b2a" stroke-width="8" stroke-linecap="round"/>'
            f'<path d="M{tip_x:.1f} {top:.1f}L{tip_x + 110:.1f} {top + 30:.1f}L{tip_x:.1f} {top + 62:.1f}Z" fill="{look.accent}" {A}/>'
        )
    return ""


def portrait_svg(
    traits: Mapping,
    emulsion: Emulsion,
    seed: int = 0,
    width: int = 768,
    height: int = 1024,
    *,
    background: bool = True,
    _split: bool = False,
):
    """The portrait as an SVG document (design space 768x1024, scaled to width x height)."""
    g = layout(traits)
    st = _stroke(emulsion)
    rng = random.Random(stable_hash("portrait", traits.get("symbol", ""), seed))
    skin = str(traits.get("color_hex") or "#c68642").lower()
    styles = _styles(traits) or ["Normcore"]
    looks = [look_for(s, family_of(s)) for s in styles]
    top_look = looks[0]
    shirt = looks[1] if len(looks) > 1 else top_look
    lower = looks[2] if len(looks) > 2 else (looks[1] if len(looks) > 1 else top_look)
    acc_look = looks[3] if len(looks) > 3 else top_look
    defs = [
        '<filter id="glow" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="6" result="b"/>'
        '<feMerge><feMergeNode in="b"/><feMergeNode in="SourceGraphic"/></feMerge></filter>'
    ]
    top_pat = pattern_def("pat_top", top_look.pattern, top_look)
    low_pat = pattern_def("pat_low", lower.pattern, lower, 0.8)
    defs += [top_pat, low_pat]
    hair_col = _hair_colour(g, top_look)
    hair_style = _hair_style(g, top_look)
    feature = str(traits.get("feature") or "")
    feat_back, feat_front = draw_feature(feature, g, st) if feature else ("", "")
    body = []
    faction = str(traits.get("faction") or "none")
    if background and not _split:
        body.append(_background(g, top_look, faction, rng, st))
    elif _split:
        body.append(_sprinkles(top_look, rng))
    if feature:
        body.append(_sparkles_of_the_fantastic(st))
    body.append(feat_back)
    body.append(_sticker_rim(g, top_look, st))
    body.append(_hair_back(g, hair_col, hair_style, st))
    body.append(_legs(g, lower, skin, st, "pat_low" if low_pat else None))
    torso, _ = _torso(g, top_look, shirt, st, "pat_top" if top_pat else None)
    # neck first so the collar covers its base, then torso, arms, head
    head_svg = _head(g, traits, skin, st, rng)
    neck, rest = head_svg.split("/>", 1)
    body.append(neck + "/>")
    body.append(torso)
    if shirt is not top_look:
        # the second aesthetic shows as a shirt band at the collar and cuffs
        body.append(
            f'<path d="M{g["cx"] - 30:.1f} {g["shoulder_y"] - 10:.1f}L{g["cx"]:.1f} {g["shoulder_y"] + 40:.1f}L{g["cx"] + 30:.1f} {g["shoulder_y"] - 10:.1f}Z" fill="{shirt.main}" {st["attr"]}/>'
        )
    body.append(_arms(g, top_look, skin, st, "pat_top" if top_pat else None))
    body.append(rest)
    body.append(_hair_front(g, hair_col, hair_style, st))
    if g["stage"] != "newborn" or acc_look.accessory in ("bow", "pearls"):
        body.append(_accessory(acc_look.accessory, g, acc_look, st))
    body.append(_temple_locks(g, hair_col, hair_style, st))
    if g["stage"] != "newborn" and acc_look.accessory not in _HAND_ACCESSORIES:
        body.append(_prop(g["look"].prop, g, top_look, st))
    if g["cane"]:
        hx, hy = g["hands"][0]
        body.append(
            f'<path d="M{hx - 10:.1f} {hy - 20:.1f}q-30 -10 -30 20L{hx - 40:.1f} {g["feet_y"]:.1f}" stroke="#6b4b2a" stroke-width="12" fill="none" stroke-linecap="round"/>'
        )
    body.append(feat_front)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {W} {H}" '
        f'preserveAspectRatio="xMidYMid slice">'
    )
    svg = f"{head}<defs>{''.join(defs)}</defs>{''.join(body)}</svg>"
    if _split:
        bg = f"{head}{_background(g, top_look, faction, None, st)}</svg>"
        return bg, svg
    return svg


# --------------------------------------------------------------------------------------------
# rasterising and the emulsion's finish (pipeline.render.styles)


def _rasterise(svg: str, width: int, height: int, under: np.ndarray | None = None) -> np.ndarray:
    """The SVG drawn by Skia as premultiplied RGBA, over a copy of ``under`` when given.

    Skia draws straight into the numpy array, so there is no PNG round trip; where
    ``under`` is opaque (a background) the result is opaque and premultiplication is moot.
    """
    pixels = np.zeros((height, width, 4), np.uint8) if under is None else under.copy()
    # copyData: the stream must not outlive a temporary bytes object
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(svg.encode(), True))
    if dom is None:
        raise ValueError("Skia could not parse the portrait SVG")
    dom.render(skia.Surface(pixels, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType).getCanvas())
    return pixels


@lru_cache(maxsize=64)
def _background_raster(svg: str, width: int, height: int) -> np.ndarray:
    """Backgrounds (gradient, emblem, floor) repeat across genes: rasterise each once."""
    pixels = _rasterise(svg, width, height)
    pixels.flags.writeable = False
    return pixels


def _skin_mask(rgba: np.ndarray, skin: str) -> Image.Image:
    """Where the opaque raster is exactly the skin colour (one compare per pixel)."""
    packed = np.array((*hex_to_rgb(skin), 255), np.uint8).view(np.uint32)[0]
    return Image.fromarray(rgba.view(np.uint32)[..., 0] == packed)


def render_portrait(traits: Mapping, emulsion: Emulsion, seed: int = 0, width: int = 768, height: int = 1024) -> bytes:
    """PNG bytes of the procedural portrait (deterministic for traits, emulsion and seed)."""
    bg_svg, fg_svg = portrait_svg(traits, emulsion, seed, width, height, _split=True)
    background = _background_raster(bg_svg, width, height)
    rgba = _rasterise(fg_svg, width, height, under=background)
    drawn = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    skin = str(traits.get("color_hex") or "#c68642").lower()
    figure = Image.fromarray(rgba.view(np.uint32)[..., 0] != background.view(np.uint32)[..., 0])
    # the emulsion's style family, the one place it is applied; skin keeps exactly color_hex
    drawing = Drawing(drawn, _skin_mask(rgba, skin), hex_to_rgb(skin), figure)
    return _png(np.asarray(finish(drawing, emulsion)))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB PNG with every row unfiltered, deflated at level 1.

    Pillow tries five filters on every row; on these frames that costs more than the
    deflating and saves next to nothing (flat art deflates well unfiltered, grain does
    not deflate either way), so this is 2-3x faster for files of about the same size.
    """
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + width * 3), np.uint8)  # a zero byte starts each row: filter "none"
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour, not interlaced
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + _png_chunk(b"IEND", b"")
    )


def figure_mask(traits: Mapping, emulsion: Emulsion, seed: int = 0, width: int = 768, height: int = 1024) -> np.ndarray:
    """Boolean foreground mask (the character without background), height x width."""
    rgba = _rasterise(portrait_svg(traits, emulsion, seed, width, height, background=False), width, height)
    return rgba[..., 3] > 0
