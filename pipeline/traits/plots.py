"""Genome-wide charts of the traits, for a person to check the mappings at a glance."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .colour import LETTERS, skin_colour

PLOT_NAMES = ("weight", "age", "aesthetics_top40", "lightness", "saturation", "hue_by_letter", "sex_ratio")


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    # Fixed metadata so two runs give identical bytes.
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def _histogram(values: pd.Series, title: str, xlabel: str, path: Path, bins, log_x: bool = False) -> None:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.hist(values.dropna(), bins=bins, color="#4c6a92", edgecolor="white", linewidth=0.4)
    if log_x:
        ax.set_xscale("log")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("genes")
    _save(fig, path)


#: Age histogram layers, bottom to top: where each gene's discovery year comes from.
AGE_SOURCES = (
    ("pubmed", "exact publication year", "#2f5d8a"),
    ("pubmed_estimated", "year estimated from the PMID", "#7fa7cf"),
    ("hgnc_approval", "HGNC approval year (fallback)", "#d9a441"),
    ("hgnc_approval_floor", "HGNC 1986 floor (fallback)", "#b5533c"),
)


def _age_by_source(traits: pd.DataFrame, genes: pd.DataFrame | None, path: Path) -> None:
    """Stacked age histogram, one layer per ``discovery_year_source`` (one layer without ``genes``)."""
    ages = traits["age"].astype(float)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    finite = ages.dropna()
    low, high = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    bins = (np.arange(np.floor(low), np.ceil(high) + 2) - 0.5).tolist()
    if genes is not None and "discovery_year_source" in genes:
        source = traits["symbol"].map(genes.set_index("symbol")["discovery_year_source"])
        layers = [
            (ages[source == key].dropna(), f"{label} ({int((source == key).sum()):,})", colour)
            for key, label, colour in AGE_SOURCES
        ]
        layers = [layer for layer in layers if len(layer[0])]
        if layers:
            ax.hist(
                [v for v, _, _ in layers],
                bins=bins,
                stacked=True,
                label=[lab for _, lab, _ in layers],
                color=[c for _, _, c in layers],
                edgecolor="white",
                linewidth=0.2,
            )
            ax.legend(fontsize=8)
    else:
        ax.hist(finite, bins=bins, color="#4c6a92", edgecolor="white", linewidth=0.2)
    median = f", median {finite.median():.0f}" if len(finite) else ""
    ax.set_title(f"Age (2020 − year first described{median}; negative = not yet born)")
    ax.set_xlabel("age (years)")
    ax.set_ylabel("genes")
    _save(fig, path)


def write_plots(traits: pd.DataFrame, out: Path, genes: pd.DataFrame | None = None) -> list[Path]:
    """Write one PNG per trait distribution into ``out`` and return their paths.

    ``genes`` (the gene table) splits the age plot by where each discovery year comes from.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.png" for name in PLOT_NAMES}
    weights = traits["weight_kg"].dropna()
    _histogram(
        weights,
        f"Weight (kg = protein kDa), {len(weights):,} genes",
        "weight (kg, log scale)",
        paths["weight"],
        bins=np.logspace(np.log10(max(weights.min(), 1.0)), np.log10(weights.max()), 60),
        log_x=True,
    )
    _age_by_source(traits, genes, paths["age"])
    _histogram(
        traits["lightness"],
        "Skin lightness (LOEUF 0 → black, 2 → white; spike at 0.5 = LOEUF missing)",
        "lightness",
        paths["lightness"],
        bins=50,
    )
    _histogram(
        traits["saturation"],
        "Skin saturation (tau, after the bicone fades dark and light skins)",
        "saturation",
        paths["saturation"],
        bins=50,
    )

    counts = Counter(name for names in traits["aesthetics"] for name in names).most_common(40)
    fig, ax = plt.subplots(figsize=(8, 10))
    ax.barh([n for n, _ in counts][::-1], [c for _, c in counts][::-1], color="#7a4c92")
    ax.set_title("Top 40 aesthetics (genes wearing each)")
    ax.set_xlabel("genes")
    ax.tick_params(axis="y", labelsize=8)
    _save(fig, paths["aesthetics_top40"])

    first = traits["symbol"].str[0].str.upper()
    per_letter = first.value_counts().reindex(list(LETTERS), fill_value=0)
    # Each bar in its letter's hue at full saturation and middle lightness (tau 1, LOEUF 1).
    colours = [skin_colour(letter, 1.0, 1.0, name=False)["color_hex"] for letter in LETTERS]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    ax.bar(list(LETTERS), per_letter.to_numpy(), color=colours, edgecolor="#333333", linewidth=0.4)
    ax.set_title("Hue by first letter (A = 0°, 26 even steps) — genes per letter")
    ax.set_ylabel("genes")
    _save(fig, paths["hue_by_letter"])

    sexes = traits["sex"].value_counts().reindex(["male", "female"], fill_value=0)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.pie(
        sexes.to_numpy(),
        labels=[f"{s} ({'transmembrane' if s == 'male' else 'soluble'})\n{n:,}" for s, n in sexes.items()],
        colors=["#4c6a92", "#c0607a"],
        autopct="%1.1f%%",
        startangle=90,
    )
    ax.set_title("Sex ratio")
    _save(fig, paths["sex_ratio"])
    return list(paths.values())
