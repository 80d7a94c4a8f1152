"""Drawing the style gallery's samples (the studio is the only part of the site that draws)."""

from __future__ import annotations

from backend.genes.models import Gene
from backend.portraits.models import Emulsion
from pipeline.render.portrait import first_portrait_seed
from pipeline.render.procedural import RENDERER_VERSION, render_portrait

SAMPLE_RENDERER = f"procedural-{RENDERER_VERSION}"
"""The renderer and version the samples are drawn with: part of what a sample's name digests."""


def draw_style_sample(gene: Gene, emulsion: Emulsion, size: tuple[int, int]) -> bytes:
    """PNG bytes of ``gene`` drawn procedurally in ``emulsion`` at ``size``, with its first portrait's seed."""
    return render_portrait(
        gene.row(), emulsion.record(), seed=first_portrait_seed(gene.symbol), width=size[0], height=size[1]
    )
