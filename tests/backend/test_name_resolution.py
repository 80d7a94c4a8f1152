"""The site names the gene the shared rule names (tests/fixtures/name_resolution.json): ``find_gene``
over database rows, and the extension over the lexicon the site builds from the same rows."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from backend.genes.lexicon import build_lexicon
from backend.genes.selectors import find_gene
from pipeline.genes.names import NameTables, Resolution, resolve_name
from pipeline.paths import REPO_ROOT

from .factories import make_gene

FIXTURE = json.loads((REPO_ROOT / "tests" / "fixtures" / "name_resolution.json").read_text())
CASES = [pytest.param(case["name"], case["expect"], id=case["name"]) for case in FIXTURE["cases"]]
EXTENSION_TEST = REPO_ROOT / "extension" / "test" / "name_resolution.test.js"


def expected(expect: dict | None) -> Resolution | None:
    return None if expect is None else Resolution(expect["symbol"], expect["matched_by"])


@pytest.fixture
def fixture_genes(db):
    for gene in FIXTURE["genes"]:
        make_gene(gene["symbol"], aliases=gene["aliases"], previous=gene["previous_symbols"])


@pytest.mark.parametrize(("name", "expect"), CASES)
def test_find_gene_gives_every_shared_case_its_answer(fixture_genes, name, expect):
    found = find_gene(name)
    assert (None if found is None else Resolution(found[0].symbol, found[1])) == expected(expect)


def test_find_gene_takes_two_queries_whatever_the_name(fixture_genes, django_assert_num_queries):
    for name in ("AAA1", "MIX1", "DUP1", "ALT1", "NOPE9"):
        with django_assert_num_queries(2):
            find_gene(name)


def test_the_site_lexicon_carries_the_names_the_rule_reads(fixture_genes):
    body = json.loads(build_lexicon().body)
    fields = body["fields"]
    rows = [dict(zip(fields, row, strict=True)) for row in body["genes"]]
    tables = NameTables.from_genes((row["symbol"], row["previous_symbols"], row["aliases"]) for row in rows)
    for case in FIXTURE["cases"]:
        assert resolve_name(case["name"], tables) == expected(case["expect"]), case["name"]


def test_the_extension_resolves_the_site_lexicon_as_the_rule_does(fixture_genes, tmp_path):
    node = shutil.which("node")
    assert node, "the extension's checks need Node.js (./dev test installs the tools it uses)"
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_bytes(build_lexicon().body)
    result = subprocess.run(
        [node, "--test", str(EXTENSION_TEST)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ICONOPLASM_TEST_LEXICON": str(lexicon)},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # The file really read the site's lexicon and ran every case (a run that finds no tests also exits 0).
    assert "the lexicon (the site's)" in result.stdout
    assert f"# pass {1 + 2 * len(FIXTURE['cases'])}" in result.stdout
