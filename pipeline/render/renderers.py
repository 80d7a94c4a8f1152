"""The two portrait renderers behind one batch interface (see :data:`batch.RenderBatch`)."""

from __future__ import annotations

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


def diffusion_batch(model: Path, config: Path | None = None, device: str | None = None, dtype: str | None = None) -> tuple[RenderBatch, str]:
    """A local diffusers model; images that share an emulsion are generated in one batch."""
    from .diffusion import DiffusionRenderer

    renderer = DiffusionRenderer(model, config=config, device=device, dtype=dtype)

    def render(records: list[dict], emulsions: list[Emulsion], seeds: list[int], prompts: list[str]) -> list[bytes]:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, emulsion in enumerate(emulsions):
            groups[emulsion.emulsion_id].append(index)
        results: list[bytes] = [b""] * len(records)
        for indexes in groups.values():
            emulsion = emulsions[indexes[0]]
            images = renderer.render(
                [prompts[i] for i in indexes], [emulsion.negative_words] * len(indexes), [seeds[i] for i in indexes], emulsion
            )
            for i, image in zip(indexes, images):
                buffer = io.BytesIO()
                image.save(buffer, format="PNG")
                results[i] = buffer.getvalue()
        return results

    return render, renderer.model_name
