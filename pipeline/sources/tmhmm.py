"""TMHMM 2.0 predictions (the table computed from the Swiss-Prot FASTA).

TMHMM calls the hydrophobic core of a signal peptide a helix, so a single
predicted helix that starts in the first 60 residues is ambiguous: it is a
signal peptide in a secreted protein or a signal anchor in a type II membrane
protein. Likewise a protein with no helix in the best path but many expected
helix residues in the posterior is a borderline call. :func:`classify_helices`
keeps both cases separate so the join can settle them with HPA's membrane
prediction.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .base import read_table

SIGNAL_PEPTIDE_WINDOW = 60
# Expected helix residues above which a helix-free path is still uncertain.
UNCERTAIN_EXPECTED_RESIDUES = 10.0

COLUMNS = ["accession", "tmhmm_ExpAA", "tmhmm_Topology"]

_HELIX = re.compile(r"(\d+)-(\d+)")


def read_predictions(path: Path) -> pd.DataFrame:
    """Read accession, expected helix residues and topology string."""
    frame = read_table(path, COLUMNS, usecols=COLUMNS, dtype={"accession": str, "tmhmm_Topology": str})
    frame["tmhmm_ExpAA"] = pd.to_numeric(frame["tmhmm_ExpAA"], errors="coerce").fillna(0.0)
    return frame.rename(columns={"tmhmm_ExpAA": "expected_residues", "tmhmm_Topology": "topology"})


def helix_starts(topology: str) -> list[int]:
    """Start residues of the helices in a TMHMM topology like ``o36-58i70-92o``."""
    return [int(start) for start, _ in _HELIX.findall(topology or "")]


def classify_helices(topology: str, expected_residues: float = 0.0) -> str:
    """``membrane``, ``lone_n_terminal`` (signal peptide or anchor), ``uncertain`` or ``none``."""
    starts = helix_starts(topology)
    if not starts:
        return "uncertain" if expected_residues >= UNCERTAIN_EXPECTED_RESIDUES else "none"
    if len(starts) == 1 and starts[0] <= SIGNAL_PEPTIDE_WINDOW:
        return "lone_n_terminal"
    return "membrane"
