"""The name rule (pipeline/genes/names.py) on the shared cases, and the command line's use of it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import UnknownNameError
from pipeline.genes.names import NameTables, Resolution, UnknownGeneError, resolve_name, resolve_symbols

FIXTURE = json.loads((Path(__file__).parent.parent / "fixtures" / "name_resolution.json").read_text())
CASES = [pytest.param(case["name"], case["expect"], id=case["name"]) for case in FIXTURE["cases"]]
TABLES = NameTables.from_genes((g["symbol"], g["previous_symbols"], g["aliases"]) for g in FIXTURE["genes"])


def genes_frame(as_arrays: bool = False) -> pd.DataFrame:
    """The fixture genes as the gene table has them; parquet reads list columns back as arrays."""
    wrap = np.array if as_arrays else list
    return pd.DataFrame(
        {
            "symbol": [g["symbol"] for g in FIXTURE["genes"]],
            "prev_symbols": [wrap(g["previous_symbols"]) for g in FIXTURE["genes"]],
            "aliases": [wrap(g["aliases"]) for g in FIXTURE["genes"]],
        }
    )


@pytest.mark.parametrize(("name", "expect"), CASES)
def test_the_rule_gives_every_shared_case_its_answer(name, expect):
    expected = None if expect is None else Resolution(expect["symbol"], expect["matched_by"])
    assert resolve_name(name, TABLES) == expected


def test_the_fixture_exercises_every_tier_and_every_tie_break():
    answers = {case["expect"]["matched_by"] if case["expect"] else None for case in FIXTURE["cases"]}
    assert answers == {"symbol", "previous", "alias", None}
    # The two deliberate tie-breaks, stated on the tables themselves so the fixture cannot drift from them.
    assert TABLES.previous["MIX1"] == {"CCC3"} and TABLES.aliases["MIX1"] == {"DDD4"}
    assert len(TABLES.previous["DUP1"]) == 2 and TABLES.aliases["DUP1"] == {"EEE5"}


def test_partial_tables_holding_only_the_name_give_the_same_answer():
    # The site loads only the rows for the name it resolves.
    for case in FIXTURE["cases"]:
        name = case["name"]
        partial = NameTables(
            symbols=frozenset({name} & TABLES.symbols),
            previous={name: TABLES.previous[name]} if name in TABLES.previous else {},
            aliases={name: TABLES.aliases[name]} if name in TABLES.aliases else {},
        )
        assert resolve_name(name, partial) == resolve_name(name, TABLES), name


def test_tables_treat_a_missing_list_as_empty():
    tables = NameTables.from_genes([("AAA1", None, ["X1"]), ("BBB2", ["X1"], None)])
    assert tables.symbols == {"AAA1", "BBB2"}
    assert resolve_name("X1", tables) == Resolution("BBB2", "previous")


@pytest.mark.parametrize("as_arrays", [False, True], ids=["lists", "arrays"])
def test_command_line_resolves_the_shared_cases_over_the_gene_table(as_arrays):
    resolvable = [case for case in FIXTURE["cases"] if case["expect"]]
    names = [case["name"] for case in resolvable]
    expected = list(dict.fromkeys(case["expect"]["symbol"] for case in resolvable))
    assert resolve_symbols(names, genes_frame(as_arrays)) == expected


def test_command_line_names_every_unknown_and_ambiguous_name_at_once():
    bad = [case["name"] for case in FIXTURE["cases"] if case["expect"] is None]
    with pytest.raises(UnknownGeneError) as raised:
        resolve_symbols(["AAA1", *bad], genes_frame())
    message = str(raised.value)
    assert isinstance(raised.value, UnknownNameError)
    assert message.startswith("unknown gene symbol(s): aaa1, NOPE9; ambiguous gene name(s): ")
    assert "DUP1 (previous symbol of AAA1 or BBB2)" in message
    assert "TWIN1 (alias of AAA1 or BBB2)" in message
    assert all(name in message for name in bad)


def test_command_line_keeps_order_and_drops_repeats():
    assert resolve_symbols(["ALT1", "DDD4", "PRV1", "BOTH1"], genes_frame()) == ["DDD4", "CCC3"]
