"""Benchmark: can the traits be read off small procedural portraits, and do genes look apart?

For a sample of real genes drawn evenly across the trait space (sex x weight tertile x age
tertile x has-a-feature, tertiles of the whole traits table), in one run:

* **readability**: each portrait is shrunk to a 48x64 colour thumbnail and a ridge
  classifier on its pixels (one-vs-rest least squares, the ridge chosen inside each training
  fold by generalised cross-validation) is scored by k-fold cross-validation on four labels:
  sex, weight tertile, age tertile and "has a fantastic feature". Target: >= 0.95 each. The
  baseline is the same classifier on shuffled labels (chance: 0.5 or 0.33 on this balanced
  sample).
* **distinctness**: the share of gene pairs whose thumbnails are near-duplicates by a 64-bit
  perceptual hash (DCT pHash and difference hash, Hamming distance <= 4), on the sample above
  and on as many genes drawn uniformly at random (where big families such as the olfactory
  receptors crowd in, as they do on a real page). Target: < 1 %. The closest pairs are
  printed so a regression names its genes.

``--contact-sheet PATH`` also writes a grid of 40 of the sampled genes with their symbols.

    python bench/portrait_readability.py [--genes 504] [--emulsion E0001] [--data DIR]
        [--size 768x1024] [--folds 5] [--contact-sheet docs/contact_sheet.webp]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

THUMB = (48, 64)
TARGET_ACCURACY = 0.95
NEAR_DUPLICATE_BITS = 4
TARGET_NEAR_DUPLICATES = 0.01
LABELS = ("sex", "weight tertile", "age tertile", "has feature")


def trait_labels(traits: pd.DataFrame) -> pd.DataFrame:
    """The four labels per gene; tertiles are cut on the whole table, not on the sample."""
    has_feature = traits["feature"].fillna("").astype(str).str.strip() != ""
    return pd.DataFrame(
        {
            "sex": (traits["sex"].astype(str).str.lower() == "male").astype(int),
            "weight tertile": pd.qcut(traits["weight_kg"].astype(float), 3, labels=False),
            "age tertile": pd.qcut(traits["age"].astype(float), 3, labels=False, duplicates="drop"),
            "has feature": has_feature.astype(int),
        },
        index=traits.index,
    )


def stratified_sample(traits: pd.DataFrame, labels: pd.DataFrame, genes: int, seed: int) -> pd.Index:
    """About ``genes`` rows, the same number from every cell of the label grid (fewer where a cell is small)."""
    cells = labels.groupby(list(LABELS)).groups
    per_cell = max(1, genes // len(cells))
    rng = np.random.default_rng(seed)
    picked = [rng.choice(np.asarray(idx), size=min(per_cell, len(idx)), replace=False) for idx in cells.values()]
    return pd.Index(np.sort(np.concatenate(picked)))


def thumbnail(png: bytes) -> Image.Image:
    """The portrait shrunk to the benchmark's thumbnail (box filter: every pixel counts)."""
    return Image.open(io.BytesIO(png)).convert("RGB").resize(THUMB, Image.Resampling.BOX)


def _ridge_fit(x: np.ndarray, y: np.ndarray, lambdas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dual ridge weights for one-hot targets y, the ridge picked by generalised cross-validation.

    With n samples << pixels the dual form (an n x n eigendecomposition) is exact and cheap;
    GCV scores every ridge from the same decomposition, so no inner folds are needed.
    """
    mean = x.mean(axis=0)
    xc = x - mean
    evals, evecs = np.linalg.eigh(xc @ xc.T)
    evals = np.clip(evals, 0.0, None)
    yc = y - y.mean(axis=0)
    proj = evecs.T @ yc

    def gcv(lam: float) -> float:
        shrink = evals / (evals + lam)
        fitted = evecs @ (shrink[:, None] * proj)
        return float(((yc - fitted) ** 2).sum() / (1 - shrink.sum() / len(x)) ** 2)

    lam = min(lambdas, key=gcv)
    alpha = evecs @ (proj / (evals + lam)[:, None])
    return xc.T @ alpha, mean


def cross_validated_accuracy(x: np.ndarray, labels: np.ndarray, folds: int, seed: int) -> float:
    """k-fold accuracy of the ridge classifier (argmax of the one-vs-rest scores)."""
    classes = np.unique(labels)
    onehot = (labels[:, None] == classes[None, :]).astype(np.float64)
    order = np.random.default_rng(seed).permutation(len(x))
    scale = float(np.trace(x @ x.T)) / len(x)
    lambdas = scale * np.logspace(-4, 1, 11)
    correct = 0
    for fold in np.array_split(order, folds):
        train = np.setdiff1d(order, fold)
        weights, mean = _ridge_fit(x[train], onehot[train], lambdas)
        scores = (x[fold] - mean) @ weights + onehot[train].mean(axis=0)
        correct += int((classes[scores.argmax(axis=1)] == labels[fold]).sum())
    return correct / len(x)


_DCT32 = np.cos(np.pi * (2 * np.arange(32)[None, :] + 1) * np.arange(32)[:, None] / 64)


def phash(image: Image.Image) -> np.ndarray:
    """64-bit DCT perceptual hash: the 8x8 lowest frequencies of a 32x32 grey image against their median."""
    grey = np.asarray(image.convert("L").resize((32, 32), Image.Resampling.BOX), np.float64)
    low = (_DCT32 @ grey @ _DCT32.T)[:8, :8].ravel()
    return low > np.median(low[1:])


def dhash(image: Image.Image) -> np.ndarray:
    """64-bit difference hash: is each pixel of a 9x8 grey image brighter than its right neighbour."""
    grey = np.asarray(image.convert("L").resize((9, 8), Image.Resampling.BOX), np.int16)
    return (grey[:, 1:] > grey[:, :-1]).ravel()


def near_duplicates(hashes: np.ndarray, symbols: list[str]) -> tuple[float, str]:
    """The share of unordered pairs within NEAR_DUPLICATE_BITS of each other, and the three closest pairs."""
    bits = hashes.astype(np.int16)
    dist = bits @ (1 - bits).T + (1 - bits) @ bits.T
    i, j = np.triu_indices(len(hashes), 1)
    dist = dist[i, j]
    closest = np.argsort(dist, kind="stable")[:3]
    named = ", ".join(f"{symbols[i[k]]}~{symbols[j[k]]} {dist[k]}" for k in closest)
    return float((dist <= NEAR_DUPLICATE_BITS).mean()), named


def contact_sheet(thumbs: list[Image.Image], symbols: list[str], columns: int = 8) -> Image.Image:
    """A grid of portraits with their symbols under them."""
    from pipeline.render.blot import BOLD_FONT

    cell_w, cell_h, label_h = thumbs[0].width, thumbs[0].height, 22
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * cell_w, rows * (cell_h + label_h)), "#ffffff")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(BOLD_FONT), 14)
    for k, (thumb, symbol) in enumerate(zip(thumbs, symbols, strict=True)):
        x, y = (k % columns) * cell_w, (k // columns) * (cell_h + label_h)
        sheet.paste(thumb, (x, y))
        draw.text((x + cell_w / 2, y + cell_h + label_h / 2), symbol, fill="#1d1d1d", font=font, anchor="mm")
    return sheet


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    from pipeline.emulsions import load_emulsions
    from pipeline.paths import default_data_dir
    from pipeline.render.procedural import render_portrait

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genes", type=int, default=504, help="about this many (36 cells of the label grid)")
    parser.add_argument("--emulsion", default="E0001")
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="folder with traits.parquet")
    parser.add_argument("--size", type=_size, default=(768, 1024), help="render size before shrinking, WxH")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--contact-sheet", type=Path, help="write 40 of the sampled genes as an image here")
    args = parser.parse_args(argv)
    if not (args.data / "traits.parquet").exists():
        raise SystemExit(
            f"{args.data / 'traits.parquet'} not found: run `iconoplasm data build` and `iconoplasm traits build`"
        )
    traits = pd.read_parquet(args.data / "traits.parquet")
    labels = trait_labels(traits)
    picked = stratified_sample(traits, labels, args.genes, args.seed)
    records = traits.loc[picked].to_dict("records")
    emulsions = load_emulsions()
    if args.emulsion not in emulsions:
        raise SystemExit(f"unknown emulsion {args.emulsion!r}: see gene_data/emulsions.csv")
    emulsion = emulsions[args.emulsion]
    width, height = args.size
    pngs = [render_portrait(r, emulsion, 0, width, height) for r in records]
    thumbs = [thumbnail(png) for png in pngs]
    x = np.stack([np.asarray(t, np.float64).ravel() / 255 for t in thumbs])

    print(
        f"portrait readability: {len(records)} real genes across the trait space, emulsion {args.emulsion} "
        f"({emulsion.palette}/{emulsion.texture}), rendered {width}x{height}, "
        f"thumbnails {THUMB[0]}x{THUMB[1]}, {args.folds}-fold ridge classifier"
    )
    shuffle = np.random.default_rng(args.seed + 1)
    met = True
    for name in LABELS:
        y = labels.loc[picked, name].to_numpy()
        accuracy = cross_validated_accuracy(x, y, args.folds, args.seed)
        chance = cross_validated_accuracy(x, shuffle.permutation(y), args.folds, args.seed)
        met &= accuracy >= TARGET_ACCURACY
        print(f"  {name:15s} accuracy {accuracy:.3f}  (shuffled labels {chance:.3f}; target >= {TARGET_ACCURACY})")

    symbols = [str(r["symbol"]) for r in records]
    at_random = traits.sample(n=len(records), random_state=args.seed).to_dict("records")
    random_thumbs = [thumbnail(render_portrait(r, emulsion, 0, width, height)) for r in at_random]
    for sample_name, sample_thumbs, sample_symbols in (
        ("trait-space sample", thumbs, symbols),
        ("random genes", random_thumbs, [str(r["symbol"]) for r in at_random]),
    ):
        for hash_name, fn in (("pHash", phash), ("dHash", dhash)):
            share, named = near_duplicates(np.stack([fn(t) for t in sample_thumbs]), sample_symbols)
            met &= share < TARGET_NEAR_DUPLICATES
            print(
                f"  near-duplicate pairs, {sample_name}, {hash_name} <= {NEAR_DUPLICATE_BITS} bits: {share * 100:.2f} %"
                f"  (target < {TARGET_NEAR_DUPLICATES * 100:.0f} %; closest: {named})"
            )
    if args.contact_sheet:
        pick = np.random.default_rng(args.seed).choice(len(records), size=min(40, len(records)), replace=False)
        cells = [
            Image.open(io.BytesIO(pngs[k])).convert("RGB").resize((120, 160), Image.Resampling.LANCZOS) for k in pick
        ]
        sheet = contact_sheet(cells, [symbols[k] for k in pick])
        args.contact_sheet.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(args.contact_sheet, quality=82, method=6, optimize=True)  # WebP or PNG by the suffix
        print(f"  contact sheet: {args.contact_sheet} ({args.contact_sheet.stat().st_size / 1024:.0f} KB)")
    print("  all targets met" if met else "  targets NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
