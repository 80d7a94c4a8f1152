"""The two local portrait renderers behind :class:`portrait.Renderer`: procedural (default) and diffusion."""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .portrait import PortraitJob, Prompt, Renderer

PROCEDURAL = "procedural"
DIFFUSION = "diffusion"


def procedural_renderer() -> Renderer:
    """The default renderer: CPU, no weights. The model name records the renderer version."""
    from .procedural import RENDERER_VERSION, render_portrait

    def draw(jobs: Sequence[PortraitJob], prompts: Sequence[Prompt]) -> list[bytes | Exception]:
        results: list[bytes | Exception] = []
        for job in jobs:
            if job.emulsion is None:
                results.append(ValueError("the procedural renderer needs an emulsion"))
            else:
                results.append(render_portrait(job.traits, job.emulsion, seed=job.seed or 0))
        return results

    return Renderer(name=PROCEDURAL, model=f"procedural-{RENDERER_VERSION}", draw=draw)


def diffusion_renderer(
    model: Path,
    config: Path | None = None,
    device: str | None = None,
    dtype: str | None = None,
    size: tuple[int, int] | None = None,
    steps: int | None = None,
) -> Renderer:
    """A local diffusers model; images that share an emulsion are generated in one batch.

    ``size`` (width, height) and ``steps`` override every emulsion's, for quick drafts. The
    model name then records them, so drafts and full renders never count as the same job in a
    manifest.
    """
    from .diffusion import DiffusionRenderer

    renderer = DiffusionRenderer(model, config=config, device=device, dtype=dtype)
    overrides: dict[str, Any] = {"steps": steps} if steps is not None else {}
    if size is not None:
        overrides.update(width=size[0], height=size[1])
    model_name = renderer.model_name
    if overrides:
        model_name += " (draft " + ", ".join(f"{k}={v}" for k, v in sorted(overrides.items())) + ")"

    def draw(jobs: Sequence[PortraitJob], prompts: Sequence[Prompt]) -> list[bytes | Exception]:
        results: list[bytes | Exception] = [ValueError("the diffusion renderer needs an emulsion")] * len(jobs)
        groups: dict[str, list[int]] = defaultdict(list)
        for index, job in enumerate(jobs):
            if job.emulsion is not None:
                groups[job.emulsion.emulsion_id].append(index)
        for indexes in groups.values():
            emulsion = jobs[indexes[0]].emulsion
            assert emulsion is not None
            images = renderer.render(
                [prompts[i].text for i in indexes],
                [prompts[i].negative for i in indexes],
                [jobs[i].seed or 0 for i in indexes],
                dataclasses.replace(emulsion, **overrides),
            )
            for i, image in zip(indexes, images, strict=True):
                buffer = io.BytesIO()
                image.save(buffer, format="PNG")
                results[i] = buffer.getvalue()
        return results

    return Renderer(name=DIFFUSION, model=model_name, draw=draw)
