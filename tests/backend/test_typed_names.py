"""A name a person typed → its gene (issue 12, defect 10): ``find_typed_gene``, the one lookup the gene
page, search and the card API share. ``find_gene``'s exact rule first, then the name in another case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.genes.selectors import find_typed_gene

from .factories import make_gene

pytestmark = pytest.mark.django_db


def answer(name: str):
    found = find_typed_gene(name)
    return None if found is None else (found[0].symbol, found[1])


def test_exact_names_keep_find_gene_s_answer():
    make_gene("TP53", aliases=["p53"])
    make_gene("P53X", aliases=["P53"])  # P53 (another case of p53) is another gene's alias
    assert answer("TP53") == ("TP53", "symbol")
    assert answer("p53") == ("TP53", "alias")  # as written first, not P53's gene
    assert answer("P53") == ("P53X", "alias")
    assert answer("  TP53 ") == ("TP53", "symbol")


def test_another_case_of_a_symbol_previous_symbol_or_alias():
    make_gene("TP53")
    make_gene("C1orf112")
    make_gene("NEWG1", previous=["OLDG1"])
    make_gene("KRAS", aliases=["Ki-Ras"])
    assert answer("tp53") == ("TP53", "symbol_case")
    assert answer("c1ORF112") == ("C1orf112", "symbol_case")
    assert answer("oldg1") == ("NEWG1", "previous_case")
    assert answer("KI-RAS") == ("KRAS", "alias_case")


def test_a_symbol_in_another_case_beats_another_gene_s_alias():
    make_gene("ABC1")
    make_gene("XYZ9", aliases=["Abc1x", "abc1"])
    assert answer("Abc1") == ("ABC1", "symbol_case")


def test_ambiguous_or_unknown_names_are_none():
    make_gene("AAA1", aliases=["Shared"])
    make_gene("BBB2", aliases=["SHARED"])
    make_gene("CCC3", previous=["Old"])
    make_gene("DDD4", previous=["OLD"], aliases=["old"])
    assert answer("shared") is None  # the alias of two genes, in other cases
    assert answer("oLd") is None  # the previous symbol of two genes: it decides, as none (not DDD4's alias)
    assert answer("nothing") is None
    assert answer("   ") is None


def test_exact_symbols_take_two_queries_and_other_cases_two_more():
    make_gene("TP53")
    with CaptureQueriesContext(connection) as exact:
        assert answer("TP53") == ("TP53", "symbol")
    with CaptureQueriesContext(connection) as other_case:
        assert answer("Tp53") == ("TP53", "symbol_case")
    assert len(exact) == 2 and len(other_case) == 3  # a symbol in another case needs no GeneName query
