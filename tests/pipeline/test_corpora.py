"""Reading PubTator corpora and learning spellings from them (pipeline/corpora.py)."""

from __future__ import annotations

import pytest

from pipeline.corpora import learn_spellings, read_pubtator

# Three made-up abstracts in PubTator form: Nrf2 annotated as NFE2L2 twice, "Mig" once, "SET"
# annotated once but written unannotated three times, and a family name.
PUBTATOR = """1|t|Nrf2 in liver.
1|a|Nrf2 and SET bind.
1\t0\t4\tNrf2\tGene\t4780
1\t15\t19\tNrf2\tGene\t4780
1\t24\t27\tSET\tGene\t6418

2|t|Nrf2 again.
2|a|Mig rises; SET the dose; SET aside; SET up.
2\t0\t4\tNrf2\tGene\t4780(Tax:9606)
2\t12\t15\tMig\tGene\t4283

3|t|Kinases.
3|a|The MAPK family.
3\t13\t17\tMAPK\tFamilyName\t5594;5595
"""
SYMBOLS = {"4780": "NFE2L2", "4283": "CXCL9", "6418": "SETMAR", "5594": "MAPK1", "5595": "MAPK3"}


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.PubTator"
    path.write_text(PUBTATOR)
    return path


def test_reads_documents_annotations_and_ids(corpus):
    documents = read_pubtator(corpus)
    assert [d.pmid for d in documents] == ["1", "2", "3"]
    first = documents[0]
    assert first.text == "Nrf2 in liver. Nrf2 and SET bind."
    assert [(a.text, first.text[a.start : a.end]) for a in first.annotations] == [("Nrf2", "Nrf2")] * 2 + [
        ("SET", "SET")
    ]
    assert documents[1].annotations[0].ids == ["4780"], "the species suffix is dropped"
    assert documents[2].annotations[0].ids == ["5594", "5595"]


def test_learns_a_spelling_seen_in_two_abstracts_that_nearly_always_means_its_gene(corpus):
    learnt = learn_spellings(read_pubtator(corpus), SYMBOLS)
    # Mig: one abstract only; SET: unannotated in 3 of its 4 appearances; MAPK: a family.
    assert learnt == {"Nrf2": "NFE2L2"}
    assert learn_spellings(read_pubtator(corpus), SYMBOLS, min_documents=1) == {"Mig": "CXCL9", "Nrf2": "NFE2L2"}


def test_a_block_without_title_and_abstract_is_refused_by_name(tmp_path):
    path = tmp_path / "broken.PubTator"
    path.write_text("1\t0\t4\tNrf2\tGene\t4780\n")
    with pytest.raises(ValueError, match=r"broken\.PubTator: a block does not start with title and abstract"):
        read_pubtator(path)
