"""The age on a card says where its year comes from, in words, with a link to the paper."""

from __future__ import annotations

import pytest

from backend.portraits.cards import discovery_text, discovery_url, trait_origins
from pipeline.records import DiscoveryYearSource

from .factories import make_gene

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("source", "year", "pmid", "text", "url"),
    [
        (
            DiscoveryYearSource.PUBMED,
            1989,
            2475911,
            "first described 1989 (PMID 2475911)",
            "https://pubmed.ncbi.nlm.nih.gov/2475911/",
        ),
        (
            DiscoveryYearSource.PUBMED_ESTIMATED,
            1993,
            8125298,
            "first described ~1993 (PMID 8125298, year estimated from the id)",
            "https://pubmed.ncbi.nlm.nih.gov/8125298/",
        ),
        (DiscoveryYearSource.HGNC_APPROVAL, 2001, None, "no dated publication found: named by HGNC in 2001", None),
        (
            DiscoveryYearSource.HGNC_APPROVAL_FLOOR,
            1986,
            None,
            "no dated publication found: named by HGNC before 1986 (read as 1986)",
            None,
        ),
        (DiscoveryYearSource.MISSING, None, None, "no dated publication and no HGNC date: year unknown", None),
    ],
)
def test_the_age_names_its_source(source, year, pmid, text, url):
    gene = make_gene(
        discovery_year_source=source.value,
        discovery_year=year,
        discovery_pmid=pmid,
        age=None if year is None else 2020 - year,
    )
    assert (discovery_text(gene), discovery_url(gene)) == (text, url)
    [age] = [trait for trait in trait_origins(gene) if trait["trait"] == "age"]
    assert age == {"trait": "age", "value": gene.age, "origin": text, "url": url}
    assert "first noted" not in age["origin"]
