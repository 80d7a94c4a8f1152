"""NCBI RefSeq gene summaries (one paragraph of function text per gene)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import read_table


def read_summaries(path: Path) -> pd.DataFrame:
    """Entrez id -> non-empty summary."""
    frame = read_table(path, ["entrez_id", "summary"], usecols=["entrez_id", "summary"], dtype={"summary": str})
    frame["entrez_id"] = pd.to_numeric(frame["entrez_id"], errors="coerce").astype("Int64")
    frame["summary"] = frame["summary"].fillna("").str.strip()
    frame = frame[(frame["summary"] != "") & frame["entrez_id"].notna()]
    return frame.drop_duplicates("entrez_id")
