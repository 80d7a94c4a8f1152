"""The diffusion renderer: portraits from a local Stable Diffusion model (SD1.5 or SDXL).

The model is given by path and is never downloaded: either a diffusers folder
(``model_index.json`` plus one subfolder per component) or a single-file
checkpoint (``.safetensors``; pickled ``.ckpt`` files are refused) together with a local diffusers
*config* folder of the same family that supplies the component configs and
the tokenizer. Everything is loaded with ``local_files_only=True``, and the
paths are checked first so that a missing or incomplete model fails with a
:class:`DiffusionModelError` naming the path and what is missing, instead of a
traceback from inside diffusers (or, worse, a silent download attempt).

Reproducibility: each image gets its own seeded ``torch.Generator`` (created
on the CPU, so the initial noise is the same on cuda, mps and cpu), and
requests are only batched with requests whose text embeddings have the same
length, so an image never depends on the other images of its batch: the
same (prompt, negative prompt, seed, emulsion, model) gives the same image
whether rendered alone or among others (up to float rounding on GPUs).

Long prompts: CLIP sees 77 tokens (75 plus BOS/EOS). For SD1.5 a longer
prompt is split into 75-token windows, each encoded with its own BOS/EOS,
and the embeddings are concatenated along the sequence axis (the negative
prompt is padded with empty windows to the same length), so nothing is
dropped. For SDXL, whose pooled embedding comes from a single window, the
prompt is truncated to 77 tokens by the pipeline's own tokenizer (the tags
writer keeps tags within that window; style words come last and are the
ones cut).

torch and diffusers are imported lazily, inside functions, so the rest of
the project imports and runs without them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..emulsions import SAMPLERS, Emulsion
from ..errors import IconoplasmError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import torch
    from PIL import Image

CLIP_WINDOW = 77
"""Tokens one CLIP text-encoder pass sees, BOS and EOS included."""

SD15 = "sd15"
SDXL = "sdxl"
_PIPELINE_CLASSES = {
    "StableDiffusionPipeline": SD15,
    "StableDiffusionXLPipeline": SDXL,
}
_PIPELINE_FOR_FAMILY = {SD15: "StableDiffusionPipeline", SDXL: "StableDiffusionXLPipeline"}
_SINGLE_FILE_SUFFIXES = (".safetensors",)  # not pickled .ckpt files: loading those can run code
# Components that the renderer never loads (the NSFW checker and its image
# processor, IP-adapter image encoder): their absence is not an error.
_OPTIONAL_COMPONENTS = {"safety_checker", "feature_extractor", "image_encoder"}
_WEIGHT_PATTERNS = ("*.safetensors", "*.bin", "*.safetensors.index.json", "*.bin.index.json")


class DiffusionModelError(IconoplasmError):
    """A local diffusion model that cannot be used; the message names the path and the problem."""


class ModelNotFoundError(DiffusionModelError, FileNotFoundError):
    """The model path (or its config folder) does not exist."""


class IncompleteModelError(DiffusionModelError):
    """The model exists but lacks something needed to load it (model_index.json, a component, a config)."""


class UnsupportedModelError(DiffusionModelError):
    """A model of a family the renderer does not handle (only SD1.5 and SDXL pipelines)."""


class UnknownSamplerError(ValueError):
    """A sampler name that has no diffusers scheduler mapping."""

    def __str__(self) -> str:
        return f"unknown sampler {self.args[0]!r}; known samplers: {', '.join(SAMPLER_SCHEDULERS)}"


# Sampler name -> (diffusers scheduler class name, config overrides). Names
# follow the usual web-UI vocabulary that emulsions use.
SAMPLER_SCHEDULERS: dict[str, tuple[str, dict[str, Any]]] = {
    "euler": ("EulerDiscreteScheduler", {}),
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),
    "dpmpp_2m": (
        "DPMSolverMultistepScheduler",
        {"algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": False},
    ),
    "dpmpp_2m_karras": (
        "DPMSolverMultistepScheduler",
        {"algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": True},
    ),
    "ddim": ("DDIMScheduler", {}),
    "pndm": ("PNDMScheduler", {"skip_prk_steps": True}),
    "lms": ("LMSDiscreteScheduler", {}),
    "heun": ("HeunDiscreteScheduler", {}),
    "unipc": ("UniPCMultistepScheduler", {}),
}
assert set(SAMPLER_SCHEDULERS) == set(SAMPLERS), "every emulsion sampler needs a scheduler"


def make_scheduler(sampler: str, base_config: Any) -> Any:
    """A fresh diffusers scheduler for ``sampler``, built from the model's own scheduler config.

    Building from the model's config keeps its noise schedule (betas,
    prediction type, timestep spacing); only the sampling algorithm changes.
    A fresh instance per call, because schedulers keep per-run state.
    """
    try:
        class_name, overrides = SAMPLER_SCHEDULERS[sampler]
    except KeyError:
        raise UnknownSamplerError(sampler) from None
    import diffusers

    scheduler_class = getattr(diffusers, class_name)
    return scheduler_class.from_config(base_config, **overrides)


# --------------------------------------------------------------------------- device


def pick_device(device: str | None = None) -> str:
    """``device`` if given, else the best available: cuda, then mps, then cpu."""
    if device:
        return device
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def pick_dtype(device: str, dtype: str | torch.dtype | None = None) -> torch.dtype:
    """``dtype`` if given (a torch dtype or a name such as ``"bf16"``), else the fast safe one for ``device``.

    cuda: bfloat16 where the GPU supports it (no fp16 overflow in the VAE),
    else float16; mps: float16; cpu: float32 (half precision is slow there).
    """
    import torch

    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype:
        names = {
            "fp32": torch.float32,
            "float32": torch.float32,
            "fp16": torch.float16,
            "float16": torch.float16,
            "half": torch.float16,
            "bf16": torch.bfloat16,
            "bfloat16": torch.bfloat16,
        }
        try:
            return names[str(dtype).lower()]
        except KeyError:
            raise ValueError(f"unknown dtype {dtype!r}; use one of {', '.join(names)}") from None
    kind = device.split(":")[0]
    if kind == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if kind == "mps":
        return torch.float16
    return torch.float32


# --------------------------------------------------------------------------- model checks


@dataclass(frozen=True)
class ModelSource:
    """A checked local model: where it is, which family, and the config folder for a single file."""

    path: Path
    family: str
    config: Path | None = None

    @property
    def single_file(self) -> bool:
        return self.path.is_file()

    @property
    def name(self) -> str:
        """A short name for manifests: the folder name, or the checkpoint's file stem."""
        return self.path.stem if self.single_file else self.path.name


def _family_of(folder: Path) -> str:
    """The model family named by ``folder/model_index.json``; errors name the file and the problem."""
    index_path = folder / "model_index.json"
    if not index_path.is_file():
        raise IncompleteModelError(f"{folder}: not a diffusers model folder (no model_index.json)")
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IncompleteModelError(f"{index_path}: unreadable ({exc})") from None
    class_name = index.get("_class_name", "") if isinstance(index, dict) else ""
    if class_name not in _PIPELINE_CLASSES:
        raise UnsupportedModelError(
            f"{index_path}: pipeline {class_name or '(none)'!r} is not supported (only {', '.join(_PIPELINE_CLASSES)})"
        )
    return _PIPELINE_CLASSES[class_name]


def _missing_components(folder: Path, need_weights: bool) -> list[str]:
    """Components that ``model_index.json`` lists but ``folder`` lacks (or whose config/weights are missing)."""
    index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
    missing: list[str] = []
    for name, spec in index.items():
        if name.startswith("_") or name in _OPTIONAL_COMPONENTS:
            continue
        if not (isinstance(spec, list) and len(spec) == 2 and spec[0] and spec[1]):
            continue  # [null, null]: a component deliberately left out
        sub = folder / name
        if not sub.is_dir():
            missing.append(f"{name}/ (folder)")
            continue
        class_name = str(spec[1])
        if name.startswith("tokenizer"):
            if not ((sub / "tokenizer.json").is_file() or (sub / "vocab.json").is_file()):
                missing.append(f"{name}/ (tokenizer.json or vocab.json)")
        elif name == "scheduler" or class_name.endswith("Scheduler"):
            if not (sub / "scheduler_config.json").is_file():
                missing.append(f"{name}/scheduler_config.json")
        else:
            if not (sub / "config.json").is_file():
                missing.append(f"{name}/config.json")
            if need_weights and not any(any(sub.glob(p)) for p in _WEIGHT_PATTERNS):
                missing.append(f"{name}/ (weights: *.safetensors or *.bin)")
    return missing


def check_model(path: str | Path, config: str | Path | None = None) -> ModelSource:
    """Check that ``path`` (and ``config`` for a single file) is a loadable local model; say what is missing if not.

    A folder needs ``model_index.json`` naming an SD1.5 or SDXL pipeline and
    every component it lists (config and weights). A single file needs a
    config folder (a diffusers folder of the same family; its weights are not
    needed) — without one diffusers would try to fetch configs from the Hub.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise ModelNotFoundError(f"{path}: model not found (give a diffusers folder or a .safetensors checkpoint)")
    if path.is_dir():
        family = _family_of(path)
        missing = _missing_components(path, need_weights=True)
        if missing:
            raise IncompleteModelError(f"{path}: incomplete diffusers model folder, missing {', '.join(missing)}")
        return ModelSource(path=path, family=family)
    if path.suffix.lower() not in _SINGLE_FILE_SUFFIXES:
        raise UnsupportedModelError(
            f"{path}: not a model folder or a single-file checkpoint ({', '.join(_SINGLE_FILE_SUFFIXES)})"
        )
    if config is None:
        raise IncompleteModelError(
            f"{path}: a single-file checkpoint needs a local config folder (a diffusers folder of the same "
            "family, e.g. one with model_index.json, unet/config.json, tokenizer/ ...); pass config=FOLDER"
        )
    config = Path(config).expanduser()
    if not config.is_dir():
        raise ModelNotFoundError(f"{config}: config folder for {path} not found")
    family = _family_of(config)
    missing = _missing_components(config, need_weights=False)
    if missing:
        raise IncompleteModelError(f"{config}: incomplete config folder for {path}, missing {', '.join(missing)}")
    return ModelSource(path=path, family=family, config=config)


def load_pipeline(source: ModelSource, dtype: torch.dtype) -> Any:
    """Load the checked model with diffusers, offline, without the safety checker.

    The NSFW safety checker is not loaded: the model is the user's own local
    choice, and the checker would replace portraits with black squares.
    Loader errors (a corrupt file, a config/weights mismatch) become an
    :class:`IncompleteModelError` naming the path.
    """
    import diffusers

    pipeline_class = getattr(diffusers, _PIPELINE_FOR_FAMILY[source.family])
    kwargs: dict[str, Any] = {"dtype": dtype, "local_files_only": True}
    if source.family == SD15:
        kwargs.update(safety_checker=None, requires_safety_checker=False)
    try:
        if source.single_file:
            return pipeline_class.from_single_file(str(source.path), config=str(source.config), **kwargs)
        return pipeline_class.from_pretrained(str(source.path), **kwargs)
    except Exception as exc:  # noqa: BLE001 - any loader failure is reported as this model's problem
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise IncompleteModelError(
            f"{source.path}: could not load the model ({type(exc).__name__}: {first_line})"
        ) from None


# --------------------------------------------------------------------------- prompts


def chunked_token_windows(tokenizer: Any, text: str, min_chunks: int = 1) -> list[list[int]]:
    """The prompt's token ids split into CLIP windows of 77: BOS + up to 75 tokens + EOS, padded.

    At least ``min_chunks`` windows; extra windows are empty prompts (BOS, EOS,
    padding), which is what a negative prompt is padded with to match a long
    positive prompt.
    """
    body = CLIP_WINDOW - 2
    ids: list[int] = tokenizer(text, add_special_tokens=False, truncation=False, verbose=False).input_ids
    pieces = [ids[i : i + body] for i in range(0, len(ids), body)] or [[]]
    while len(pieces) < min_chunks:
        pieces.append([])
    bos, eos = tokenizer.bos_token_id, tokenizer.eos_token_id
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
    windows = []
    for piece in pieces:
        window = [bos, *piece, eos]
        windows.append(window + [pad] * (CLIP_WINDOW - len(window)))
    return windows


def chunk_count(tokenizer: Any, text: str) -> int:
    """How many 77-token windows ``text`` needs (at least 1)."""
    n = len(tokenizer(text, add_special_tokens=False, truncation=False, verbose=False).input_ids)
    return max(1, -(-n // (CLIP_WINDOW - 2)))


def encode_long_prompt(
    tokenizer: Any, text_encoder: Any, text: str, chunks: int, device: Any, dtype: Any
) -> torch.Tensor:
    """SD1.5 text embeddings of ``text`` in ``chunks`` windows, concatenated: shape (1, 77*chunks, hidden).

    Each window is encoded separately (so every token sits within CLIP's 77
    positions) and the last hidden states are joined along the sequence
    axis; the UNet's cross-attention accepts any sequence length.
    """
    import torch

    windows = chunked_token_windows(tokenizer, text, min_chunks=chunks)
    if len(windows) != chunks:
        raise ValueError(f"prompt needs {len(windows)} windows, more than the {chunks} requested")
    ids = torch.tensor(windows, dtype=torch.long, device=device)
    with torch.no_grad():
        hidden = text_encoder(ids)[0]  # (chunks, 77, hidden)
    return hidden.reshape(1, chunks * CLIP_WINDOW, hidden.shape[-1]).to(dtype)


# --------------------------------------------------------------------------- renderer


class DiffusionRenderer:
    """Portraits from a local SD1.5/SDXL model: batched, one seeded generator per image.

    ``model_path``: a diffusers folder or a single-file checkpoint; ``config``:
    the config folder a single file needs. ``device``/``dtype`` default to the
    best available (see :func:`pick_device`, :func:`pick_dtype`).
    ``compile_unet`` wraps the UNet in ``torch.compile`` on cuda (slow first
    batch, faster after). ``batch_size`` caps how many images go through the
    UNet together.
    """

    def __init__(
        self,
        model_path: str | Path,
        config: str | Path | None = None,
        device: str | None = None,
        dtype: str | torch.dtype | None = None,
        compile_unet: bool = False,
        batch_size: int = 8,
    ) -> None:
        self.source = check_model(model_path, config)
        self.device = pick_device(device)
        self.dtype = pick_dtype(self.device, dtype)
        self._setup(load_pipeline(self.source, self.dtype), compile_unet, batch_size)

    @classmethod
    def from_pipeline(
        cls,
        pipe: Any,
        name: str,
        device: str | None = None,
        dtype: str | torch.dtype | None = None,
        compile_unet: bool = False,
        batch_size: int = 8,
    ) -> DiffusionRenderer:
        """Wrap an already-built SD1.5/SDXL diffusers pipeline (benchmarks, tests); ``name`` is its model name."""
        family = _PIPELINE_CLASSES.get(type(pipe).__name__)
        if family is None:
            raise UnsupportedModelError(f"{name}: pipeline {type(pipe).__name__!r} is not supported")
        self = cls.__new__(cls)
        self.source = ModelSource(path=Path(name), family=family)
        self.device = pick_device(device)
        self.dtype = pick_dtype(self.device, dtype)
        self._setup(pipe.to(dtype=self.dtype), compile_unet, batch_size)
        return self

    def _setup(self, pipe: Any, compile_unet: bool, batch_size: int) -> None:
        """Move the pipeline to the device and apply the per-device speed-ups."""
        self.batch_size = max(1, int(batch_size))
        self.compile_unet = compile_unet
        self.pipe = pipe
        self.pipe.to(self.device)
        self.pipe.set_progress_bar_config(disable=True)
        self._base_scheduler_config = self.pipe.scheduler.config
        if self.device.split(":")[0] == "cuda":
            self._speed_up_for_cuda()

    @property
    def model_name(self) -> str:
        """The model's name for the manifest (folder name or checkpoint stem)."""
        return self.source.name

    @property
    def family(self) -> str:
        """``"sd15"`` or ``"sdxl"``."""
        return self.source.family

    def _speed_up_for_cuda(self) -> None:
        """SDPA attention, channels-last UNet/VAE, and optionally a compiled UNet."""
        import torch
        from diffusers.models.attention_processor import AttnProcessor2_0

        self.pipe.unet.set_attn_processor(AttnProcessor2_0())
        self.pipe.vae.set_attn_processor(AttnProcessor2_0())
        self.pipe.unet.to(memory_format=torch.channels_last)
        self.pipe.vae.to(memory_format=torch.channels_last)
        if self.compile_unet:
            self.pipe.unet = torch.compile(self.pipe.unet, fullgraph=False, dynamic=False)

    def scheduler_for(self, sampler: str) -> Any:
        """A fresh scheduler for the sampler name, on this model's noise schedule."""
        return make_scheduler(sampler, self._base_scheduler_config)

    def generators(self, seeds: Sequence[int]) -> list[torch.Generator]:
        """One CPU generator per image, seeded: the starting noise is the same on every device."""
        import torch

        return [torch.Generator("cpu").manual_seed(int(seed)) for seed in seeds]

    def _chunks_for(self, prompt: str, negative: str) -> int:
        if self.family != SD15:
            return 1
        return max(chunk_count(self.pipe.tokenizer, prompt), chunk_count(self.pipe.tokenizer, negative))

    def encode(
        self, prompts: Sequence[str], negatives: Sequence[str], chunks: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """SD1.5 positive and negative embeddings for a group of prompts that all use ``chunks`` windows."""
        import torch

        encoder, tokenizer = self.pipe.text_encoder, self.pipe.tokenizer
        dtype = encoder.dtype
        positive = [encode_long_prompt(tokenizer, encoder, p, chunks, self.device, dtype) for p in prompts]
        negative = [encode_long_prompt(tokenizer, encoder, n, chunks, self.device, dtype) for n in negatives]
        return torch.cat(positive), torch.cat(negative)

    def render(
        self,
        prompts: list[str],
        negative_prompts: list[str],
        seeds: list[int],
        emulsion: Emulsion,
        width: int | None = None,
        height: int | None = None,
    ) -> list[Image.Image]:
        """One image per (prompt, negative prompt, seed), with the emulsion's sampler, steps, guidance and size.

        The prompts are given to the model verbatim: composing them (tags, then the
        emulsion's style words) is :func:`pipeline.render.portrait.prompt_for`'s job, so
        the prompt recorded with a portrait is the text the model saw. ``width``/``height``
        override the emulsion's size (multiples of 8). Images come back in request order.
        """
        if not (len(prompts) == len(negative_prompts) == len(seeds)):
            raise ValueError(
                f"prompts, negative_prompts and seeds must have the same length "
                f"(got {len(prompts)}, {len(negative_prompts)}, {len(seeds)})"
            )
        width = int(width or emulsion.width)
        height = int(height or emulsion.height)
        if width % 8 or height % 8 or width <= 0 or height <= 0:
            raise ValueError(f"image size must be positive multiples of 8, got {width}x{height}")
        scheduler = self.scheduler_for(emulsion.sampler)  # unknown sampler fails before any work

        # Group requests by embedding length so no request is padded because
        # of a neighbour (padding would change its cross-attention).
        groups: dict[int, list[int]] = {}
        for i, (p, n) in enumerate(zip(prompts, negative_prompts, strict=True)):
            groups.setdefault(self._chunks_for(p, n), []).append(i)

        images: list[Image.Image | None] = [None] * len(prompts)
        self.pipe.scheduler = scheduler
        for chunks, indices in sorted(groups.items()):
            for start in range(0, len(indices), self.batch_size):
                batch = indices[start : start + self.batch_size]
                out = self._generate(
                    [prompts[i] for i in batch],
                    [negative_prompts[i] for i in batch],
                    [seeds[i] for i in batch],
                    chunks,
                    emulsion,
                    width,
                    height,
                )
                for i, image in zip(batch, out, strict=True):
                    images[i] = image
        return [image for image in images if image is not None]

    def _generate(
        self,
        prompts: list[str],
        negatives: list[str],
        seeds: list[int],
        chunks: int,
        emulsion: Emulsion,
        width: int,
        height: int,
        output_type: str = "pil",
    ) -> list[Any]:
        """One pipeline call for one batch (all with the same embedding length)."""
        import torch

        call: dict[str, Any] = {
            "num_inference_steps": int(emulsion.steps),
            "guidance_scale": float(emulsion.guidance),
            "width": width,
            "height": height,
            "generator": self.generators(seeds),
            "output_type": output_type,
        }
        with torch.inference_mode():
            if self.family == SD15:
                positive, negative = self.encode(prompts, negatives, chunks)
                call.update(prompt_embeds=positive, negative_prompt_embeds=negative)
            else:
                call.update(prompt=prompts, negative_prompt=negatives)
            return list(self.pipe(**call).images)
