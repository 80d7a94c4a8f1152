"""From the site's rows to the pipeline's one portrait path and back: every portrait the site makes
(queue, backfill, bring-your-own-key) is drawn by :func:`pipeline.render.portrait.render_portrait`
and registered by :func:`backend.portraits.services.register_candidate`."""

from __future__ import annotations

from backend.genes.models import Gene
from backend.portraits.models import Emulsion, Portrait
from backend.portraits.services import register_candidate
from pipeline.render.portrait import PortraitJob, RenderedPortrait
from pipeline.render.renderers import procedural_renderer

__all__ = ["portrait_job", "procedural_renderer", "register_rendered"]


def portrait_job(gene: Gene, emulsion: Emulsion | None, seed: int | None) -> PortraitJob:
    """The pipeline's job for a gene row and an emulsion row."""
    return PortraitJob(traits=gene.row(), emulsion=emulsion.record() if emulsion else None, seed=seed)


def register_rendered(
    rendered: RenderedPortrait, *, gene: Gene, emulsion: Emulsion | None, origin: str, created_by=None
) -> Portrait:
    """Register a finished :class:`~pipeline.render.portrait.RenderedPortrait` with everything recorded about it."""
    portrait, _ = register_candidate(
        gene,
        rendered.image,
        blot=rendered.blot,
        blot_suffix=rendered.blot_suffix,
        renderer=rendered.renderer,
        model=rendered.model,
        emulsion=emulsion,
        seed=rendered.seed,
        prompt=rendered.prompt.text,
        origin=origin,
        created_by=created_by,
    )
    return portrait
