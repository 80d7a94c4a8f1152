"""Each emulsion family looks like its name, measured on the rendered pixels.

Renders are small (192x256) where the look survives it, with one full-size render per
family; the emulsions are the real rows of ``gene_data/emulsions.csv``.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline import cli
from pipeline.emulsions import load_emulsions, procedural_emulsions
from pipeline.records import Finish
from pipeline.render import batch, styles
from pipeline.render.procedural import render_portrait
from pipeline.sources.base import SourceError

EMULSIONS = load_emulsions()
SMALL = (192, 256)
FULL = (768, 1024)


def traits(**over) -> dict:
    base = {
        "symbol": "TEST1",
        "sex": "female",
        "weight_kg": 60.0,
        "age": 30,
        "aesthetics": ["Cottagecore", "Normcore"],
        "feature": "fox ears and tail",
        "color_hex": "#3c485f",
        "faction": "pro-control",
    }
    base.update(over)
    return base


def render(emulsion_id: str, size: tuple[int, int] = SMALL, **over) -> np.ndarray:
    png = render_portrait(traits(**over), EMULSIONS[emulsion_id], seed=1, width=size[0], height=size[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def colours(rgb: np.ndarray) -> int:
    return len(np.unique(rgb.reshape(-1, 3), axis=0))


def colour_edges(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column indexes where a pixel differs from its left neighbour, row indexes where from the one above."""
    _, xs = np.nonzero((rgb[:, 1:] != rgb[:, :-1]).any(axis=-1))
    ys, _ = np.nonzero((rgb[1:] != rgb[:-1]).any(axis=-1))
    return xs + 1, ys + 1


def near_white(rgb: np.ndarray) -> float:
    return float((rgb.min(axis=-1) >= 220).mean())


def dark(rgb: np.ndarray) -> np.ndarray:
    return rgb.max(axis=-1) < 110


def of_finish(finish: Finish) -> list[str]:
    return sorted(eid for eid, e in EMULSIONS.items() if e.finish == finish)


def test_every_family_has_emulsions_and_diffusion_only_ones_are_not_procedural():
    for finish in Finish:
        assert of_finish(finish), f"no emulsion is finished as {finish}"
    offered = procedural_emulsions(EMULSIONS)
    assert "E0001" in offered and "E0004" not in offered  # Claymation is diffusion-only
    assert all(e.finish != Finish.DIFFUSION_ONLY for e in offered.values())


def test_a_diffusion_only_emulsion_is_refused_by_the_procedural_renderer():
    with pytest.raises(ValueError, match="diffusion-only"):
        render("E0004")


def test_an_unknown_finish_is_rejected_with_the_row_named(tmp_path: Path):
    table = (Path(__file__).parents[2] / "gene_data" / "emulsions.csv").read_text(encoding="utf-8")
    broken = tmp_path / "emulsions.csv"
    broken.write_text(table.replace(",halftone,drawn,", ",halftone,sketchy,", 1), encoding="utf-8")
    with pytest.raises(SourceError, match=r"E0001: finish 'sketchy'"):
        load_emulsions(broken)


@pytest.mark.parametrize("emulsion_id", sorted(procedural_emulsions(EMULSIONS)))
def test_every_procedural_emulsion_renders_deterministically(emulsion_id):
    a = render(emulsion_id)
    assert a.shape == (SMALL[1], SMALL[0], 3)
    assert np.array_equal(a, render(emulsion_id))
    assert (a != render(emulsion_id, symbol="OTHER2", sex="male")).any()


@pytest.mark.parametrize("finish", [f for f in Finish if f != Finish.DIFFUSION_ONLY])
def test_same_gene_emulsion_and_seed_give_the_same_bytes_at_full_size(finish):
    emulsion = EMULSIONS[of_finish(finish)[0]]
    first = render_portrait(traits(), emulsion, seed=5)
    assert first == render_portrait(traits(), emulsion, seed=5)
    assert first != render_portrait(traits(), emulsion, seed=6)


@pytest.mark.parametrize(
    ("emulsion_id", "size"), [("E0006", FULL), ("E0121", FULL), ("E0006", SMALL), ("E0121", SMALL)]
)
def test_pixel_art_is_on_a_coarse_grid_in_a_small_palette(emulsion_id, size):
    emulsion = EMULSIONS[emulsion_id]
    rgb = render(emulsion_id, size)
    block = styles.pixel_block(emulsion.finish, size[0])
    assert block >= (8 if size == FULL else 2)
    xs, ys = colour_edges(rgb)
    on_grid = np.concatenate([xs % block == 0, ys % block == 0])
    assert on_grid.mean() >= 0.95
    # 24 colours (16-bit) or 12 (8-bit), and the exact skin colour
    assert colours(rgb) <= (25 if emulsion.finish == Finish.PIXEL_FINE else 13)
    assert (rgb == np.array([0x3C, 0x48, 0x5F])).all(axis=-1).mean() > 0.01


def test_pixel_art_has_no_scanlines_across_its_blocks():
    """Pixel Art 8-bit names the scanlines texture; a block must still be one colour."""
    rgb = render("E0121", FULL)
    block = styles.pixel_block(Finish.PIXEL_COARSE, FULL[0])
    cells = rgb[: FULL[1] // block * block].reshape(FULL[1] // block, block, FULL[0] // block, block, 3)
    assert (cells == cells[:, :1, :, :1]).all(axis=-1).all(axis=(1, 3)).mean() == 1.0


def test_mosaic_tesserae_sit_on_a_grid_with_grout_between():
    rgb = render("E0020", FULL)
    block = styles.pixel_block(Finish.MOSAIC, FULL[0])
    xs, ys = colour_edges(rgb)
    offsets = np.concatenate([xs % block, ys % block])
    assert np.isin(offsets, [0, max(1, block // 6)]).mean() >= 0.95
    assert colours(rgb) <= 18


@pytest.mark.parametrize("emulsion_id", ["E0042", "E0030", "E0106", "E0054"])
def test_line_art_is_dark_lines_on_a_white_ground(emulsion_id):
    rgb = render(emulsion_id, FULL if emulsion_id == "E0042" else SMALL)
    assert near_white(rgb) >= 0.70
    lines = dark(rgb)
    assert 0.01 < lines.mean() < 0.25  # lines, not filled shapes
    assert colours(rgb) <= 3  # ink, ground and the skin


def test_patent_drawing_is_white_whatever_the_aesthetic_background():
    """A dark-ground aesthetic (Film Noir) still gives a white patent drawing."""
    rgb = render("E0042", SMALL, aesthetics=["Film Noir"])
    assert near_white(rgb) >= 0.70


@pytest.mark.parametrize("emulsion_id", ["E0041", "E0053", "E0112"])
def test_light_lines_sit_on_a_dark_ground(emulsion_id):
    rgb = render(emulsion_id, FULL if emulsion_id == "E0041" else SMALL)
    assert rgb[2, 2].max() < 140
    assert (rgb.max(axis=-1) < 140).mean() > 0.6  # the ground (and a neon line's glow) stays dark
    assert (rgb.min(axis=-1) > 180).mean() > 0.01  # pale lines
    assert colours(rgb) <= 6


@pytest.mark.parametrize("emulsion_id", ["E0003", "E0005", "E0029", "E0037"])
def test_woodblock_has_flat_colour_areas_key_lines_and_paper(emulsion_id):
    rgb = render(emulsion_id, FULL if emulsion_id == "E0003" else SMALL)
    # eight flat inks at most, each also under a paper fibre, the key block and the skin
    assert colours(rgb) <= 2 * 9 + 1
    same_as_right = (rgb[:, 1:] == rgb[:, :-1]).all(axis=-1).mean()
    assert same_as_right >= 0.8
    key = (rgb.max(axis=-1) < 40).mean()
    assert key > 0.02
    fibres = rgb.astype(int).sum(axis=-1)
    assert (fibres[:, 1:] < fibres[:, :-1] - 20).mean() > 0.002  # specks darker than their paper


def test_ukiyo_e_keeps_far_fewer_colours_than_the_drawing():
    drawn = dataclasses.replace(EMULSIONS["E0003"], finish=Finish.DRAWN)
    before = render_portrait(traits(), drawn, seed=1, width=SMALL[0], height=SMALL[1])
    assert colours(render("E0003")) * 3 < colours(np.asarray(Image.open(io.BytesIO(before)).convert("RGB")))


def test_halftone_dots_grow_with_darkness():
    """On a ramp from white to black, ink coverage rises from paper to solid, in two colours."""
    ramp = np.repeat(np.linspace(255, 60, 384, dtype=np.uint8)[None, :], 256, axis=0)
    grey = Image.fromarray(np.stack([ramp] * 3, axis=-1), "RGB")
    nothing = Image.new("1", grey.size, 0)
    out = np.asarray(styles.finish(styles.Drawing(grey, nothing, (0, 0, 0), nothing), EMULSIONS["E0107"]))
    assert colours(out) == 2
    inked = dark(out)
    coverage = [inked[:, x : x + 48].mean() for x in range(0, 384, 48)]
    assert coverage == sorted(coverage)
    assert coverage[0] < 0.05 and 0.1 < coverage[4] < 0.9 and coverage[-1] > 0.6
    assert (inked[:, 190] != inked[:, 191]).any()  # dots, not a flat grey


@pytest.mark.parametrize("emulsion_id", ["E0107", "E0028", "E0026"])
def test_halftone_styles_print_in_few_colours(emulsion_id):
    rgb = render(emulsion_id, FULL if emulsion_id == "E0028" else SMALL)
    assert colours(rgb) <= 9  # six flat colours, paper, key line and the skin


def test_ink_is_black_and_white_with_hatching():
    rgb = render("E0002", FULL)
    assert colours(rgb) <= 3
    black = dark(rgb)
    assert 0.1 < black.mean() < 0.9
    assert near_white(rgb) > 0.1


def test_watercolour_softens_the_drawings_hard_edges():
    wash = render("E0011", FULL).astype(int)
    drawn = dataclasses.replace(EMULSIONS["E0011"], finish=Finish.DRAWN)
    hard = np.asarray(Image.open(io.BytesIO(render_portrait(traits(), drawn, seed=1))).convert("RGB")).astype(int)

    def hard_steps(rgb: np.ndarray) -> float:
        return float((np.abs(rgb[:, 1:] - rgb[:, :-1]).sum(axis=-1) > 200).mean())

    assert hard_steps(wash) < 0.5 * hard_steps(hard)
    assert colours(wash) <= 24 * 4 + 1  # 24 pigments under four paper tones, and the skin


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    from ..backend.catalogue import write_catalogue

    folder = tmp_path_factory.mktemp("data")
    write_catalogue(folder)
    return folder


def test_the_procedural_cli_refuses_a_diffusion_only_emulsion(data_dir, tmp_path, capsys):
    argv = ["render", "--genes", "TP53", "--emulsion", "E0004", "--data", str(data_dir), "--out", str(tmp_path)]
    assert cli.main(argv) == 2
    assert "E0004 (Claymation) is diffusion-only: use --renderer diffusion" in capsys.readouterr().err


def test_random_emulsions_for_the_procedural_cli_are_procedural_ones(data_dir, tmp_path):
    out = tmp_path / "out"
    argv = ["render", "--genes", "TP53,LAIR1", "--emulsions", "random", "--candidates", "6"]
    assert cli.main([*argv, "--data", str(data_dir), "--out", str(out)]) == 0
    chosen = {entry["emulsion_id"] for entry in batch.read_manifest(out)}
    assert len(chosen) > 3 and all(EMULSIONS[eid].procedural for eid in chosen)
