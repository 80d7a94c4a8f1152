"""The gene and traits tables read as one plain row per gene: what the site loads and the command line shows.

A row has every column of both tables (:data:`ROW_FIELDS`) as plain Python values (lists for
arrays, None for a missing value), the same shape as the site's ``Gene.row()``, so code that reads
a row (the card facts, the renderers) needs no pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .records import ROW_FIELDS
from .sources.base import SourceError

# Text columns a missing value of which reads as "" (the site's blank text fields).
TEXT_FIELDS = ("ensembl_id", "uniprot_id", "summary", "cancer_role", "feature")
# List columns added after tables were first built: a table from before them reads as [] there,
# so a site loads an older genes.parquet until it is rebuilt.
LATER_LIST_FIELDS = ("names",)


def plain_value(value: object) -> object:
    """Parquet values as plain Python: lists for arrays, None for missing, str for strings."""
    if isinstance(value, np.ndarray):
        return [str(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def catalogue_rows(genes: pd.DataFrame, traits: pd.DataFrame) -> list[dict]:
    """One dict per gene of both tables with every field of :data:`ROW_FIELDS`, in the gene table's order."""
    merged = genes.merge(traits, on="symbol", how="inner", validate="one_to_one")
    rows = []
    for record in merged.to_dict("records"):
        row = {field: plain_value(record.get(field)) for field in ROW_FIELDS}
        for text_field in TEXT_FIELDS:
            row[text_field] = row[text_field] or ""
        for list_field in LATER_LIST_FIELDS:
            row[list_field] = row[list_field] or []
        rows.append(row)
    return rows


def read_table(path: Path, what: str, expected: Sequence[str] = ()) -> pd.DataFrame:
    """A parquet table, or a :class:`SourceError` naming the file when it is missing, unreadable or
    lacks one of the ``expected`` columns."""
    if not path.exists():
        raise SourceError(f"{path}: {what} not found; run `iconoplasm data build` and `iconoplasm traits build` first")
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's errors are ValueError (invalid data) or OSError (I/O)
        raise SourceError(f"{path}: not a readable {what} ({type(exc).__name__}: {exc})") from exc
    lacking = [column for column in expected if column not in table.columns]
    if lacking:
        raise SourceError(f"{path}: the {what} lacks the column(s) {', '.join(lacking)}; rebuild it")
    return table


def read_catalogue(genes_path: Path, traits_path: Path) -> list[dict]:
    """One dict per gene with every field, from the two tables."""
    return catalogue_rows(read_table(genes_path, "gene table"), read_table(traits_path, "traits table"))
