"""Stand-ins for the renderers, shared by the worker and backfill tests (the images API's is fake_image_api.py)."""

from __future__ import annotations

import threading

from pipeline.render.portrait import Renderer

from .factories import png_bytes


class FakeRenderer:
    """Records calls; returns a PNG whose colour depends on the seed; fails the first ``fail`` calls."""

    def __init__(self, fail: int = 0):
        self.calls: list[tuple] = []
        self.fail = fail
        self.lock = threading.Lock()

    def draw(self, jobs, prompts):
        [job], [prompt] = jobs, prompts
        with self.lock:
            self.calls.append((job.symbol, job.emulsion.emulsion_id, job.seed, prompt.text))
            if self.fail:
                self.fail -= 1
                raise RuntimeError("renderer exploded")
        return [png_bytes((job.seed % 256, (job.seed >> 8) % 256, 90))]

    def renderer(self) -> Renderer:
        return Renderer(name="procedural", model="fake-1", draw=self.draw)
