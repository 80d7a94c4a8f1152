"""Publication years for PubMed ids (a user-provided PMID -> year table).

The bundled sources carry PMIDs without dates, and PMID numbers are not
chronological (old records were back-filled), so a year is never guessed from
a PMID. When a ``pmid_year`` table is present, a gene's discovery year is the
earliest year among its linked publications.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import read_table


def read_pmid_years(path: Path) -> pd.DataFrame:
    """PMID -> publication year table (columns pubmed_id, year)."""
    frame = read_table(path, ["pubmed_id", "year"], usecols=["pubmed_id", "year"])
    frame["pubmed_id"] = pd.to_numeric(frame["pubmed_id"], errors="coerce")
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    return frame.dropna().astype({"pubmed_id": "int64", "year": "int64"})


def earliest_publication_year(gene2pubmed: pd.DataFrame, pmid_years: pd.DataFrame, current_year: int) -> pd.DataFrame:
    """entrez_id -> earliest linked publication year, ignoring impossible future years."""
    years = gene2pubmed.merge(pmid_years, on="pubmed_id", how="inner")
    years = years[(years["year"] >= 1800) & (years["year"] <= current_year)]
    earliest = years.groupby("entrez_id")["year"].min()
    return pd.DataFrame({"entrez_id": earliest.index.astype("Int64"), "publication_year": earliest.to_numpy()})
