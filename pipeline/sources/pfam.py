"""Pfam: domain regions per protein and the family -> clan table.

A protein's clans are ordered by how many residues their domains cover, so a
gene's first aesthetic comes from its dominant fold.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .base import SourceError, read_table

REGION_COLUMNS = [
    "seq_id",
    "aln_start",
    "aln_end",
    "env_start",
    "env_end",
    "hmm_acc",
    "hmm_name",
    "type",
    "hmm_start",
    "hmm_end",
    "hmm_len",
    "bit_score",
    "evalue",
    "clan",
]

CLAN_COLUMNS = ["pfam_acc", "clan_acc", "clan_id", "pfam_id", "pfam_description"]


def read_regions(path: Path) -> pd.DataFrame:
    """Pfam-A regions (the per-proteome file: 14 columns, '#' comments, no header)."""
    first = read_table(path, comment="#", header=None, nrows=5)
    if first.shape[1] != len(REGION_COLUMNS):
        raise SourceError(
            f"{path}: wrong columns: expected {len(REGION_COLUMNS)} tab-separated columns ({', '.join(REGION_COLUMNS)}), found {first.shape[1]}"
        )
    frame = read_table(
        path,
        comment="#",
        header=None,
        names=REGION_COLUMNS,
        usecols=["seq_id", "env_start", "env_end", "hmm_acc", "clan"],
        dtype={"seq_id": str, "hmm_acc": str, "clan": str},
    )
    frame["env_start"] = pd.to_numeric(frame["env_start"], errors="coerce")
    frame["env_end"] = pd.to_numeric(frame["env_end"], errors="coerce")
    frame["hmm_acc"] = frame["hmm_acc"].str.split(".").str[0]
    return frame.dropna(subset=["env_start", "env_end"])


def read_clans(path: Path) -> pd.DataFrame:
    """Pfam-A.clans: family accession -> clan accession and clan short name."""
    frame = read_table(path, header=None, dtype=str)
    if frame.shape[1] != len(CLAN_COLUMNS):
        raise SourceError(
            f"{path}: wrong columns: expected {len(CLAN_COLUMNS)} tab-separated columns ({', '.join(CLAN_COLUMNS)}), found {frame.shape[1]}"
        )
    frame.columns = CLAN_COLUMNS
    return frame[["pfam_acc", "clan_acc", "clan_id", "pfam_id", "pfam_description"]]


def family_clans(regions: pd.DataFrame, clans: pd.DataFrame) -> pd.DataFrame:
    """Clan of each region's family: Pfam-A.clans first (newer), else the region file's own."""
    mapped = regions["hmm_acc"].map(clans.dropna(subset=["clan_acc"]).set_index("pfam_acc")["clan_acc"])
    own = regions["clan"].where(regions["clan"].str.startswith("CL", na=False))
    return regions.assign(clan_acc=mapped.fillna(own))


def covered_length(regions: pd.DataFrame) -> pd.DataFrame:
    """Residues covered per (seq_id, clan_acc), overlapping domains counted once."""
    frame = regions.dropna(subset=["clan_acc"]).sort_values(["seq_id", "clan_acc", "env_start", "env_end"])
    group = [frame["seq_id"], frame["clan_acc"]]
    reach = frame.groupby(group, sort=False)["env_end"].cummax()
    previous_reach = reach.groupby(group, sort=False).shift(1)
    start = np.maximum(frame["env_start"], previous_reach.fillna(0) + 1)
    covered = (frame["env_end"] - start + 1).clip(lower=0)
    return frame.assign(covered=covered).groupby(["seq_id", "clan_acc"])["covered"].sum().reset_index()


def clans_per_protein(regions: pd.DataFrame, clans: pd.DataFrame) -> pd.DataFrame:
    """seq_id -> clans (accessions, most covered first) and clan_names."""
    covered = covered_length(family_clans(regions, clans))
    names = clans.dropna(subset=["clan_acc"]).drop_duplicates("clan_acc").set_index("clan_acc")["clan_id"]
    covered["clan_name"] = covered["clan_acc"].map(names).fillna(covered["clan_acc"])
    covered = covered.sort_values(["seq_id", "covered", "clan_acc"], ascending=[True, False, True])
    grouped = covered.groupby("seq_id", sort=False)
    return pd.DataFrame(
        {"clans": grouped["clan_acc"].agg(list), "clan_names": grouped["clan_name"].agg(list)}
    ).reset_index()
