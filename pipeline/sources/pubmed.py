"""Publication years for PubMed ids: exact (a PMID -> year table) or estimated from dated anchors.

PubMed assigns ids in blocks that are mostly chronological from the mid-1970s on, so the year of
an undated PMID can be estimated from its dated neighbours (``pubmed_anchors``). Below about 10 M
ids are less orderly (OLDMEDLINE back-fill gave old records new, larger ids), which is why the
estimator's error is measured by era (:func:`leave_one_out`) and an exact year, when a
``pubmed/pmid_year.tsv`` table is present, always wins.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .base import read_table

#: Anchor sources flagged as weaker in the sources' provenance (not machine-sourced / inferred).
WEAK_ANCHOR_SOURCES = ("knowledge", "density_inferred")
#: Neighbours whose median year estimates a PMID's year (chosen by leave-one-out, see README).
NEIGHBOURS = 5
#: A paper linked to more genes than this is a mass paper (cDNA collections, interactome screens)
#: and never dates a gene (chosen from the genes-per-PMID distribution, see README).
MASS_PAPER_GENES = 100


def read_pmid_years(path: Path) -> pd.DataFrame:
    """PMID -> publication year table (columns pubmed_id, year)."""
    frame = read_table(path, ["pubmed_id", "year"], usecols=["pubmed_id", "year"])
    frame["pubmed_id"] = pd.to_numeric(frame["pubmed_id"], errors="coerce")
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    return frame.dropna().astype({"pubmed_id": "int64", "year": "int64"})


def read_anchors(path: Path, weak: bool = True) -> pd.DataFrame:
    """Dated PMIDs (columns pubmed_id, year, source), sorted by id, one row per id.

    ``weak=False`` drops the sources flagged as weaker (:data:`WEAK_ANCHOR_SOURCES`).
    """
    frame = read_table(path, ["pmid", "year", "source"], dtype={"source": str})
    frame = pd.DataFrame(
        {
            "pubmed_id": pd.to_numeric(frame["pmid"], errors="coerce"),
            "year": pd.to_numeric(frame["year"], errors="coerce"),
            "source": frame["source"].fillna(""),
        }
    ).dropna(subset=["pubmed_id", "year"])
    frame = frame.astype({"pubmed_id": "int64", "year": "int64"})
    if not weak:
        frame = frame[~frame["source"].isin(WEAK_ANCHOR_SOURCES)]
    return frame.drop_duplicates("pubmed_id").sort_values("pubmed_id", ignore_index=True)


def no_anchors() -> pd.DataFrame:
    """An empty anchor table: nothing is estimated, only exact years date a paper."""
    return pd.DataFrame(
        {"pubmed_id": pd.Series(dtype="int64"), "year": pd.Series(dtype="int64"), "source": pd.Series(dtype=str)}
    )


def estimate_years(pmids: np.ndarray | pd.Series, anchors: pd.DataFrame, k: int = NEIGHBOURS) -> np.ndarray:
    """Estimated publication year of each PMID: the median year of its ``k`` nearest dated ids.

    Vectorised: one ``searchsorted`` over the sorted anchors, then the ``k`` closest among the
    ``k`` anchors either side. An id that is itself an anchor is estimated from its neighbours
    plus itself (use :func:`leave_one_out` to measure the error honestly). Returns float years
    (NaN when there are no anchors).
    """
    query = np.asarray(pmids, dtype=np.int64)
    ids = anchors["pubmed_id"].to_numpy(dtype=np.int64)
    years = anchors["year"].to_numpy(dtype=np.float64)
    if len(ids) == 0 or len(query) == 0:
        return np.full(len(query), np.nan)
    k = min(k, len(ids))
    return _median_of_nearest(query, ids, years, k, exclude_self=False)


def _median_of_nearest(query: np.ndarray, ids: np.ndarray, years: np.ndarray, k: int, exclude_self: bool) -> np.ndarray:
    position = np.searchsorted(ids, query)
    offsets = np.arange(-k - int(exclude_self), k + int(exclude_self))
    window = position[:, None] + offsets[None, :]
    valid = (window >= 0) & (window < len(ids))
    clipped = np.clip(window, 0, len(ids) - 1)
    distance = np.abs(ids[clipped] - query[:, None]).astype(np.float64)
    distance[~valid] = np.inf
    if exclude_self:
        distance[ids[clipped] == query[:, None]] = np.inf
    nearest = np.argsort(distance, axis=1, kind="stable")[:, :k]
    chosen_years = np.take_along_axis(years[clipped], nearest, axis=1)
    chosen_ok = np.take_along_axis(np.isfinite(distance), nearest, axis=1)
    chosen_years[~chosen_ok] = np.nan
    return np.nanmedian(chosen_years, axis=1)


ERAS = (
    (None, 1975, "<1975"),
    (1975, 1985, "1975-84"),
    (1985, 1993, "1985-92"),
    (1993, 2005, "1993-2004"),
    (2005, None, "2005+"),
)


def leave_one_out(anchors: pd.DataFrame, k: int = NEIGHBOURS, evaluate: pd.DataFrame | None = None) -> pd.DataFrame:
    """Leave-one-out error of :func:`estimate_years`, by era of the true year.

    Each anchor in ``evaluate`` (default: all of ``anchors``) is estimated from the *other*
    anchors. Evaluating only the strong anchors while estimating from all of them measures
    whether the weak sources help without grading them against themselves. Returns one row per
    era plus ``all``: ``n``, ``within_1`` (share with |error| <= 1 year), ``mae`` (mean absolute
    error in years).
    """
    target = anchors if evaluate is None else evaluate
    ids = anchors["pubmed_id"].to_numpy(dtype=np.int64)
    years = anchors["year"].to_numpy(dtype=np.float64)
    truth = target["year"].to_numpy(dtype=np.float64)
    if len(ids) < 2 or len(target) == 0:
        estimate = np.full(len(target), np.nan)
    else:
        query = target["pubmed_id"].to_numpy(dtype=np.int64)
        estimate = _median_of_nearest(query, ids, years, min(k, len(ids) - 1), exclude_self=True)
    error = np.abs(estimate - truth)
    rows = []
    for low, high, label in (*ERAS, (None, None, "all")):
        mask = np.ones(len(truth), dtype=bool)
        if low is not None:
            mask &= truth >= low
        if high is not None:
            mask &= truth < high
        chosen = error[mask]
        rows.append(
            {
                "era": label,
                "n": int(mask.sum()),
                "within_1": float(np.mean(chosen <= 1)) if len(chosen) else float("nan"),
                "mae": float(np.mean(chosen)) if len(chosen) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def genes_per_paper(links: pd.DataFrame) -> pd.Series:
    """Number of distinct genes each PMID is linked to (indexed by pubmed_id)."""
    return links.groupby("pubmed_id")["entrez_id"].nunique()


def drop_mass_papers(links: pd.DataFrame, cutoff: int = MASS_PAPER_GENES) -> pd.DataFrame:
    """The links whose paper names at most ``cutoff`` genes (mass papers never date a gene)."""
    counts = links["pubmed_id"].map(genes_per_paper(links))
    return links[counts <= cutoff]


def dated_links(links: pd.DataFrame, anchors: pd.DataFrame, exact: pd.DataFrame | None = None) -> pd.DataFrame:
    """Unique (entrez_id, pubmed_id) links with a year: exact when known, else estimated.

    Columns entrez_id, pubmed_id, year (float), exact (bool).
    """
    pairs = links[["entrez_id", "pubmed_id"]].drop_duplicates()
    unique_ids = pd.unique(pairs["pubmed_id"].to_numpy())
    year = pd.Series(estimate_years(unique_ids, anchors), index=unique_ids)
    is_exact = pd.Series(False, index=unique_ids)
    if exact is not None and len(exact):
        known = exact.drop_duplicates("pubmed_id").set_index("pubmed_id")["year"]
        known = known[known.index.isin(unique_ids)]
        year.loc[known.index] = known.to_numpy(dtype=np.float64)
        is_exact.loc[known.index] = True
    return pairs.assign(
        year=pairs["pubmed_id"].map(year).to_numpy(),
        exact=pairs["pubmed_id"].map(is_exact).to_numpy(dtype=bool),
    )


def fetch_candidates(links: pd.DataFrame, anchors: pd.DataFrame, per_gene: int = 3) -> list[int]:
    """The PMIDs whose exact year could change a gene's discovery year.

    Each gene's ``per_gene`` earliest candidate papers (after the mass-paper filter), by
    estimated year (ties by id), sorted unique; a gene linked only to mass papers contributes
    its ``per_gene`` earliest mass papers instead (they date it, see :func:`discovery_years`).
    ``links`` has columns entrez_id, pubmed_id (as ``ncbi.read_gene2pubmed`` returns);
    ``anchors`` as :func:`read_anchors` returns.
    """
    dated = _sorted_candidates(links, anchors, None, MASS_PAPER_GENES)
    specific = dated[~dated["mass"]]
    mass_only = dated[dated["mass"] & ~dated["entrez_id"].isin(specific["entrez_id"])]
    earliest = pd.concat(
        [
            specific.groupby("entrez_id", sort=False).head(per_gene),
            mass_only.groupby("entrez_id", sort=False).head(per_gene),
        ]
    )
    return sorted(int(pmid) for pmid in pd.unique(earliest["pubmed_id"]))


def _sorted_candidates(
    links: pd.DataFrame, anchors: pd.DataFrame, exact: pd.DataFrame | None, cutoff: int
) -> pd.DataFrame:
    """Dated links with a ``mass`` flag, sorted by gene, then non-mass first, year, PMID."""
    per_paper = genes_per_paper(links)
    dated = dated_links(links, anchors, exact)
    dated = dated[dated["year"].notna()].copy()
    dated["mass"] = dated["pubmed_id"].map(per_paper).gt(cutoff).to_numpy()
    return dated.sort_values(["entrez_id", "mass", "year", "pubmed_id"], kind="stable", ignore_index=True)


#: A gene's earliest paper counts only when another of its papers is dated within this many years
#: after it (a lone, much older paper is usually a mislink; measured effect in the README).
SUPPORT_YEARS = 3
#: ... but only while the skipped papers are at most this share of the gene's (non-mass) papers:
#: one stray paper is noise among hundreds, not among three.
MAX_SKIP_SHARE = 0.05


def discovery_years(
    links: pd.DataFrame,
    anchors: pd.DataFrame,
    exact: pd.DataFrame | None = None,
    *,
    cutoff: int = MASS_PAPER_GENES,
    support_years: int = SUPPORT_YEARS,
    max_skip_share: float = MAX_SKIP_SHARE,
    never_skip_after: int | None = None,
) -> pd.DataFrame:
    """Each gene's discovery year: its earliest supported publication.

    The rule, per gene (``links``: entrez_id, pubmed_id):

    1. Mass papers (linked to more than ``cutoff`` genes) are set aside.
    2. Each remaining paper is dated: the exact year from ``exact`` (pubmed_id, year) when
       listed, else the year estimated from ``anchors``.
    3. The discovery paper is the earliest one (ties: lower PMID) with another distinct paper
       dated no more than ``support_years`` after it, so a lone mislinked old paper is skipped,
       but at most a ``max_skip_share`` of the gene's papers are skipped this way (a gene needs
       20 papers before one may be skipped): past that, the next paper stands unsupported.
       Support never moves a gene past ``never_skip_after`` when it has a paper up to that
       year: then its latest paper up to that year is used (a gene with a paper before the age
       reference year never gets a negative age).
    4. A gene linked only to mass papers takes its earliest mass paper.

    Returns entrez_id, year (Int64), pubmed_id (Int64), exact (bool) and basis (``supported``,
    ``capped`` (step 3's cap), ``unsupported``, ``mass_only``), one row per gene with at least one dated link.
    """
    dated = _sorted_candidates(links, anchors, exact, cutoff)
    specific = dated[~dated["mass"]]
    by_gene = specific.groupby("entrez_id", sort=False)
    following = by_gene["year"].shift(-1)
    rank = by_gene.cumcount()
    # At most a ``max_skip_share`` of a gene's papers may be skipped for want of support.
    may_skip = rank < np.floor(max_skip_share * by_gene["year"].transform("size"))
    has_support = (following - specific["year"]) <= support_years
    accepted = specific[has_support | ~may_skip]
    chosen = accepted.groupby("entrez_id", sort=False).head(1)
    chosen = chosen.assign(basis=np.where(has_support[chosen.index], "supported", "unsupported"))
    if never_skip_after is not None:
        early = specific[specific["year"] <= never_skip_after].groupby("entrez_id", sort=False).tail(1)
        early = early.set_index("entrez_id")
        late = chosen["year"] > never_skip_after
        replace = late & chosen["entrez_id"].isin(early.index)
        if replace.any():
            substitute = early.loc[chosen.loc[replace, "entrez_id"]].reset_index().assign(basis="capped")
            substitute.index = chosen.index[replace]
            chosen.loc[replace] = substitute[chosen.columns]
    unsupported = specific[~specific["entrez_id"].isin(chosen["entrez_id"])]
    lone = unsupported.groupby("entrez_id", sort=False).head(1).assign(basis="unsupported")
    taken = pd.concat([chosen["entrez_id"], lone["entrez_id"]])
    mass_only = dated[~dated["entrez_id"].isin(taken)].groupby("entrez_id", sort=False).head(1)
    result = pd.concat([chosen, lone, mass_only.assign(basis="mass_only")], ignore_index=True)
    result = result.sort_values("entrez_id", ignore_index=True)
    return pd.DataFrame(
        {
            "entrez_id": result["entrez_id"].astype("int64"),
            "year": np.floor(result["year"].to_numpy(dtype=np.float64) + 0.5).astype("int64"),
            "pubmed_id": result["pubmed_id"].astype("int64"),
            "exact": result["exact"].astype(bool),
            "basis": result["basis"].astype(str),
        }
    ).astype({"year": "Int64", "pubmed_id": "Int64"})
