"""A tiny random-weight Stable Diffusion 1.5-style pipeline, built and saved locally.

The diffusion renderer's tests and the CPU benchmark need a real diffusers
model folder, but real weights are gigabytes and must never be downloaded.
This module builds every component from a small config (random weights, a
fixed torch seed so the folder is the same on every run) and saves it with
``save_pretrained``, giving a folder with the same layout as a real
checkpoint: ``model_index.json``, ``unet/``, ``vae/``, ``text_encoder/``,
``tokenizer/`` and ``scheduler/``. Images from it are noise, but shapes,
determinism and batching behave exactly as with a real model.

The tokenizer is a byte-level BPE CLIP tokenizer whose ``vocab.json`` and
``merges.txt`` are written here: every byte (as CLIP's printable byte
alphabet, with and without the ``</w>`` word-end marker), a few hundred
letter-pair merges, and the two special tokens.

Run ``python -m tests.render.tiny_pipeline OUT_DIR`` to write one by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Letters whose pairs become merges (the most frequent English letters): a
# prompt is then split into a few tokens per word rather than one per byte.
_MERGE_LETTERS = "etaoinshrdlucmpg"
BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
HIDDEN = 32


def byte_alphabet() -> list[str]:
    """The 256 printable characters that byte-level BPE uses to stand for the 256 byte values.

    Printable ASCII and Latin-1 bytes stand for themselves; the other bytes
    are shifted to code points from 256 upwards, so that every byte has a
    visible, non-whitespace character (the scheme GPT-2 and CLIP use).
    """
    kept = (
        list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars: dict[int, str] = {b: chr(b) for b in kept}
    shift = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + shift)
            shift += 1
    return [chars[b] for b in range(256)]


def write_tokenizer_files(folder: Path) -> tuple[Path, Path]:
    """Write ``vocab.json`` and ``merges.txt`` for a small byte-level CLIP BPE; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    alphabet = byte_alphabet()
    tokens: list[str] = list(alphabet) + [c + "</w>" for c in alphabet]
    merges: list[str] = []
    for a in _MERGE_LETTERS:
        for b in _MERGE_LETTERS:
            merges.append(f"{a} {b}")
            tokens.append(a + b)
            merges.append(f"{a} {b}</w>")
            tokens.append(a + b + "</w>")
    tokens += [BOS, EOS]
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    vocab_path, merges_path = folder / "vocab.json", folder / "merges.txt"
    vocab_path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    merges_path.write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    return vocab_path, merges_path


def build_tiny_components(work: Path, sample_size: int = 8) -> dict[str, object]:
    """The components of a tiny SD1.5-style pipeline (random weights from a fixed seed)."""
    import torch
    from diffusers import AutoencoderKL, PNDMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    vocab_path, merges_path = write_tokenizer_files(work / "tokenizer_src")
    tokenizer = CLIPTokenizer(vocab=str(vocab_path), merges=str(merges_path), model_max_length=77)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=sample_size,
        in_channels=4,
        out_channels=4,
        block_out_channels=(32, 64),
        layers_per_block=1,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=HIDDEN,
        attention_head_dim=4,
        norm_num_groups=16,
    )
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        block_out_channels=(32, 64),
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=16,
        sample_size=sample_size * 2,
    )
    text_config = CLIPTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=HIDDEN,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        max_position_embeddings=77,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        projection_dim=HIDDEN,
    )
    text_encoder = CLIPTextModel(text_config)
    scheduler = PNDMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        num_train_timesteps=1000,
        skip_prk_steps=True,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    return {
        "unet": unet,
        "vae": vae,
        "text_encoder": text_encoder,
        "tokenizer": tokenizer,
        "scheduler": scheduler,
        "safety_checker": None,
        "feature_extractor": None,
    }


def build_tiny_pipeline(out_dir: Path, sample_size: int = 8) -> Path:
    """Build a tiny SD1.5-style pipeline and save it as a diffusers folder at ``out_dir``; return it."""
    from diffusers import StableDiffusionPipeline

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    components = build_tiny_components(out_dir.parent / f".{out_dir.name}-work", sample_size=sample_size)
    pipe = StableDiffusionPipeline(**components, requires_safety_checker=False)
    pipe.save_pretrained(out_dir, safe_serialization=True)
    return out_dir


if __name__ == "__main__":  # pragma: no cover - manual helper
    print(build_tiny_pipeline(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-sd15")))
