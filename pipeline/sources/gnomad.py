"""gnomAD constraint: LOEUF (``oe_lof_upper``) of each gene's canonical transcript."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import read_table

COLUMNS = ["gene", "transcript", "canonical", "oe_lof_upper"]


def read_canonical_loeuf(path: Path) -> pd.DataFrame:
    """gnomAD symbol, transcript and LOEUF for canonical transcripts only."""
    frame = read_table(path, COLUMNS, usecols=COLUMNS, dtype={"gene": str, "transcript": str, "canonical": str})
    canonical = frame[frame["canonical"].str.lower() == "true"]
    return pd.DataFrame(
        {
            "gnomad_symbol": canonical["gene"],
            "transcript": canonical["transcript"],
            "loeuf": pd.to_numeric(canonical["oe_lof_upper"], errors="coerce"),
        }
    ).reset_index(drop=True)
