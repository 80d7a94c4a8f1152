"""Human Protein Atlas: tissue expression (for tau) and membrane protein class."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .base import SourceError, read_table

# Blood-cell columns of the consensus table; tau is about tissues only.
BLOOD_CELL_COLUMNS = frozenset(
    {"B_cells", "dendritic_cells", "granulocytes", "monocytes", "NK_cells", "T_cells", "total_PBMC"}
)
_BLOOD_CELL_KEYS = frozenset(c.lower().replace(" ", "_") for c in BLOOD_CELL_COLUMNS) | {
    "b-cells",
    "t-cells",
    "nk-cells",
    "total pbmc",
}

MEMBRANE_CLASS = "Predicted membrane proteins"


def _is_blood_cell(column: str) -> bool:
    key = column.strip().lower()
    return key in _BLOOD_CELL_KEYS or key.replace(" ", "_") in _BLOOD_CELL_KEYS


def read_tissue_consensus(path: Path) -> pd.DataFrame:
    """Read consensus expression as a genes x tissues matrix indexed by Ensembl id.

    Accepts the wide table (GeneID + one column per tissue) and HPA's official
    long download (Gene, Gene name, Tissue, nTPM). Blood-cell columns are dropped.
    """
    header = read_table(path, nrows=0)
    if "GeneID" in header.columns:
        frame = read_table(path, ["GeneID"])
        matrix = frame.set_index("GeneID")
    elif {"Gene", "Tissue", "nTPM"} <= set(header.columns):
        frame = read_table(path, ["Gene", "Tissue", "nTPM"], usecols=["Gene", "Tissue", "nTPM"])
        matrix = frame.pivot_table(index="Gene", columns="Tissue", values="nTPM", aggfunc="mean")
    else:
        raise SourceError(
            f"{path}: wrong columns: expected GeneID + tissues, or Gene/Tissue/nTPM; found {list(header.columns[:8])}"
        )
    matrix = matrix[[c for c in matrix.columns if not _is_blood_cell(str(c))]]
    matrix = matrix.apply(pd.to_numeric, errors="coerce")
    if matrix.shape[1] < 2:
        raise SourceError(f"{path}: fewer than two tissue columns, cannot compute tau")
    matrix.index.name = "ensembl_id"
    return matrix


def tau(matrix: pd.DataFrame, min_tissue_fraction: float = 0.5) -> pd.Series:
    """Tissue specificity tau (Yanai et al. 2005) on log2(x + 1) expression.

    0 = equal in every tissue, 1 = expressed in one tissue only. A tissue
    without a value (a gap in the consensus table) is left out of that gene's
    sum rather than read as zero, which would inflate tau; a gene measured in
    fewer than ``min_tissue_fraction`` of the tissues, or not detected
    anywhere, gets no tau (NaN).
    """
    values = np.log2(matrix.to_numpy(dtype=float) + 1.0)
    measured = (~np.isnan(values)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        peak = np.nanmax(np.where(measured[:, None] > 0, values, 0.0), axis=1)
        scores = np.nansum(1.0 - values / peak[:, None], axis=1) / (measured - 1)
    scores[(peak <= 0) | (measured < max(2, min_tissue_fraction * values.shape[1]))] = np.nan
    return pd.Series(np.clip(scores, 0.0, 1.0), index=matrix.index, name="tau")


PROTEINATLAS_COLUMNS = ["Gene", "Ensembl", "Protein class"]


def read_membrane_class(path: Path) -> pd.DataFrame:
    """Ensembl id, symbol and whether HPA classes the protein as membrane."""
    frame = read_table(path, PROTEINATLAS_COLUMNS, usecols=PROTEINATLAS_COLUMNS, dtype=str)
    return pd.DataFrame(
        {
            "ensembl_id": frame["Ensembl"],
            "symbol": frame["Gene"],
            "hpa_membrane": frame["Protein class"].fillna("").str.contains(MEMBRANE_CLASS, regex=False),
        }
    )
