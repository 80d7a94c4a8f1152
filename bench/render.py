"""Benchmark: procedural portraits per second on one core, and the diffusion path.

Procedural part (one process, one core): for a fixed sample of real genes from
the traits table, in the same run,

* **floor**: Skia rasterising each portrait's complete SVG (background
  included) into a pixel buffer and nothing else: what drawing these SVGs with
  this rasteriser costs at least (the renderer caches the backgrounds, so it
  can come out under 1);
* **portrait**: :func:`pipeline.render.procedural.render_portrait` (SVG
  composition, rasterising, the emulsion's palette and texture, PNG);
* **portrait + blot**: drawing, encoding the portrait as the site stores it
  (:func:`pipeline.images.encode_stored`) and blotting, called directly;
* **the portrait path**: :func:`pipeline.render.portrait.render_portrait`, what every caller
  (``iconoplasm render``, the queue, the backfill, bring-your-own-key) goes through: the same
  two steps plus composing the prompt and checking the image. Its ratio to the line above is
  the cost of having one path (target: under 1.05).

Prints images/s (CPU time of this process, so other load on the machine
counts less) and the ratio to the floor. Target: >= 10 portraits/s.
Then, unless ``--no-diffusion``, runs ``bench/render_diffusion.py`` (our
diffusers path against a plain default diffusers call; tiny model on CPU).

    python bench/render.py [--genes 30] [--emulsion E0001] [--no-diffusion]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def one_core() -> None:
    """Pin this process to one core, as the target is stated per core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed(fn, items) -> float:
    started = time.process_time()
    for item in items:
        fn(item)
    return time.process_time() - started


def procedural(genes: int, emulsion_id: str, data: Path) -> None:
    import numpy as np
    import pandas as pd
    import skia

    from pipeline.emulsions import load_emulsions
    from pipeline.images import encode_stored
    from pipeline.render import portrait as path
    from pipeline.render.blot import load_portrait, make_blot
    from pipeline.render.procedural import portrait_svg, render_portrait
    from pipeline.render.renderers import procedural_renderer

    traits = pd.read_parquet(data / "traits.parquet").sample(n=genes, random_state=7)
    records = [dict(row, symbol=row["symbol"]) for _, row in traits.iterrows()]
    emulsion = load_emulsions()[emulsion_id]
    render_portrait(records[0], emulsion)  # warm caches (fonts, backgrounds, textures)

    def rasterise(svg: str) -> None:
        pixels = np.zeros((1024, 768, 4), np.uint8)
        dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(svg.encode(), True))
        dom.render(skia.Surface(pixels, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType).getCanvas())

    svgs = [portrait_svg(r, emulsion, 0, 768, 1024) for r in records]
    floor = timed(rasterise, svgs)
    portraits: list[bytes] = []
    portrait = timed(lambda r: portraits.append(render_portrait(r, emulsion)), records)
    blots = timed(lambda png: make_blot(png, "SYMBOL", "gene name", fmt="webp"), portraits)
    stored = timed(lambda png: encode_stored(load_portrait(png)), portraits)
    renderer = procedural_renderer()
    jobs = [path.PortraitJob(traits=dict(r, name="gene name"), emulsion=emulsion, seed=0) for r in records]
    one_path = timed(lambda job: path.render_portrait(job, renderer), jobs)

    print(
        f"procedural: {genes} real genes, emulsion {emulsion_id} ({emulsion.palette}/{emulsion.texture}), 768x1024, one core"
    )
    print(f"  floor (Skia rasterising the SVG only): {genes / floor:7.2f} images/s")
    print(
        f"  portrait:                              {genes / portrait:7.2f} images/s  ratio to floor {portrait / floor:.2f}  (target >= 10/s)"
    )
    print(f"  portrait + blot (called directly):     {genes / (portrait + stored + blots):7.2f} images/s")
    print(
        f"  the portrait path (every caller):      {genes / one_path:7.2f} images/s  "
        f"ratio to portrait + blot {one_path / (portrait + stored + blots):.3f}  (target < 1.05)"
    )


def main(argv: list[str] | None = None) -> int:
    from pipeline.paths import default_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genes", type=int, default=30)
    parser.add_argument("--emulsion", default="E0001")
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="folder with traits.parquet")
    parser.add_argument("--no-diffusion", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "traits.parquet").exists():
        raise SystemExit(
            f"{args.data / 'traits.parquet'} not found: run `iconoplasm data build` and `iconoplasm traits build`"
        )
    one_core()
    procedural(args.genes, args.emulsion, args.data)
    if not args.no_diffusion:
        from bench import render_diffusion

        print()
        return render_diffusion.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
