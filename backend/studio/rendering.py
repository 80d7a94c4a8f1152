"""From the site's rows to the pipeline's one portrait path and back: every portrait the site makes
(queue, backfill, bring-your-own-key) is drawn by :func:`pipeline.render.portrait.render_portrait`
and registered by :func:`backend.portraits.services.register_candidate`."""

from __future__ import annotations

from backend.common.db import retry_when_locked
from backend.genes.models import Gene
from backend.portraits.models import Emulsion, Portrait
from backend.portraits.services import register_candidate
from pipeline.render.portrait import PortraitJob, RenderedPortrait, Renderer, render_portrait
from pipeline.render.renderers import procedural_renderer

__all__ = ["make_candidate", "portrait_job", "procedural_renderer", "register_rendered"]


def make_candidate(
    *, gene: Gene, emulsion: Emulsion | None, seed: int | None, renderer: Renderer, origin: str, created_by=None
) -> Portrait:
    """Render ``gene`` in ``emulsion`` with ``seed`` and register the result as a candidate of ``origin``."""
    rendered = render_portrait(portrait_job(gene, emulsion, seed), renderer)
    return retry_when_locked(
        lambda: register_rendered(rendered, gene=gene, emulsion=emulsion, origin=origin, created_by=created_by)
    )


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
