"""NCBI Gene (via the org.Hs.eg.db export): RefSeq isoforms, gene info and PMIDs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import read_table


def read_refseq_isoforms(path: Path) -> pd.DataFrame:
    """Curated RefSeq protein isoforms per gene: the count of NP_ accessions."""
    frame = read_table(path, ["entrez_id", "accession"], dtype={"accession": str})
    proteins = frame[frame["accession"].str.startswith("NP_", na=False)]
    counts = proteins.groupby("entrez_id")["accession"].nunique()
    return pd.DataFrame({"entrez_id": counts.index.astype("Int64"), "isoforms": counts.to_numpy()})


def read_gene_info(path: Path) -> pd.DataFrame:
    """Entrez id and symbol of protein-coding NCBI genes (fills missing Entrez ids)."""
    frame = read_table(
        path,
        ["entrez_id", "symbol", "gene_type"],
        usecols=["entrez_id", "symbol", "gene_type"],
        dtype={"symbol": str, "gene_type": str},
    )
    coding = frame[frame["gene_type"] == "protein-coding"]
    return pd.DataFrame({"entrez_id": coding["entrez_id"].astype("Int64"), "symbol": coding["symbol"]})


def read_gene2pubmed(path: Path) -> pd.DataFrame:
    """Gene -> PubMed id links."""
    frame = read_table(path, ["entrez_id", "pubmed_id"])
    return frame.astype({"entrez_id": "int64", "pubmed_id": "int64"})
