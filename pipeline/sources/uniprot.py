"""UniProt: canonical sequences (length, average mass) and, when a UniProt
feature export is provided, curated transmembrane annotation.

Mass is computed here from the sequence rather than read from a derived table,
so any Swiss-Prot FASTA release works the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .base import SourceError, iter_fasta, read_table

WATER_DA = 18.01528

# Average residue masses (Da, residue = amino acid minus water), the values
# UniProt uses for its displayed masses. Ambiguity codes get the mean of their
# members; X gets a typical residue so TrEMBL records with gaps stay usable.
AVERAGE_RESIDUE_MASS_DA = {
    "A": 71.0788,
    "R": 156.1875,
    "N": 114.1038,
    "D": 115.0886,
    "C": 103.1388,
    "E": 129.1155,
    "Q": 128.1307,
    "G": 57.0519,
    "H": 137.1411,
    "I": 113.1594,
    "L": 113.1594,
    "K": 128.1741,
    "M": 131.1926,
    "F": 147.1766,
    "P": 97.1167,
    "S": 87.0782,
    "T": 101.1051,
    "W": 186.2132,
    "Y": 163.1760,
    "V": 99.1326,
    "U": 150.0388,
    "O": 237.3018,
    "B": 114.5962,
    "Z": 128.6231,
    "J": 113.1594,
    "X": 110.0,
}

_MASS_LOOKUP = np.full(256, np.nan)
for _letter, _mass in AVERAGE_RESIDUE_MASS_DA.items():
    _MASS_LOOKUP[ord(_letter)] = _mass

_HEADER = re.compile(r"^(?P<db>sp|tr)\|(?P<accession>[^|]+)\|\S+(?P<rest>.*)$")
_GENE_NAME = re.compile(r"\bGN=(\S+)")


def average_mass_da(sequence: str) -> float:
    """Average mass of a protein sequence in daltons (NaN for unknown letters)."""
    codes = np.frombuffer(sequence.encode("ascii"), dtype=np.uint8)
    return float(_MASS_LOOKUP[codes].sum() + WATER_DA)


def read_fasta(path: Path) -> pd.DataFrame:
    """Read a UniProt FASTA into accession, gene_name, reviewed, length, sequence."""
    records = []
    for header, sequence in iter_fasta(path):
        match = _HEADER.match(header)
        if match is None:
            raise SourceError(f"{path}: header is not a UniProt header: {header[:80]!r}")
        gene = _GENE_NAME.search(match.group("rest"))
        records.append(
            (
                match.group("accession"),
                gene.group(1) if gene else None,
                match.group("db") == "sp",
                len(sequence),
                sequence,
            )
        )
    if not records:
        raise SourceError(f"{path}: no FASTA records")
    return pd.DataFrame(records, columns=["accession", "gene_name", "reviewed", "length", "sequence"])


def read_lengths(path: Path) -> pd.DataFrame:
    """Read a UniProt TSV export with Entry and Length (length without sequence)."""
    frame = read_table(path, ["Entry", "Length"], usecols=["Entry", "Length"])
    return pd.DataFrame(
        {
            "accession": frame["Entry"].astype(str),
            "length": pd.to_numeric(frame["Length"], errors="coerce").astype("Int64"),
        }
    )


def read_transmembrane_features(path: Path) -> pd.DataFrame:
    """Read a UniProt TSV export with a ``Transmembrane`` feature column.

    UniProt writes each helix as ``TRANSMEM 164..186; /note="Helical"``; the
    count of TRANSMEM entries is the number of curated membrane segments.
    """
    frame = read_table(path, ["Entry", "Transmembrane"], usecols=["Entry", "Transmembrane"], dtype=str)
    counts = frame["Transmembrane"].fillna("").str.count(r"\bTRANSMEM\b")
    return pd.DataFrame({"accession": frame["Entry"], "tm_segments": counts.astype(int)})


def choose_canonical(genes: pd.DataFrame, swissprot: pd.DataFrame, proteome: pd.DataFrame | None) -> pd.DataFrame:
    """Pick one UniProt record per gene and compute its length and mass.

    Order of preference, so that a gene gets the reviewed canonical entry when
    one exists: HGNC's accessions found in Swiss-Prot (the one whose GN= is the
    symbol first), then a Swiss-Prot record whose GN= is the symbol, then the
    proteome file by accession, then by GN=. ``genes`` needs symbol and
    uniprot_candidates. Returns symbol, uniprot_id, length, mass_da (NaN when
    no sequence was found).
    """
    records = (
        swissprot
        if proteome is None
        else pd.concat([swissprot, proteome.loc[~proteome["accession"].isin(swissprot["accession"])]])
    )
    by_accession = records.set_index("accession")
    gene_of = by_accession["gene_name"].to_dict()
    reviewed = by_accession["reviewed"].to_dict()
    by_gene_name: dict[str, list[str]] = {}
    for accession, gene_name in gene_of.items():
        if gene_name:
            by_gene_name.setdefault(gene_name, []).append(str(accession))
    length_of = by_accession["length"].to_dict()

    def pick(symbol: str, candidates: list[str]) -> str | None:
        known = [a for a in candidates if a in gene_of]
        for pool in (
            [a for a in known if reviewed[a]],
            [a for a in by_gene_name.get(symbol, []) if reviewed[a]],
            known,
            by_gene_name.get(symbol, []),
        ):
            if pool:
                # The accession named for this symbol wins; then the longest
                # (the canonical isoform is usually the longest), then by name
                # so the choice never depends on file order.
                return min(pool, key=lambda a: (gene_of[a] != symbol, -length_of[a], a))
        return None

    chosen = [pick(s, c) for s, c in zip(genes["symbol"], genes["uniprot_candidates"], strict=True)]
    sequence_of = by_accession["sequence"]
    result = pd.DataFrame({"symbol": genes["symbol"].to_numpy(), "uniprot_id": chosen})
    result["length"] = pd.array([length_of[a] if a else pd.NA for a in chosen], dtype="Int64")
    result["mass_da"] = [average_mass_da(sequence_of[a]) if a else np.nan for a in chosen]
    return result


def mean_residue_mass(table: pd.DataFrame) -> float:
    """Median mass per residue over proteins with a sequence, for estimating the rest."""
    known = table.dropna(subset=["mass_da", "length"])
    known = known[known["length"] > 0]
    if known.empty:
        return 110.0
    return float((known["mass_da"] / known["length"].astype(float)).median())
