"""What a gene's images cost on disk (issue 15): a portrait and its blot, drawn at full size (768×1024) by
the one portrait path for real genes, stay within 52 KB together, for the default emulsion and on average
over a sample of every kind of emulsion. Measured on the bytes the path gives, which are what the site
stores. ``bench/storage.py`` measures every emulsion; this keeps the budget from slipping."""

from __future__ import annotations

import io
import statistics

import numpy as np
import pytest
from PIL import Image, ImageChops

from pipeline.emulsions import DEFAULT_EMULSION_ID, procedural_emulsions
from pipeline.images import encode_stored
from pipeline.render.portrait import PortraitJob, render_portrait
from pipeline.render.renderers import procedural_renderer
from pipeline.traits.build import build_traits

BUDGET = 52 * 1024  # bytes per gene, portrait + blot
SYMBOLS = ["TP53", "INS", "BRCA2", "CFTR", "TTN", "SLC2A1"]  # soluble and membrane, small and very large


@pytest.fixture(scope="module")
def records(real_gene_table) -> list[dict]:
    traits = build_traits(real_gene_table.table).set_index("symbol").loc[SYMBOLS].reset_index()
    names = real_gene_table.table.set_index("symbol")["name"]
    return [dict(row, name=names[row["symbol"]]) for _, row in traits.iterrows()]


def stored_bytes(record: dict, emulsion) -> int:
    """Portrait + blot bytes of one gene, as the site stores them; both are WebP at full size."""
    portrait = render_portrait(PortraitJob(traits=record, emulsion=emulsion, seed=0), procedural_renderer())
    for data in (portrait.image, portrait.blot):
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("WEBP", (768, 1024))
    assert portrait.image_suffix == portrait.blot_suffix == "webp"
    return len(portrait.image) + len(portrait.blot)


def test_a_gene_in_the_default_emulsion_costs_at_most_52_kb(records):
    emulsion = procedural_emulsions()[DEFAULT_EMULSION_ID]
    sizes = [stored_bytes(record, emulsion) for record in records]
    assert statistics.fmean(sizes) <= BUDGET, [round(size / 1024, 1) for size in sizes]


def test_a_gene_costs_at_most_52_kb_on_average_over_the_emulsions(records):
    emulsions = procedural_emulsions()
    # one emulsion of each texture and finish there is (the costliest kinds included), each with its own gene
    kinds = {}
    for emulsion in emulsions.values():
        kinds.setdefault((emulsion.texture, emulsion.finish), emulsion)
    sample = list(kinds.values())
    sizes = {e.emulsion_id: stored_bytes(records[i % len(records)], e) for i, e in enumerate(sample)}
    # weighted by how many emulsions share the kind, so the mean stands for a random mix of emulsions
    weights = {
        e.emulsion_id: sum((o.texture, o.finish) == (e.texture, e.finish) for o in emulsions.values()) for e in sample
    }
    mean = sum(sizes[eid] * weights[eid] for eid in sizes) / sum(weights.values())
    assert mean <= BUDGET, {eid: round(size / 1024, 1) for eid, size in sizes.items()}


def test_flat_art_is_stored_without_loss_and_shading_lossy():
    # up to 256 inks, as pixel art: lossless over a palette keeps every pixel
    inks = np.random.default_rng(1).integers(0, 256, (256, 3), dtype=np.uint8)
    blocks = np.random.default_rng(2).integers(0, 256, (1024 // 16, 768 // 16)).repeat(16, 0).repeat(16, 1)
    flat = Image.fromarray(inks[blocks])
    assert len(flat.getcolors(1024)) == 256
    stored = encode_stored(flat)
    with Image.open(io.BytesIO(stored)) as decoded:
        assert ImageChops.difference(decoded.convert("RGB"), flat).getbbox() is None
    assert len(stored) < 768 * 1024 / 8  # under a bit per pixel
    # a smooth photo-like field: lossy, far smaller than lossless
    shaded = Image.radial_gradient("L").resize((768, 1024)).convert("RGB")
    noisy = ImageChops.add(shaded, Image.effect_noise((768, 1024), 12).convert("RGB"), offset=-100)
    stored = encode_stored(noisy)
    lossless = io.BytesIO()
    noisy.save(lossless, "WEBP", lossless=True)
    assert len(stored) < len(lossless.getvalue()) / 3
    with Image.open(io.BytesIO(stored)) as decoded:
        assert decoded.format == "WEBP" and ImageChops.difference(decoded.convert("RGB"), noisy).getbbox() is not None


def test_the_same_pixels_give_the_same_bytes(records):
    emulsion = procedural_emulsions()[DEFAULT_EMULSION_ID]
    job = PortraitJob(traits=records[0], emulsion=emulsion, seed=0)
    first, again = (render_portrait(job, procedural_renderer()) for _ in range(2))
    assert (first.image, first.blot) == (again.image, again.blot)
