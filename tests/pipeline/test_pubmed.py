"""PMID -> year estimation from dated anchors, its leave-one-out error, and the gene discovery rule."""

import numpy as np
import pandas as pd
import pytest

from pipeline.sources import ncbi, pubmed
from tests.fixture_sources import MASS_PAPERS


def anchors(pairs, source="pubmedxml"):
    frame = pd.DataFrame(pairs, columns=["pubmed_id", "year"]).assign(source=source)
    return frame.sort_values("pubmed_id", ignore_index=True)


#: PMID 1000 + 100 * i is dated 1970 + i (i = 0..50).
LINEAR = anchors([(1000 + 100 * i, 1970 + i) for i in range(51)])


def links(pairs):
    return pd.DataFrame(pairs, columns=["entrez_id", "pubmed_id"])


def test_read_anchors_sorts_dedupes_and_can_drop_weak_sources(fixture_sources):
    path = fixture_sources / "pubmed_anchors/pmid_year_anchors.tsv"
    every = pubmed.read_anchors(path)
    assert list(every.columns) == ["pubmed_id", "year", "source"]
    assert every["pubmed_id"].is_monotonic_increasing and every["pubmed_id"].is_unique
    assert "knowledge" in set(every["source"])
    strong = pubmed.read_anchors(path, weak=False)
    assert not set(strong["source"]) & set(pubmed.WEAK_ANCHOR_SOURCES)
    assert len(strong) == len(every) - 1


def test_estimate_is_the_median_of_the_nearest_dated_ids():
    estimate = pubmed.estimate_years(np.array([1000, 2050, 3510, 999_999, 1]), LINEAR, k=5)
    assert estimate.tolist() == [1972, 1980, 1995, 2018, 1972]
    # An outlier among the neighbours does not move the median.
    noisy = anchors([(100, 1990), (200, 1990), (300, 1950), (400, 1990), (500, 1990)])
    assert pubmed.estimate_years([310], noisy, k=5).tolist() == [1990]
    assert np.isnan(pubmed.estimate_years([5], pubmed.no_anchors())).all()


def test_leave_one_out_never_grades_an_anchor_with_itself():
    # Perfectly linear anchors: every left-out id sits between neighbours of its own year +-1.
    result = pubmed.leave_one_out(LINEAR, k=2).set_index("era")
    assert list(result.index) == ["<1975", "1975-84", "1985-92", "1993-2004", "2005+", "all"]
    assert result.loc["all", "n"] == 51
    assert result.loc["1985-92", "within_1"] == 1.0
    assert result.loc["1985-92", "mae"] == 0.0
    # A lone anchor far from its neighbours' years is estimated from them, not from itself.
    odd = anchors([(100, 2000), (200, 2000), (300, 1960), (400, 2000), (500, 2000)])
    row = pubmed.leave_one_out(odd, k=4).set_index("era").loc["<1975"]
    assert (row["n"], row["within_1"], row["mae"]) == (1, 0.0, 40.0)


def test_leave_one_out_can_evaluate_strong_anchors_only():
    weak = anchors([(1150, 1971)], source="knowledge")
    both = pd.concat([LINEAR, weak]).sort_values("pubmed_id", ignore_index=True)
    result = pubmed.leave_one_out(both, k=2, evaluate=LINEAR).set_index("era")
    assert result.loc["all", "n"] == len(LINEAR)


def test_mass_papers_never_date_a_gene():
    # Paper 1000 (~1970) links 101 genes: ignored; gene 1 dates from 3000/3010 (~1990).
    mass = [(100 + i, 1000) for i in range(100)]
    found = pubmed.discovery_years(links([(1, 1000), (1, 3000), (1, 3010), *mass]), LINEAR, cutoff=100)
    gene = found.set_index("entrez_id").loc[1]
    assert (gene["year"], gene["pubmed_id"], gene["basis"]) == (1990, 3000, "supported")
    # A gene known only from mass papers takes the earliest of them.
    assert found.set_index("entrez_id").loc[100, "basis"] == "mass_only"
    assert pubmed.genes_per_paper(links(mass)).loc[1000] == 100


def test_a_lone_old_paper_is_skipped_only_among_many():
    many = [(1, 2000), *((1, pmid) for pmid in range(4000, 4200, 10))]  # a stray 1980 paper, 20 papers from 2000
    few = [(2, 2000), (2, 4000), (2, 4010)]  # only three papers: the stray one cannot be told from a first one
    found = pubmed.discovery_years(links(many + few), LINEAR).set_index("entrez_id")
    assert (found.loc[1, "year"], found.loc[1, "pubmed_id"], found.loc[1, "basis"]) == (2000, 4000, "supported")
    assert (found.loc[2, "year"], found.loc[2, "pubmed_id"], found.loc[2, "basis"]) == (1980, 2000, "unsupported")
    # Without the share limit the gene with three papers loses its first one too.
    loose = pubmed.discovery_years(links(few), LINEAR, max_skip_share=1.0).set_index("entrez_id")
    assert (loose.loc[2, "year"], loose.loc[2, "basis"]) == (2000, "supported")
    # Papers that support each other are kept.
    close = pubmed.discovery_years(links([(3, 2000), (3, 2200), *many[1:]]), LINEAR).set_index("entrez_id")
    assert close.loc[3, "year"] == 1980


def test_exact_years_beat_estimates():
    exact = pd.DataFrame({"pubmed_id": [3000], "year": [1987]})
    found = pubmed.discovery_years(links([(1, 3000), (1, 3010)]), LINEAR, exact).set_index("entrez_id")
    assert (found.loc[1, "year"], bool(found.loc[1, "exact"])) == (1987, True)
    # Exact years alone (no anchors) still date their own papers.
    alone = pubmed.discovery_years(links([(1, 3000), (1, 3010)]), pubmed.no_anchors(), exact)
    assert alone["year"].tolist() == [1987]


def test_support_never_gives_a_published_gene_a_negative_age():
    # 2015 (lone), then a supported pair in 2021: the gene had a paper by 2020.
    found = pubmed.discovery_years(
        links([(1, 5500), *((1, pmid) for pmid in range(6100, 6300, 10))]),
        anchors([(1000 + 100 * i, 1970 + i) for i in range(56)]),
        never_skip_after=2020,
    ).set_index("entrez_id")
    assert found.loc[1, "year"] <= 2020 and found.loc[1, "basis"] == "capped"


def test_fetch_candidates_are_each_genes_earliest_papers(fixture_sources):
    gene_links = ncbi.read_gene2pubmed(fixture_sources / "ncbi_gene_orgHs/gene2pubmed.tsv.gz")
    candidates = pubmed.fetch_candidates(
        gene_links, pubmed.read_anchors(fixture_sources / "pubmed_anchors/pmid_year_anchors.tsv"), per_gene=2
    )
    assert candidates == sorted(set(candidates))
    assert {1005, 2000, 4500, 4510} <= set(candidates)  # TP53's and LAIR1's two earliest non-mass papers
    assert 2010 not in candidates  # TP53's third paper
    assert set(MASS_PAPERS) <= set(candidates)  # the fillers and NEWG1 have only mass papers
    # A mass paper is no candidate for a gene with other papers.
    own = [(100 + i, 5000 + i) for i in range(101)]
    mass = [(100 + i, 1000) for i in range(101)]
    assert pubmed.fetch_candidates(links([(1, 1000), (1, 3000), *own]), LINEAR, per_gene=2)[:2] == [1000, 3000]
    assert 1000 not in pubmed.fetch_candidates(links([(1, 1000), (1, 3000), *own, *mass]), LINEAR, per_gene=1)


@pytest.mark.real_sources
def test_real_anchors_leave_one_out_accuracy():
    from tests.real_sources import REAL_SOURCES

    real = pubmed.read_anchors(REAL_SOURCES / "pubmed_anchors/pmid_year_anchors.tsv")
    result = pubmed.leave_one_out(real).set_index("era")
    assert result.loc["2005+", "within_1"] > 0.99
    assert result.loc["1993-2004", "within_1"] > 0.9
