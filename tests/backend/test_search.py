"""The search page: a gene's name in any case opens it; otherwise suggestions from publication spellings,
symbol prefixes and gene names (issue 12, defect 10); nothing at all is a 404."""

from __future__ import annotations

import pytest

from backend.genes.selectors import suggest_genes
from pipeline.genes.names import publication_spellings

from .factories import make_gene

pytestmark = pytest.mark.django_db


@pytest.fixture
def genes():
    make_gene("INS", name="insulin")
    make_gene("INSR", name="insulin receptor")
    make_gene("IGF1", name="insulin like growth factor 1")
    make_gene("TTN", name="titin")
    make_gene("BRCA1", name="BRCA1 DNA repair associated")
    make_gene("BRCA2", name="BRCA2 DNA repair associated")
    make_gene("TNF", name="tumor necrosis factor", aliases=["TNFA", "DIF"])
    make_gene("IL6", name="interleukin 6")
    make_gene("TP53", name="tumor protein p53", aliases=["p53"])


def suggested(query: str) -> list[tuple[str, str]]:
    return [(s.gene.symbol, s.reason) for s in suggest_genes(query)]


@pytest.mark.parametrize(
    "name, spellings",
    [
        ("TNF-α", ["TNF-A", "TNFA"]),
        ("TNF\u2013α", ["TNF-A", "TNFA"]),  # an en dash
        ("TNFalpha", ["TNFA"]),
        ("HIF-1alpha", ["HIF-1A", "HIF1A"]),
        ("TGF-β1", ["TGF-B1", "TGFB1"]),
        ("IL-6", ["IL6"]),
        ("NF-κB", ["NF-KB"]),
        ("B-52", []),  # a one-letter stem keeps its dash
        ("alphabet", []),  # no capital: not respelt
        ("TP53", []),
    ],
)
def test_publication_spellings_follow_the_extension_s_rules(name, spellings):
    assert publication_spellings(name) == spellings


def test_suggestions_by_name_prefix_and_spelling(genes):
    assert suggested("insulin") == [("INS", "name"), ("INSR", "name"), ("IGF1", "name")]
    assert suggested("titin") == [("TTN", "name")]
    assert suggested("BRCA") == [("BRCA1", "prefix"), ("BRCA2", "prefix")]
    assert suggested("brc")[:2] == [("BRCA1", "prefix"), ("BRCA2", "prefix")]
    assert suggested("TNF-α")[0] == ("TNF", "spelling")
    assert suggested("tnf-α")[0] == ("TNF", "spelling")  # the search box ignores case
    assert suggested("insulin receptor") == [("INSR", "name")]  # every word
    assert suggested("zzzz") == []


def test_suggestions_are_limited_and_take_few_queries(db, django_assert_max_num_queries):
    for i in range(30):
        make_gene(f"KIF{i + 1}", name=f"kinesin family member {i + 1}")
    with django_assert_max_num_queries(2):
        found = suggest_genes("KIF")
    assert len(found) == 20 and found[0].gene.symbol == "KIF1"
    with django_assert_max_num_queries(2):
        assert len(suggest_genes("kinesin")) == 20
    with django_assert_max_num_queries(10):  # two spellings (KIF-A, KIFA), four queries each at most
        suggest_genes("KIF-α")


def test_search_page_lists_suggestions(client, genes):
    for query, first in (("insulin", "INS"), ("titin", "TTN"), ("BRCA", "BRCA1"), ("TNF-α", "TNF")):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query
        page = response.content.decode()
        assert 'id="suggestions"' in page and f'href="/genes/{first}/"' in page, query
    page = client.get("/search/", {"q": "BRCA"}).content.decode()
    assert 'href="/genes/BRCA2/"' in page and "symbol starts with" in page


def test_search_still_opens_exact_names_in_any_case(client, genes):
    assert client.get("/search/", {"q": "tp53"})["Location"] == "/genes/TP53/"
    assert client.get("/search/", {"q": "P53"})["Location"] == "/genes/TP53/"  # TP53's alias in another case
    assert client.get("/search/", {"q": "tnfa"})["Location"] == "/genes/TNF/"


def test_search_with_nothing_found_is_a_404_with_the_message(client, genes):
    response = client.get("/search/", {"q": "qqqqzz"})
    assert response.status_code == 404
    assert "No gene is called “qqqqzz”" in response.content.decode()
    assert client.get("/search/").status_code == 200
