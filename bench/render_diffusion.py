"""Benchmark: our diffusion generation path against a plain default diffusers call.

Both run in the same process, on the same model, steps, size and number of
images:

* **baseline**: ``pipe(prompt, num_inference_steps=..., generator=...)`` one
  image at a time, float32, the pipeline's default scheduler and settings;
* **ours**: :class:`pipeline.render.diffusion.DiffusionRenderer` — batched
  (``--batch`` images per UNet pass, one seeded generator per image), and on
  cuda bf16/fp16, SDPA attention, channels-last and (``--compile``) a
  ``torch.compile``'d UNet.

Each side gets one untimed warm-up call first (compilation, allocator,
lazy imports). Prints images/s for each and the ratio.

    python -m bench.render_diffusion                      # tiny random model, CPU: seconds
    python -m bench.render_diffusion --model PATH --size 512 --steps 20
    python -m bench.render_diffusion --real-size-unet --compile   # GPU: SD1.5-size random UNet/VAE/CLIP at 512x512

The default model is the tiny random-weight pipeline from
``tests/render/tiny_pipeline.py``, built in a temporary folder. With
``--real-size-unet`` the UNet is a randomly initialised
``UNet2DConditionModel`` with the default (SD1.5-size) config, text
conditioning 768 wide as in SD1.5, with an SD-size VAE and CLIP text encoder
(random weights, nothing downloaded): timings like a real SD1.5 model, images
are noise. That mode is meant for GPUs.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PROMPT = "portrait of a gene knight, heavy armour, tall spear, glowing eyes, castle background"


def real_size_pipeline(tiny_dir: Path) -> Any:
    """An SD1.5-size pipeline with random weights: default UNet (cross-attention 768), SD VAE, CLIP-L-size text encoder."""
    import torch
    from diffusers import AutoencoderKL, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    tiny = StableDiffusionPipeline.from_pretrained(tiny_dir, local_files_only=True)
    tokenizer = tiny.tokenizer
    torch.manual_seed(0)
    unet = UNet2DConditionModel(sample_size=64, cross_attention_dim=768)
    vae = AutoencoderKL(
        block_out_channels=(128, 256, 512, 512),
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        layers_per_block=2,
        latent_channels=4,
        sample_size=512,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=768,
            intermediate_size=3072,
            num_hidden_layers=12,
            num_attention_heads=12,
            max_position_embeddings=77,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
    )
    return StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=tiny.scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


def synchronize(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
    elif device.startswith("mps"):
        torch.mps.synchronize()


def run_baseline(pipe: Any, device: str, images: int, steps: int, size: int) -> float:
    """Seconds for ``images`` plain one-at-a-time calls (after one warm-up call)."""
    import torch

    def one(seed: int) -> None:
        pipe(
            PROMPT,
            num_inference_steps=steps,
            height=size,
            width=size,
            generator=torch.Generator(device).manual_seed(seed),
        )

    one(0)
    synchronize(device)
    start = time.perf_counter()
    for seed in range(images):
        one(seed)
    synchronize(device)
    return time.perf_counter() - start


def run_ours(renderer: Any, images: int, steps: int, size: int, sampler: str) -> float:
    """Seconds for ``images`` images through DiffusionRenderer.render (after one warm-up batch)."""
    from pipeline.emulsions import Emulsion

    emulsion = Emulsion(
        emulsion_id="E9999",
        name="bench",
        style_words="",
        negative_words="",
        sampler=sampler,
        steps=steps,
        guidance=7.5,
        width=size,
        height=size,
        line_weight=1.0,
        palette="natural",
        texture="none",
    )
    batch = renderer.batch_size
    renderer.render([PROMPT] * batch, [""] * batch, list(range(batch)), emulsion)
    synchronize(renderer.device)
    start = time.perf_counter()
    renderer.render([PROMPT] * images, [""] * images, list(range(images)), emulsion)
    synchronize(renderer.device)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="diffusers folder (default: a tiny random model in a temp dir)")
    parser.add_argument("--batch", type=int, default=8, help="images per UNet pass on our path")
    parser.add_argument("--images", type=int, help="images per side (default: 2 batches)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, help="image side in pixels (default 512 real-size/--model, 64 tiny)")
    parser.add_argument(
        "--sampler", default="pndm", help="our sampler (default pndm = the baseline's default scheduler)"
    )
    parser.add_argument("--device", help="cuda, mps or cpu (default: best available)")
    parser.add_argument("--dtype", help="our dtype (default: bf16/fp16 on GPUs, fp32 on cpu)")
    parser.add_argument("--compile", action="store_true", help="torch.compile our UNet (cuda)")
    parser.add_argument("--real-size-unet", action="store_true", help="SD1.5-size random UNet/VAE/text encoder (GPU)")
    args = parser.parse_args(argv)

    import torch
    from diffusers import StableDiffusionPipeline
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    from pipeline.render.diffusion import DiffusionRenderer, pick_device
    from tests.render.tiny_pipeline import build_tiny_pipeline

    diffusers_logging.disable_progress_bar()
    transformers_logging.disable_progress_bar()
    diffusers_logging.set_verbosity_error()
    device = pick_device(args.device)
    images = args.images or 2 * args.batch
    with tempfile.TemporaryDirectory() as tmp:
        if args.real_size_unet:
            if device == "cpu":
                print("warning: --real-size-unet on the CPU is very slow", file=sys.stderr)
            base = real_size_pipeline(build_tiny_pipeline(Path(tmp) / "tiny-sd15"))
            name, size = "random-sd15-size", args.size or 512
        else:
            model = args.model or build_tiny_pipeline(Path(tmp) / "tiny-sd15")
            base = StableDiffusionPipeline.from_pretrained(
                model, local_files_only=True, safety_checker=None, requires_safety_checker=False
            )
            name, size = Path(model).name, args.size or (64 if args.model is None else 512)

        ours_pipe = copy.deepcopy(base)
        base.to(device)
        base.set_progress_bar_config(disable=True)
        baseline_s = run_baseline(base, device, images, args.steps, size)
        del base
        if device.startswith("cuda"):
            torch.cuda.empty_cache()

        renderer = DiffusionRenderer.from_pipeline(
            ours_pipe, name, device=device, dtype=args.dtype, compile_unet=args.compile, batch_size=args.batch
        )
        ours_s = run_ours(renderer, images, args.steps, size, args.sampler)

    gpu = torch.cuda.get_device_name() if device.startswith("cuda") else device
    print(f"model {name}  device {gpu}  {images} images  {size}x{size}  {args.steps} steps  torch {torch.__version__}")
    print(f"baseline (one at a time, fp32, defaults):      {images / baseline_s:8.3f} images/s  ({baseline_s:.2f} s)")
    print(
        f"ours (batch {args.batch}, {str(renderer.dtype).replace('torch.', '')}"
        f"{', sdpa+channels_last' if device.startswith('cuda') else ''}{', compiled' if args.compile else ''}): "
        f"{images / ours_s:8.3f} images/s  ({ours_s:.2f} s)"
    )
    print(f"ratio ours/baseline: {baseline_s / ours_s:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
