"""The one way a portrait is made: traits → prompt → seed → renderer → image → blot → metadata.

The image and its blot are kept as the site stores images (:func:`pipeline.images.encode_stored`,
WebP several times smaller than the renderer's PNG).

Every caller goes through :func:`render_portraits`: the ``iconoplasm render`` batch, the site's
request queue, its first-portrait backfill and bring-your-own-key generation. Each caller only
says which gene, emulsion, seed and renderer; the prompt is composed here, once, and a renderer
receives it verbatim, so the prompt recorded with a portrait is exactly the text the model was
given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..emulsions import DEFAULT_EMULSION_ID, Emulsion
from ..images import STORED_SUFFIX, encode_stored, inspect_image
from .blot import encode, load_portrait, render_blot

__all__ = [
    "DEFAULT_EMULSION_ID",
    "PortraitJob",
    "Prompt",
    "RenderedPortrait",
    "Renderer",
    "render_portrait",
    "render_portraits",
]

BLOT_SUFFIX: Final = STORED_SUFFIX


def stable_int(*parts: object) -> int:
    """A 31-bit integer from the parts, identical across processes and machines (seeds, stable picks)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def first_portrait_seed(symbol: str) -> int:
    """The seed of a gene's first (backfilled) portrait: the same on every site."""
    return stable_int(symbol)


def request_seed(symbol: str, emulsion_id: str, request_id: int) -> int:
    """A seed of its own for every generation request (asking twice gives two candidates), stable across retries."""
    return stable_int(symbol, emulsion_id, request_id)


@dataclass(frozen=True)
class Prompt:
    """The text a model is given: what to draw (tags), then how (the emulsion's style words); and what to avoid."""

    text: str
    negative: str


def prompt_for(traits: Mapping[str, Any], emulsion: Emulsion | None) -> Prompt:
    """The prompt for a gene in an emulsion: tags first, then style words; the emulsion's negative words.

    Without an emulsion (a provider asked for no particular style) the tags alone.
    """
    style, negative = (emulsion.style_words.strip(), emulsion.negative_words.strip()) if emulsion else ("", "")
    text = ", ".join(part for part in (str(traits.get("tags") or "").strip(), style) if part)
    return Prompt(text=text, negative=negative)


@dataclass(frozen=True)
class PortraitJob:
    """One portrait to make: the gene's row (its traits; ``symbol`` and ``name`` for the blot), a style and a seed."""

    traits: Mapping[str, Any]
    emulsion: Emulsion | None
    seed: int | None

    @property
    def symbol(self) -> str:
        return str(self.traits["symbol"])

    @property
    def name(self) -> str:
        return str(self.traits.get("name") or self.symbol)


# A renderer draws a batch: one encoded image (or the exception that stopped it) per job, in order.
DrawBatch = Callable[[Sequence[PortraitJob], Sequence[Prompt]], Sequence["bytes | Exception"]]


@dataclass(frozen=True)
class Renderer:
    """What draws the images: ``name`` and ``model`` are recorded with every portrait it makes."""

    name: str
    model: str
    draw: DrawBatch


@dataclass(frozen=True)
class RenderedPortrait:
    """A finished portrait with its blot (the public card image) and everything recorded about it."""

    symbol: str
    image: bytes
    image_suffix: str
    width: int
    height: int
    blot: bytes
    blot_suffix: str
    renderer: str
    model: str
    emulsion_id: str | None
    seed: int | None
    prompt: Prompt


def render_portraits(jobs: Sequence[PortraitJob], renderer: Renderer) -> list[RenderedPortrait | Exception]:
    """Render and blot every job; a job that fails gives its exception in its place, the others go on."""
    prompts = [prompt_for(job.traits, job.emulsion) for job in jobs]
    try:
        images = list(renderer.draw(jobs, prompts))
    except Exception as exc:  # noqa: BLE001 - a failed batch fails its jobs, not the caller's run
        images = [exc] * len(jobs)
    if len(images) != len(jobs):
        mismatch = RuntimeError(f"renderer {renderer.name} returned {len(images)} images for {len(jobs)} jobs")
        images = [mismatch] * len(jobs)
    results: list[RenderedPortrait | Exception] = []
    for job, prompt, image in zip(jobs, prompts, images, strict=True):
        try:
            if isinstance(image, Exception):
                raise image
            results.append(_finish(job, prompt, image, renderer))
        except Exception as exc:  # noqa: BLE001 - reported per job
            results.append(exc)
    return results


def render_portrait(job: PortraitJob, renderer: Renderer) -> RenderedPortrait:
    """One portrait; its failure is raised."""
    [result] = render_portraits([job], renderer)
    if isinstance(result, Exception):
        raise result
    return result


def _finish(job: PortraitJob, prompt: Prompt, image: bytes, renderer: Renderer) -> RenderedPortrait:
    width, height, suffix = inspect_image(image)
    picture = load_portrait(image)
    stored = encode_stored(picture)
    if len(stored) < len(image):  # a provider's JPEG may be smaller as it came: then it is kept
        image, suffix, (width, height) = stored, STORED_SUFFIX, picture.size
    return RenderedPortrait(
        symbol=job.symbol,
        image=image,
        image_suffix=suffix,
        width=width,
        height=height,
        blot=encode(render_blot(picture, job.symbol, job.name), BLOT_SUFFIX),
        blot_suffix=BLOT_SUFFIX,
        renderer=renderer.name,
        model=renderer.model,
        emulsion_id=job.emulsion.emulsion_id if job.emulsion else None,
        seed=job.seed,
        prompt=prompt,
    )
