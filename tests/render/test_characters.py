"""Characters you can tell apart: seeded looks, age in steps, nothing over the face (synthetic traits)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pipeline.render import procedural_parts
from pipeline.render.procedural import (
    AGE_STEPS,
    _accessory,
    _prop,
    _rasterise,
    _stroke,
    face_ellipse,
    layout,
    render_portrait,
)
from pipeline.render.procedural_parts import FACE_SHAPES, FAMILIES, POSES, PROPS, character_for, look_for
from tests.render.test_procedural import emulsion, pixels, traits

SMALL = (192, 256)  # a quarter of the design size each way: geometry / 4


def small(t: dict, em=None, seed: int = 0) -> np.ndarray:
    return pixels(render_portrait(t, em or emulsion(), seed, *SMALL))


def test_same_gene_emulsion_and_seed_give_the_same_bytes():
    t = traits(symbol="OR2A1", family="OR", feature="pig nose", aesthetics=["Vaporwave"], age=20)
    for em in (emulsion(), emulsion("risograph", "halftone", 2.0)):
        assert render_portrait(t, em, 5, *SMALL) == render_portrait(dict(t), em, 5, *SMALL)
    assert character_for("OR2A1", "OR") == character_for("OR2A1", "OR")


def test_identical_traits_with_other_symbols_are_not_copies():
    # OR2A1 and OR2T11 used to draw the very same picture
    base = {"family": "OR", "feature": "pig nose", "aesthetics": ["Vaporwave"], "weight_kg": 35.0, "age": 20}
    a, b = small(traits(symbol="OR2A1", **base)), small(traits(symbol="OR2T11", **base))
    assert (a != b).any(axis=-1).mean() > 0.03
    # and across a family the seeded axes take several values each
    looks = [character_for(f"ZNF{k}", "ZNF") for k in range(1, 41)]
    for axis in ("eyes", "prop", "pose", "sleeves", "hem", "hair_tone", "iris"):
        assert len({getattr(look, axis) for look in looks}) > 1, axis


def test_relatives_share_the_family_axes():
    family = [character_for(symbol, "IL") for symbol in ("IL1B", "IL6", "IL17A", "IL2RG")]
    assert len({(c.face, c.hair_cut) for c in family}) == 1
    assert len(set(family)) == len(family)
    # ... and the family axis does vary between families
    assert len({(character_for("X1", f).face, character_for("X1", f).hair_cut) for f in FAMILIES}) > 3


def _crown(img: np.ndarray, g: dict) -> tuple[float, float]:
    """(share that is grey or white, i.e. light and unsaturated; mean lightness) of the crown of the head."""
    k = SMALL[0] / 768
    top = g["head_cy"] - g["head_ry"]
    y0, y1 = int((top + g["head_ry"] * 0.12) * k), int((top + g["head_ry"] * 0.4) * k)
    x0, x1 = int((g["cx"] - g["head_r"] * 0.6) * k), int((g["cx"] + g["head_r"] * 0.6) * k)
    region = img[y0:y1, x0:x1].astype(int)
    light = region.mean(axis=-1) > 150
    unsaturated = region.max(axis=-1) - region.min(axis=-1) < 25
    return float((light & unsaturated).mean()), float(region.mean())


#: one age per step from adult up, with the step each must land in
AGES = {20: "adult", 28: "greying", 36: "grey", 50: "elder"}


def test_age_steps_follow_the_age_scale():
    assert [step for _, (step, *_rest) in AGE_STEPS][-4:] == list(AGES.values())
    for age, step in AGES.items():
        assert layout(traits(age=age))["stage"] == step


@pytest.mark.parametrize("aesthetic", ["Normcore", "Pastel Goth", "Kawaii"])
def test_hair_greys_with_the_age_step_whatever_the_style(aesthetic):
    # a style's dye (pastel pink, white) must never read as grey on a young character
    crowns = []
    for age in AGES:
        t = traits(age=age, sex="female", aesthetics=[aesthetic], color_hex="#8a5a3c")
        crowns.append(_crown(small(t), layout(t)))
    grey, lightness = zip(*crowns, strict=True)
    assert grey[0] < 0.02 and min(grey[1:]) > 0.5, crowns
    assert all(later > earlier + 5 for earlier, later in itertools.pairwise(lightness)), crowns


def test_posture_stoops_and_only_the_oldest_step_has_a_cane():
    heads = [layout(traits(age=age))["head_cy"] for age in AGES]
    assert heads[-1] > heads[1] + 20  # the elder's head sits lower
    cane = []
    for age in AGES:
        t = traits(age=age)
        g, img = layout(t), small(t).astype(int)
        k = SMALL[0] / 768
        hx, hy = g["hands"][0]
        strip = img[int((hy + 60) * k) : int((g["feet_y"] - 20) * k), int((hx - 60) * k) : int((hx - 25) * k)]
        cane.append(int((np.abs(strip - np.array([0x6B, 0x4B, 0x2A])).sum(axis=-1) < 30).sum()))
    assert cane[-1] > 20 and max(cane[:-1]) == 0, cane


def _layouts() -> list[dict]:
    """Geometry across the trait space: stages, weights, sexes, every face shape and every pose."""
    out = []
    for k, (age, weight, sex) in enumerate(
        [
            (4, 10, "female"),
            (15, 40, "male"),
            (20, 60, "female"),
            (22, 3816, "male"),
            (36, 80, "female"),
            (50, 20, "male"),
        ]
    ):
        for n, shape in enumerate(FACE_SHAPES):
            family = next(f"F{k}X{m}" for m in range(500) if character_for("S", f"F{k}X{m}").face == shape)
            pose = POSES[(k + n) % len(POSES)]
            symbol = next(f"{family}S{m}" for m in range(500) if character_for(f"{family}S{m}", family).pose == pose)
            out.append(layout(traits(symbol=symbol, family=family, age=age, weight_kg=weight, sex=sex)))
    return out


def _drawn(svg: str) -> np.ndarray:
    doc = f'<svg xmlns="http://www.w3.org/2000/svg" width="768" height="1024" viewBox="0 0 768 1024">{svg}</svg>'
    return _rasterise(doc, 768, 1024)[..., 3] > 0


def test_no_accessory_or_prop_draws_inside_the_face():
    # e.g. a punk spiked collar drawn over the chin read as a censor bar with fangs
    kinds = {look[6]: name for name, look in procedural_parts._FAMILIES.items()}
    st = _stroke(emulsion())
    yy, xx = np.mgrid[0:1024, 0:768]
    covering = set()
    layouts = _layouts()
    assert {g["pose"] for g in layouts} == set(POSES)
    for g in layouts:
        fx, fy, rx, ry = face_ellipse(g)
        face = ((xx - fx) / rx) ** 2 + ((yy - fy) / ry) ** 2 < 1
        drawings = [(kind, _accessory(kind, g, look_for(family, family), st)) for kind, family in kinds.items()]
        drawings += [(prop, _prop(prop, g, look_for("Normcore", "fallback"), st)) for prop in PROPS if prop != "none"]
        for kind, svg in drawings:
            drawn = _drawn(svg)
            assert drawn.any(), kind
            if (drawn & face).any():
                covering.add(f"{kind} ({g['stage']}, {g['look'].face} face, {g['pose']})")
    assert not covering, sorted(covering)
