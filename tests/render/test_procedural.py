"""Behaviour of the procedural default renderer (synthetic traits, no data files needed)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from pipeline.emulsions import Emulsion
from pipeline.render.procedural import SPARKLES, figure_mask, layout, portrait_svg, render_portrait


def emulsion(palette="natural", texture="none", line_weight=1.0) -> Emulsion:
    return Emulsion("E0001", "test", "", "", "euler", 20, 7.0, 768, 1024, line_weight, palette, texture)


def traits(**over) -> dict:
    base = {
        "symbol": "TEST1",
        "sex": "male",
        "weight_kg": 60.0,
        "age": 20,
        "aesthetics": ["Normcore"],
        "feature": "",
        "color_hex": "#c0567a",
        "faction": "none",
    }
    base.update(over)
    return base


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_output_is_768x1024_png():
    png = render_portrait(traits(), emulsion())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == (768, 1024)
    assert "<svg" in portrait_svg(traits(), emulsion())


def test_deterministic_and_sensitive_to_seed_and_emulsion():
    a = render_portrait(traits(), emulsion(), seed=3)
    assert a == render_portrait(traits(), emulsion(), seed=3)
    assert a != render_portrait(traits(), emulsion(), seed=4)
    assert a != render_portrait(traits(), emulsion("noir", "halftone"), seed=3)


@pytest.mark.parametrize(
    "palette,texture", [("natural", "none"), ("noir", "grain"), ("duotone", "hatching"), ("watercolour", "paper")]
)
def test_exact_skin_colour_in_face_region(palette, texture):
    t = traits(color_hex="#3c485f")
    g = layout(t)
    img = pixels(render_portrait(t, emulsion(palette, texture)))
    y0, y1 = int(g["head_cy"]), int(g["head_cy"] + g["head_ry"] * 0.9)
    x0, x1 = int(g["cx"] - g["head_r"] * 0.8), int(g["cx"] + g["head_r"] * 0.8)
    face = img[y0:y1, x0:x1].reshape(-1, 3)
    exact = np.all(face == np.array([0x3C, 0x48, 0x5F]), axis=1)
    assert exact.mean() > 0.3


def test_sex_changes_silhouette():
    m = figure_mask(traits(sex="male"), emulsion())
    f = figure_mask(traits(sex="female"), emulsion())
    g = layout(traits())
    body = slice(int(g["shoulder_y"]), int(g["feet_y"]))
    differing = np.logical_xor(m[body], f[body]).mean()
    assert differing > 0.02


def _widest_body_row(mask: np.ndarray, g: dict) -> int:
    body = mask[int(g["shoulder_y"]) + 20 : int(g["hip_y"])]
    return int(body.sum(axis=1).max())


def test_weight_changes_body_width():
    heavy, light = traits(weight_kg=3816), traits(weight_kg=20)
    wh = _widest_body_row(figure_mask(heavy, emulsion()), layout(heavy))
    wl = _widest_body_row(figure_mask(light, emulsion()), layout(light))
    assert wh > 1.8 * wl


def test_age_is_visible():
    young = pixels(render_portrait(traits(age=-2), emulsion()))
    adult = pixels(render_portrait(traits(age=20), emulsion()))
    old = pixels(render_portrait(traits(age=34), emulsion()))
    assert layout(traits(age=-2))["head_r"] > layout(traits(age=20))["head_r"]
    assert (young != adult).any(axis=-1).mean() > 0.05
    assert (old != adult).any(axis=-1).mean() > 0.01


def _diff_box(a: np.ndarray, b: np.ndarray):
    changed = (a != b).any(axis=-1)
    for x, y, size in SPARKLES:  # every featured character has them: not part of the overlay
        changed[max(0, y - size - 8) : y + size + 8, max(0, x - size - 8) : x + size + 8] = False
    ys, xs = np.nonzero(changed)
    assert len(ys) > 300, "feature overlay changed too few pixels"
    return ys, xs


@pytest.mark.parametrize(
    "feature,region",
    [
        ("demon horns", "above_head"),
        ("fox ears and tail", "above_head"),
        ("pig nose", "face"),
        ("metal hands", "hands"),
    ],
)
def test_feature_overlays_drawn_in_expected_region(feature, region):
    base = traits(feature="")
    g = layout(base)
    plain = pixels(render_portrait(base, emulsion()))
    featured = pixels(render_portrait(traits(feature=feature), emulsion()))
    ys, xs = _diff_box(plain, featured)
    top = g["head_cy"] - g["head_ry"]
    if region == "above_head":
        assert (ys < top).sum() > 1500 and (ys < top).mean() > 0.2
    elif region == "face":
        inside = (abs(ys - g["head_cy"]) < g["head_ry"]) & (abs(xs - g["cx"]) < g["head_r"])
        assert inside.mean() > 0.9
    else:
        near = np.zeros(len(ys), bool)
        for hx, hy in g["hands"]:
            near |= (abs(xs - hx) < 2.5 * g["hand_r"]) & (abs(ys - hy) < 2.5 * g["hand_r"])
        assert near.mean() > 0.9


def test_fox_feature_draws_a_tail_beside_the_body():
    base = traits(feature="")
    g = layout(base)
    ys, xs = _diff_box(
        pixels(render_portrait(base, emulsion())),
        pixels(render_portrait(traits(feature="fox ears and tail"), emulsion())),
    )
    assert ((ys > g["shoulder_y"]) & (abs(xs - g["cx"]) > g["hip_w"])).sum() > 500


@pytest.mark.parametrize(
    "feature",
    ["tin eye stalks", "chrome butterfly wings", "serpent tail", "bone halo", "crab pincer claws", "coral gills"],
)
def test_generic_features_draw_something(feature):
    assert render_portrait(traits(feature=feature), emulsion()) != render_portrait(traits(), emulsion())


def _outfit_hist(t: dict) -> np.ndarray:
    g = layout(t)
    img = pixels(render_portrait(t, emulsion()))
    region = img[
        int(g["shoulder_y"]) + 30 : int(g["hip_y"]),
        int(g["cx"] - g["waist_w"] * 0.8) : int(g["cx"] + g["waist_w"] * 0.8),
    ]
    q = (region // 64).reshape(-1, 3)
    hist = np.bincount(q[:, 0] * 16 + q[:, 1] * 4 + q[:, 2], minlength=64).astype(float)
    return hist / hist.sum()


def test_aesthetic_families_dress_differently():
    hists = [_outfit_hist(traits(aesthetics=[s])) for s in ("Trad Goth", "Dark Academia", "Gopnik")]
    for i in range(3):
        for j in range(i + 1, 3):
            assert 0.5 * np.abs(hists[i] - hists[j]).sum() > 0.3


def test_several_aesthetics_are_layered():
    one = render_portrait(traits(aesthetics=["Dark Academia"]), emulsion())
    many = render_portrait(traits(aesthetics=["Dark Academia", "Trad Goth", "Gopnik", "Vaporwave"]), emulsion())
    assert one != many


def test_faction_emblems_differ():
    imgs = {
        f: pixels(render_portrait(traits(faction=f), emulsion()))
        for f in ("none", "pro-growth", "pro-control", "turncoat")
    }
    names = list(imgs)
    top = slice(0, 300)
    for i in range(4):
        for j in range(i + 1, 4):
            assert (imgs[names[i]][top] != imgs[names[j]][top]).any(axis=-1).mean() > 0.05


def test_turncoat_emblem_is_split_between_the_two_sides():
    # the red half is a clipped copy of the blue disc: both halves must show
    g = layout(traits())
    img = pixels(render_portrait(traits(faction="turncoat"), emulsion())).astype(int)
    y = int(g["head_cy"] + 20 - 100)
    left = img[y - 5 : y + 5, int(g["cx"] - 255) : int(g["cx"] - 245)].reshape(-1, 3).mean(axis=0)
    right = img[y - 5 : y + 5, int(g["cx"] + 245) : int(g["cx"] + 255)].reshape(-1, 3).mean(axis=0)
    assert left[0] > left[2] + 60 and right[2] > right[0] + 60


def test_emulsion_changes_drawing_style():
    base = pixels(render_portrait(traits(), emulsion()))
    noir = pixels(render_portrait(traits(), emulsion("noir")))
    bg = noir[5:60, 5:60].reshape(-1, 3).astype(int)
    assert np.abs(bg[:, 0] - bg[:, 1]).max() <= 2  # greyscale outside the skin
    thick = portrait_svg(traits(), emulsion(line_weight=3.0))
    assert 'stroke-width="9.60"' in thick and 'stroke-width="9.60"' not in portrait_svg(traits(), emulsion())
    for tex in ("grain", "halftone", "scanlines", "stipple"):
        assert (pixels(render_portrait(traits(), emulsion(texture=tex))) != base).any(axis=-1).mean() > 0.05
