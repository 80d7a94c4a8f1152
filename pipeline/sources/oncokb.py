"""OncoKB cancer gene list: oncogene / tumour-suppressor role."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..records import CancerRole
from .base import read_table

COLUMNS = ["Hugo Symbol", "Entrez Gene ID", "Is Oncogene", "Is Tumor Suppressor Gene"]


def role(is_oncogene: bool, is_suppressor: bool) -> str:
    if is_oncogene and is_suppressor:
        return CancerRole.BOTH.value
    if is_oncogene:
        return CancerRole.ONCOGENE.value
    if is_suppressor:
        return CancerRole.TUMOR_SUPPRESSOR.value
    return CancerRole.NONE.value


def read_cancer_roles(path: Path) -> pd.DataFrame:
    """Entrez id, symbol and cancer_role for every gene on the list."""
    frame = read_table(path, COLUMNS, usecols=COLUMNS, dtype=str)

    def yes(column: str) -> pd.Series:
        return frame[column].fillna("").str.strip().str.lower().isin({"yes", "true", "1"})

    roles = [role(o, s) for o, s in zip(yes("Is Oncogene"), yes("Is Tumor Suppressor Gene"), strict=True)]
    return pd.DataFrame(
        {
            "entrez_id": pd.to_numeric(frame["Entrez Gene ID"], errors="coerce").astype("Int64"),
            "symbol": frame["Hugo Symbol"].str.strip(),
            "cancer_role": roles,
        }
    )
