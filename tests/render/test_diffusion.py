"""The diffusion renderer on a tiny random-weight SD1.5-style model, on the CPU (seconds in all).

The model is built locally by ``tests/render/tiny_pipeline.py`` (nothing is
downloaded). Its images are noise, but sizes, determinism, batch
independence, prompt chunking, scheduler choice and error handling behave as
with a real model. Skipped when diffusers (the ``diffusion`` extra) is not
installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.emulsions import SAMPLERS, Emulsion
from pipeline.paths import REPO_ROOT
from pipeline.render.diffusion import (
    CLIP_WINDOW,
    SAMPLER_SCHEDULERS,
    DiffusionModelError,
    DiffusionRenderer,
    IncompleteModelError,
    ModelNotFoundError,
    UnknownSamplerError,
    UnsupportedModelError,
    check_model,
    chunked_token_windows,
    make_scheduler,
    pick_dtype,
)

from .tiny_pipeline import build_tiny_pipeline

SIZE = 32  # pixels; the tiny VAE scales latents by 2, so latents are 16x16
LONG_TAGS = ", ".join(f"knight {i} with engraved plate armour and a tall spear" for i in range(30))


def emulsion(sampler: str = "euler_a", steps: int = 3, **overrides) -> Emulsion:
    fields = dict(
        emulsion_id="E0001",
        name="test",
        style_words="oil painting, dramatic light",
        negative_words="blurry, lowres",
        sampler=sampler,
        steps=steps,
        guidance=6.5,
        width=768,
        height=1024,
        line_weight=1.0,
        palette="natural",
        texture="none",
    )
    fields.update(overrides)
    return Emulsion(**fields)


def pixels(image) -> np.ndarray:
    return np.asarray(image).astype(np.int16)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd15")


@pytest.fixture(scope="module")
def renderer(tiny_model: Path) -> DiffusionRenderer:
    return DiffusionRenderer(tiny_model, device="cpu")


# --------------------------------------------------------------------------- end to end


def test_render_gives_requested_size_and_model_name(renderer: DiffusionRenderer) -> None:
    images = renderer.render(["a knight", "a mage"], ["", ""], [1, 2], emulsion(), width=SIZE, height=SIZE + 16)
    assert [im.size for im in images] == [(SIZE, SIZE + 16)] * 2
    assert all(im.mode == "RGB" for im in images)
    assert renderer.model_name == "tiny-sd15"
    assert renderer.family == "sd15"
    assert renderer.device == "cpu"


def test_emulsion_size_is_the_default(renderer: DiffusionRenderer) -> None:
    (image,) = renderer.render(["a knight"], [""], [1], emulsion(width=40, height=24, steps=2))
    assert image.size == (40, 24)


def test_same_seed_same_image_other_seed_other_image(renderer: DiffusionRenderer) -> None:
    first = renderer.render(["a knight"], [""], [7], emulsion(), width=SIZE, height=SIZE)[0]
    again = renderer.render(["a knight"], [""], [7], emulsion(), width=SIZE, height=SIZE)[0]
    other = renderer.render(["a knight"], [""], [8], emulsion(), width=SIZE, height=SIZE)[0]
    assert np.array_equal(pixels(first), pixels(again))
    assert not np.array_equal(pixels(first), pixels(other))
    assert pixels(first).std() > 1  # not a blank image


@pytest.mark.parametrize("sampler", ["euler_a", "dpmpp_2m_karras"])
def test_image_does_not_depend_on_batch_neighbours(renderer: DiffusionRenderer, sampler: str) -> None:
    prompts = ["a knight", "a mage in a tall hat", LONG_TAGS, "a rogue"]
    negatives = ["", "ugly", "", "bad hands"]
    seeds = [11, 12, 13, 14]
    batch = renderer.render(prompts, negatives, seeds, emulsion(sampler), width=SIZE, height=SIZE)
    for k in range(len(prompts)):
        alone = renderer.render([prompts[k]], [negatives[k]], [seeds[k]], emulsion(sampler), width=SIZE, height=SIZE)[0]
        assert np.allclose(pixels(batch[k]), pixels(alone), atol=1), f"image {k} changed with its batch"


def test_batches_larger_than_batch_size_keep_request_order(tiny_model: Path) -> None:
    small = DiffusionRenderer(tiny_model, device="cpu", batch_size=2)
    seeds = [3, 4, 5, 6, 7]
    batch = small.render(["a knight"] * 5, [""] * 5, seeds, emulsion(steps=2), width=SIZE, height=SIZE)
    alone = small.render(["a knight"], [""], [6], emulsion(steps=2), width=SIZE, height=SIZE)[0]
    assert len(batch) == 5
    assert np.allclose(pixels(batch[3]), pixels(alone), atol=1)


# --------------------------------------------------------------------------- prompts


def test_prompts_reach_the_text_encoder_verbatim(renderer: DiffusionRenderer, encoded_texts: list[str]) -> None:
    renderer.render(["a knight, oil painting"], ["blurry"], [1], emulsion(steps=2), width=SIZE, height=SIZE)
    assert encoded_texts == ["a knight, oil painting", "blurry"]  # the emulsion's own words are not added again


def test_long_prompt_is_chunked_not_cut(renderer: DiffusionRenderer) -> None:
    tokenizer = renderer.pipe.tokenizer
    n_tokens = len(tokenizer(LONG_TAGS, add_special_tokens=False, verbose=False).input_ids)
    assert n_tokens > 3 * (CLIP_WINDOW - 2)
    windows = chunked_token_windows(tokenizer, LONG_TAGS)
    assert all(len(w) == CLIP_WINDOW and w[0] == tokenizer.bos_token_id for w in windows)
    # every prompt token is kept, in order (BOS, EOS and padding removed)
    kept = [t for w in windows for t in w[1:] if t != tokenizer.eos_token_id]
    assert kept == tokenizer(LONG_TAGS, add_special_tokens=False, verbose=False).input_ids

    chunks = renderer._chunks_for(LONG_TAGS, "")
    positive, negative = renderer.encode([LONG_TAGS], [""], chunks)
    assert positive.shape[1] % CLIP_WINDOW == 0 and positive.shape[1] > CLIP_WINDOW
    assert positive.shape == negative.shape  # the negative prompt is padded to the same windows

    # words beyond the first 77-token window still change the conditioning and the image
    changed_tail = LONG_TAGS + ", a dragon"
    other, _ = renderer.encode([changed_tail], [""], renderer._chunks_for(changed_tail, ""))
    assert other.shape == positive.shape
    assert not np.allclose(other[:, CLIP_WINDOW:].numpy(), positive[:, CLIP_WINDOW:].numpy())
    a = renderer.render([LONG_TAGS], [""], [5], emulsion(), width=SIZE, height=SIZE)[0]
    b = renderer.render([changed_tail], [""], [5], emulsion(), width=SIZE, height=SIZE)[0]
    assert not np.array_equal(pixels(a), pixels(b))


def test_long_negative_prompt_pads_the_positive(renderer: DiffusionRenderer) -> None:
    chunks = renderer._chunks_for("a knight", LONG_TAGS)
    positive, negative = renderer.encode(["a knight"], [LONG_TAGS], chunks)
    assert chunks > 1 and positive.shape == negative.shape == (1, chunks * CLIP_WINDOW, positive.shape[-1])


# --------------------------------------------------------------------------- samplers


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_every_emulsion_sampler_maps_to_a_scheduler(renderer: DiffusionRenderer, sampler: str) -> None:
    scheduler = renderer.scheduler_for(sampler)
    assert type(scheduler).__name__ == SAMPLER_SCHEDULERS[sampler][0]
    # the model's noise schedule is kept
    assert scheduler.config.beta_schedule == renderer.pipe.scheduler.config.beta_schedule


def test_sampler_options() -> None:
    from diffusers import PNDMScheduler

    base = PNDMScheduler(beta_schedule="scaled_linear").config
    karras = make_scheduler("dpmpp_2m_karras", base)
    plain = make_scheduler("dpmpp_2m", base)
    assert karras.config.use_karras_sigmas is True and plain.config.use_karras_sigmas is False
    assert karras.config.algorithm_type == "dpmsolver++" and karras.config.solver_order == 2
    assert type(make_scheduler("euler", base)).__name__ == "EulerDiscreteScheduler"
    assert type(make_scheduler("euler_a", base)).__name__ == "EulerAncestralDiscreteScheduler"


def test_every_sampler_renders(renderer: DiffusionRenderer) -> None:
    for sampler in SAMPLERS:
        (image,) = renderer.render(["a knight"], [""], [1], emulsion(sampler, steps=2), width=16, height=16)
        assert image.size == (16, 16)


def test_unknown_sampler_is_a_clear_error(renderer: DiffusionRenderer) -> None:
    with pytest.raises(UnknownSamplerError, match=r"unknown sampler 'k_dpm_9'.*euler_a"):
        make_scheduler("k_dpm_9", renderer.pipe.scheduler.config)
    with pytest.raises(UnknownSamplerError):
        renderer.render(["a knight"], [""], [1], emulsion("k_dpm_9"), width=SIZE, height=SIZE)


def test_bad_requests(renderer: DiffusionRenderer) -> None:
    with pytest.raises(ValueError, match="same length"):
        renderer.render(["a", "b"], [""], [1, 2], emulsion())
    with pytest.raises(ValueError, match="multiples of 8"):
        renderer.render(["a"], [""], [1], emulsion(), width=30, height=32)


# --------------------------------------------------------------------------- loading errors


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelNotFoundError, match=r"no-such-model.*not found"):
        DiffusionRenderer(missing)


def test_folder_without_model_index(tmp_path: Path) -> None:
    (tmp_path / "unet").mkdir()
    with pytest.raises(IncompleteModelError, match=r"no model_index\.json"):
        DiffusionRenderer(tmp_path)


def test_folder_missing_a_component(tiny_model: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(tiny_model, tmp_path / "broken")
    shutil.rmtree(broken / "unet")
    with pytest.raises(IncompleteModelError, match=r"broken.*missing unet/"):
        DiffusionRenderer(broken)


def test_folder_missing_weights_or_config(tiny_model: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(tiny_model, tmp_path / "broken")
    (broken / "vae" / "diffusion_pytorch_model.safetensors").unlink()
    (broken / "scheduler" / "scheduler_config.json").unlink()
    with pytest.raises(IncompleteModelError, match=r"scheduler/scheduler_config\.json, vae/ \(weights"):
        check_model(broken)


def test_corrupt_weights_are_a_clear_error(tiny_model: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(tiny_model, tmp_path / "broken")
    (broken / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(IncompleteModelError, match=r"broken: could not load the model"):
        DiffusionRenderer(broken)


def test_unsupported_pipeline(tmp_path: Path) -> None:
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "FluxPipeline"}))
    with pytest.raises(UnsupportedModelError, match="FluxPipeline"):
        check_model(tmp_path)


def test_sdxl_family_is_detected(tmp_path: Path) -> None:
    index = {"_class_name": "StableDiffusionXLPipeline"}
    for name, (library, cls) in {
        "unet": ("diffusers", "UNet2DConditionModel"),
        "vae": ("diffusers", "AutoencoderKL"),
        "text_encoder": ("transformers", "CLIPTextModel"),
        "text_encoder_2": ("transformers", "CLIPTextModelWithProjection"),
        "tokenizer": ("transformers", "CLIPTokenizer"),
        "tokenizer_2": ("transformers", "CLIPTokenizer"),
        "scheduler": ("diffusers", "EulerDiscreteScheduler"),
    }.items():
        index[name] = [library, cls]
        (tmp_path / name).mkdir()
        if name.startswith("tokenizer"):
            (tmp_path / name / "vocab.json").write_text("{}")
        elif name == "scheduler":
            (tmp_path / name / "scheduler_config.json").write_text("{}")
        else:
            (tmp_path / name / "config.json").write_text("{}")
            (tmp_path / name / "model.safetensors").write_bytes(b"")
    (tmp_path / "model_index.json").write_text(json.dumps(index))
    assert check_model(tmp_path).family == "sdxl"
    (tmp_path / "text_encoder_2" / "model.safetensors").unlink()
    with pytest.raises(IncompleteModelError, match=r"text_encoder_2/ \(weights"):
        check_model(tmp_path)


def test_single_file_needs_a_config_folder(tiny_model: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "portrait-model.safetensors"
    shutil.copy(tiny_model / "unet" / "diffusion_pytorch_model.safetensors", checkpoint)
    with pytest.raises(IncompleteModelError, match=r"portrait-model\.safetensors.*needs a local config folder"):
        DiffusionRenderer(checkpoint)
    with pytest.raises(ModelNotFoundError, match=r"nowhere.*config folder.*not found"):
        DiffusionRenderer(checkpoint, config=tmp_path / "nowhere")
    with pytest.raises(IncompleteModelError, match=r"no model_index\.json"):
        DiffusionRenderer(checkpoint, config=tmp_path)
    # a config folder of the right family is accepted without weights
    config = shutil.copytree(tiny_model, tmp_path / "config")
    for weights in config.rglob("*.safetensors"):
        weights.unlink()
    source = check_model(checkpoint, config)
    assert source.single_file and source.family == "sd15" and source.name == "portrait-model"
    # a file that is not an SD checkpoint fails with the path named, not a diffusers traceback
    with pytest.raises(DiffusionModelError, match=r"portrait-model\.safetensors"):
        DiffusionRenderer(checkpoint, config=config)


def test_other_files_are_rejected(tmp_path: Path) -> None:
    other = tmp_path / "model.txt"
    other.write_text("hello")
    with pytest.raises(UnsupportedModelError, match=r"model\.txt"):
        check_model(other)


# --------------------------------------------------------------------------- device, dtype, imports


def test_dtype_choice() -> None:
    import torch

    assert pick_dtype("cpu") == torch.float32
    assert pick_dtype("mps") == torch.float16
    assert pick_dtype("cpu", "bf16") == torch.bfloat16
    assert pick_dtype("cuda", torch.float16) == torch.float16
    with pytest.raises(ValueError, match="unknown dtype"):
        pick_dtype("cpu", "fp8")


def test_module_imports_without_torch() -> None:
    code = "import sys, pipeline.render.diffusion; assert 'torch' not in sys.modules and 'diffusers' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)
