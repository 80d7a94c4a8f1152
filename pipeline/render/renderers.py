"""The two portrait renderers behind one batch interface (see :data:`batch.RenderBatch`)."""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict
from pathlib import Path

from .batch import RenderBatch
from .emulsions import Emulsion

PROCEDURAL = "procedural"
DIFFUSION = "diffusion"


def procedural_batch() -> tuple[RenderBatch, str]:
    """The default renderer: CPU, no weights. The model name records the renderer version."""
    from .procedural import RENDERER_VERSION, render_portrait

    def render(records: list[dict], emulsions: list[Emulsion], seeds: list[int], prompts: list[str]) -> list[bytes]:
        return [render_portrait(r, e, seed=s) for r, e, s in zip(records, emulsions, seeds)]

    return render, f"procedural-{RENDERER_VERSION}"


def diffusion_batch(
    model: Path,
    config: Path | None = None,
    device: str | None = None,
    dtype: str | None = None,
    size: tuple[int, int] | None = None,
    steps: int | None = None,
) -> tuple[RenderBatch, str]:
    """A local diffusers model; images that share an emulsion are generated in one batch.

    ``size`` (width, height) and ``steps`` override every emulsion's, for quick drafts. The
    returned model name then records them, so drafts and full renders never count as the
    same job in a manifest.
    """
    from .diffusion import DiffusionRenderer

    renderer = DiffusionRenderer(model, config=config, device=device, dtype=dtype)
    overrides = {name: value for name, value in (("steps", steps),) if value is not None}
    if size is not None:
        overrides.update(width=size[0], height=size[1])
    model_name = renderer.model_name
    if overrides:
        model_name += " (draft " + ", ".join(f"{k}={v}" for k, v in sorted(overrides.items())) + ")"

    def render(records: list[dict], emulsions: list[Emulsion], seeds: list[int], prompts: list[str]) -> list[bytes]:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, emulsion in enumerate(emulsions):
            groups[emulsion.emulsion_id].append(index)
        results: list[bytes] = [b""] * len(records)
        for indexes in groups.values():
            emulsion = dataclasses.replace(emulsions[indexes[0]], **overrides)
            images = renderer.render(
                [prompts[i] for i in indexes], [emulsion.negative_words] * len(indexes), [seeds[i] for i in indexes], emulsion
            )
            for i, image in zip(indexes, images):
                buffer = io.BytesIO()
                image.save(buffer, format="PNG")
                results[i] = buffer.getvalue()
        return results

    return render, model_name
