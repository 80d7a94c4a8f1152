"""``mappings suggest``: one-to-one, reproducible, never overriding curated rows."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from pipeline.traits.aesthetics import AestheticsError, load_aesthetics, load_clan_aesthetics
from pipeline.traits.suggest import (
    aesthetic_texts,
    merge_clan_aesthetics,
    run_suggest,
    suggest_clan_aesthetics,
    write_clan_aesthetics,
)

from ..real_sources import REAL_SOURCES as SOURCES


class FakeEmbedder:
    """Bag of hashed lower-case words: deterministic, and similar texts share words."""

    def __init__(self, dims: int = 64) -> None:
        self.dims = dims
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dims))
        for i, text in enumerate(texts):
            for word in text.lower().replace(":", " ").replace(".", " ").split():
                out[i, int(hashlib.sha256(word.encode()).hexdigest(), 16) % self.dims] += 1.0
        return out


AESTHETICS = pd.DataFrame(
    {
        "name": ["Steampunk", "Cottagecore", "Seapunk", "Dark Academia", "Vaporwave", "Normcore"],
        "family": ["punk", "nature", "wave", "academia", "wave", "fallback"],
        "description": [
            "brass engine gears",
            "garden flowers bread",
            "ocean dolphins water",
            "books library zinc",
            "statues computers",
            "plain clothes",
        ],
    }
)
CLANS = pd.DataFrame({"clan_acc": ["CL1", "CL2", "CL3", "CL4"], "clan_name": ["Engine", "Garden", "Ocean", "Zinc"]})
TEXT = {"CL1": "engine: brass gears", "CL2": "garden: flowers", "CL3": "ocean: water dolphins", "CL4": "zinc: books"}


def existing(rows: list[tuple[str, str, str, bool]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["clan_acc", "clan_name", "aesthetic", "curated"])
    frame["rationale"] = "hand"
    return frame.astype({"curated": bool})


def test_assigns_best_free_style_one_to_one():
    result = suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, existing([]), FakeEmbedder())
    got = dict(zip(result.rows["clan_acc"], result.rows["aesthetic"], strict=True))
    assert got == {"CL1": "Steampunk", "CL2": "Cottagecore", "CL3": "Seapunk", "CL4": "Dark Academia"}
    assert not result.rows["curated"].any()
    assert result.rows["aesthetic"].is_unique
    assert "Normcore" not in got.values()  # the fallback pool is never handed out
    assert result.worst["similarity"].is_monotonic_increasing


def test_never_overrides_curated_rows_even_on_refresh():
    # CL4 is curated onto a style the fake embedder would give to CL3.
    table = existing([("CL4", "Zinc", "Seapunk", True), ("CL1", "Engine", "Vaporwave", False)])
    kept = suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, table, FakeEmbedder())
    assert set(kept.rows["clan_acc"]) == {"CL2", "CL3"}
    assert not {"Seapunk", "Vaporwave"} & set(kept.rows["aesthetic"])

    refreshed = suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, table, FakeEmbedder(), refresh=True)
    assert set(refreshed.rows["clan_acc"]) == {"CL1", "CL2", "CL3"}
    assert "Seapunk" not in set(refreshed.rows["aesthetic"])
    merged = merge_clan_aesthetics(table, refreshed.rows, refresh=True)
    curated = merged[merged["curated"].astype(bool)]
    assert curated.to_dict("records") == [
        {"clan_acc": "CL4", "clan_name": "Zinc", "aesthetic": "Seapunk", "curated": True, "rationale": "hand"}
    ]
    assert merged["clan_acc"].is_unique and merged["aesthetic"].is_unique


def test_reproducible_and_independent_of_input_order():
    first = suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, existing([]), FakeEmbedder())
    shuffled = suggest_clan_aesthetics(
        CLANS.iloc[::-1], TEXT, AESTHETICS.iloc[[3, 0, 5, 2, 4, 1]], existing([]), FakeEmbedder()
    )
    pd.testing.assert_frame_equal(first.rows, shuffled.rows)


def test_too_few_free_styles_is_an_error():
    table = existing([("CL9", "x", "Steampunk", True), ("CL8", "y", "Cottagecore", True)])
    with pytest.raises(AestheticsError, match="unused aesthetics"):
        suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, table, FakeEmbedder())


def test_nothing_to_do_returns_empty_without_embedding():
    table = existing(
        [(a, n, s, True) for (a, n), s in zip(CLANS.itertuples(index=False), AESTHETICS["name"], strict=False)]
    )
    embedder = FakeEmbedder()
    result = suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, table, embedder)
    assert result.rows.empty and embedder.calls == 0


def test_write_merge_round_trip(tmp_path):
    aesthetics_path = tmp_path / "aesthetics.csv"
    AESTHETICS.to_csv(aesthetics_path, index=False)
    table = existing([("CL4", "Zinc", "Dark Academia", True)])
    result = suggest_clan_aesthetics(CLANS, TEXT, AESTHETICS, table, FakeEmbedder())
    path = tmp_path / "clan_aesthetics.csv"
    write_clan_aesthetics(merge_clan_aesthetics(table, result.rows), path, load_aesthetics(aesthetics_path))
    loaded = load_clan_aesthetics(path)
    assert loaded.iloc[0].to_dict() == {
        "clan_acc": "CL4",
        "clan_name": "Zinc",
        "aesthetic": "Dark Academia",
        "curated": True,
        "rationale": "hand",
    }
    assert set(loaded["clan_acc"]) == {"CL1", "CL2", "CL3", "CL4"}
    assert "true" in path.read_text() and "false" in path.read_text()


def test_aesthetic_text_uses_motifs():
    texts = aesthetic_texts(AESTHETICS, {"Seapunk": "Dolphins, mermaids"})
    assert texts["Seapunk"] == "Seapunk. ocean dolphins water. Dolphins, mermaids"


@pytest.mark.real_sources
def test_shipped_table_is_a_fixed_point_of_suggest():
    """On the real sources, every human clan is already mapped: suggest proposes nothing new."""
    result = run_suggest(SOURCES, embedder=FakeEmbedder(), write=False)
    assert result.rows.empty


def test_real_model_offline_assignment(monkeypatch):
    from pipeline.traits.suggest import MiniLMEmbedder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    embedder = MiniLMEmbedder()
    vectors = embedder.encode(["zinc finger DNA binding", "zinc finger nucleic acid binding", "surfboards and beaches"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    clans = pd.DataFrame({"clan_acc": ["CL1", "CL2"], "clan_name": ["Ocean", "Garden"]})
    text = {"CL1": "sea water waves ocean dolphins", "CL2": "flowers garden plants bread baking"}
    first = suggest_clan_aesthetics(clans, text, AESTHETICS, existing([]), embedder)
    again = suggest_clan_aesthetics(clans, text, AESTHETICS, existing([]), embedder)
    assert dict(zip(first.rows["clan_acc"], first.rows["aesthetic"], strict=True)) == {
        "CL1": "Seapunk",
        "CL2": "Cottagecore",
    }
    pd.testing.assert_frame_equal(first.rows, again.rows)
