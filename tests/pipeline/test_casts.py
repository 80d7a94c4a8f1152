"""The built-in casts: the real scenarios file, our descriptions, family ranges and resolution by the one name rule."""

from __future__ import annotations

import json

import pytest

from pipeline.casts import (
    DESCRIPTIONS_FILE,
    SCENARIOS_FILE,
    CastDataError,
    CastSpec,
    RangeError,
    SideSpec,
    expand_ranges,
    read_descriptions,
    read_scenarios,
    resolve_cast,
    scenarios_file,
)
from pipeline.genes.names import NameTables, resolve_name

# The real approved symbols of the two families (HGNC): WNT16 lies outside WNT1..WNT11.
WNT_FAMILY = [
    "WNT1", "WNT10A", "WNT10B", "WNT11", "WNT16", "WNT2", "WNT2B", "WNT3", "WNT3A", "WNT4",
    "WNT5A", "WNT5B", "WNT6", "WNT7A", "WNT7B", "WNT8A", "WNT8B", "WNT9A", "WNT9B",
]  # fmt: skip
WNT1_TO_WNT11 = [
    "WNT1", "WNT2", "WNT2B", "WNT3", "WNT3A", "WNT4", "WNT5A", "WNT5B", "WNT6",
    "WNT7A", "WNT7B", "WNT8A", "WNT8B", "WNT9A", "WNT9B", "WNT10A", "WNT10B", "WNT11",
]  # fmt: skip
RSPO_FAMILY = ["RSPO1", "RSPO2", "RSPO3", "RSPO4"]

needs_scenarios = pytest.mark.skipif(not SCENARIOS_FILE.is_file(), reason=f"{SCENARIOS_FILE} not found")


def write_scenarios(tmp_path, scenarios: list) -> object:
    path = tmp_path / "scenarios.json"
    path.write_text(json.dumps({"about": "test", "scenarios": scenarios}))
    return path


def real_scenarios() -> list[dict]:
    return json.loads(SCENARIOS_FILE.read_text())["scenarios"]


@needs_scenarios
def test_reads_the_ten_real_scenarios_with_our_descriptions():
    casts = read_scenarios()
    raw = real_scenarios()
    assert [cast.id for cast in casts] == [entry["id"] for entry in raw]
    assert len(casts) == 10
    first = casts[0]
    assert first.id == "oncogene-induced-apoptosis"
    assert first.title == "Oncogene-induced apoptosis"
    assert first.sides[0] == SideSpec("restart division without consent", ("MYC", "HRAS", "MDM2", "BCL2"))
    assert first.sides[1] == SideSpec("self-destruct first", ("TP53", "BAX", "BBC3"))
    transit = next(cast for cast in casts if cast.id == "transit-amplifying-push")
    assert transit.sides[-1].names == ("WNT1..WNT11", "RSPO1..RSPO4")
    for cast, entry in zip(casts, raw, strict=True):
        # Our own words, never the file's paraphrase, and one paragraph of plain text.
        assert cast.description and cast.description != entry["summary"]
        assert "\n" not in cast.description and "  " not in cast.description
        assert entry["summary"] not in cast.description


def test_every_description_has_a_scenario():
    if SCENARIOS_FILE.is_file():
        assert set(read_descriptions()) == {entry["id"] for entry in real_scenarios()}
    else:
        assert len(read_descriptions()) == 10


def test_the_environment_names_another_file(tmp_path, monkeypatch):
    path = write_scenarios(tmp_path, [])
    monkeypatch.setenv("ICONOPLASM_CASTS", str(path))
    assert scenarios_file() == path
    assert read_scenarios() == []
    monkeypatch.delenv("ICONOPLASM_CASTS")
    assert scenarios_file() == SCENARIOS_FILE


def test_a_missing_file_says_where_to_point(tmp_path):
    with pytest.raises(CastDataError, match="ICONOPLASM_CASTS"):
        read_scenarios(tmp_path / "nowhere.json")


def test_malformed_json_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"scenarios": [')
    with pytest.raises(CastDataError, match="not valid JSON"):
        read_scenarios(path)


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ({"title": "T", "sides": [{"name": "a", "genes": ["TP53"]}]}, "scenario 1: missing or invalid 'id'"),
        ({"id": "weismann-barrier", "sides": [{"name": "a", "genes": ["TP53"]}]}, "missing or invalid 'title'"),
        ({"id": "weismann-barrier", "title": "T"}, "missing or invalid 'sides'"),
        ({"id": "weismann-barrier", "title": "T", "sides": []}, "no sides"),
        ({"id": "weismann-barrier", "title": "T", "sides": [{"genes": ["TP53"]}]}, "side 1: missing or invalid 'name'"),
        ({"id": "weismann-barrier", "title": "T", "sides": [{"name": "a", "genes": [3]}]}, "list of names"),
        ({"id": "no-such-scenario", "title": "T", "sides": [{"name": "a", "genes": ["TP53"]}]}, "no description"),
    ],
)
def test_a_scenario_missing_a_field_is_named(tmp_path, scenario, message):
    with pytest.raises(CastDataError, match=message):
        read_scenarios(write_scenarios(tmp_path, [scenario]))


def test_descriptions_must_be_valid_toml(tmp_path):
    broken = tmp_path / "casts.toml"
    broken.write_text("[descriptions]\nweismann-barrier = ")
    scenario = {"id": "weismann-barrier", "title": "T", "sides": [{"name": "a", "genes": ["TP53"]}]}
    with pytest.raises(CastDataError, match="not valid TOML"):
        read_scenarios(write_scenarios(tmp_path, [scenario]), descriptions_path=broken)
    assert DESCRIPTIONS_FILE.is_file()


def test_a_range_is_every_family_member_in_it_in_natural_order():
    approved = [*WNT_FAMILY, *RSPO_FAMILY, "TP53", "WNT2-AS1"]
    assert expand_ranges("WNT1..WNT11", approved) == WNT1_TO_WNT11
    assert expand_ranges("RSPO1..RSPO4", approved) == RSPO_FAMILY
    assert expand_ranges("RSPO2..RSPO3", approved) == ["RSPO2", "RSPO3"]
    assert expand_ranges("wnt5..wnt6", approved) == ["WNT5A", "WNT5B", "WNT6"]
    assert expand_ranges("WNT1..WNT3", approved) == ["WNT1", "WNT2", "WNT2B", "WNT3", "WNT3A"]
    assert expand_ranges("WNT3A..WNT5A", approved) == ["WNT3A", "WNT4", "WNT5A"]
    assert expand_ranges("WNT2B..WNT2B", approved) == ["WNT2B"]
    assert expand_ranges("WNT12..WNT15", approved) == []


def test_a_plain_name_passes_through():
    assert expand_ranges("TP53", []) == ["TP53"]
    assert expand_ranges("HLA-A", WNT_FAMILY) == ["HLA-A"]


@pytest.mark.parametrize("bad", ["WNT1..RSPO4", "WNT11..WNT1", "WNT3B..WNT3A", "WNT..WNT11", "..WNT3", "WNT1.."])
def test_a_malformed_range_is_an_error(bad):
    with pytest.raises(RangeError, match="WNT"):
        expand_ranges(bad, WNT_FAMILY)


def test_resolution_keeps_order_once_per_side_and_reports_what_failed():
    tables = NameTables.from_genes([("TP53", [], ["p53"]), ("MDM2", [], []), *((s, [], []) for s in WNT_FAMILY)])

    def resolve(name: str) -> str | None:
        found = resolve_name(name, tables)
        return None if found is None else found.symbol

    spec = CastSpec(
        "test",
        "Test",
        "A test cast.",
        (
            SideSpec("guards", ("p53", "MDM2", "TP53", "NOTAGENE")),
            SideSpec("signals", ("WNT9A..WNT11", "WNT20..WNT30", "WNT10A")),
        ),
    )
    resolved = resolve_cast(spec, resolve, ["TP53", "MDM2", *WNT_FAMILY])
    assert [side.symbols for side in resolved.sides] == [
        ("TP53", "MDM2"),
        ("WNT9A", "WNT9B", "WNT10A", "WNT10B", "WNT11"),
    ]
    assert resolved.unresolved == [("guards", "NOTAGENE"), ("signals", "WNT20..WNT30")]
    assert resolved.symbols == ["TP53", "MDM2", "WNT9A", "WNT9B", "WNT10A", "WNT10B", "WNT11"]


@needs_scenarios
def test_every_real_scenario_resolves_over_the_real_gene_table(real_gene_table):
    table = real_gene_table.table
    tables = NameTables.from_genes(zip(table["symbol"], table["prev_symbols"], table["aliases"], strict=True))

    def resolve(name: str) -> str | None:
        found = resolve_name(name, tables)
        return None if found is None else found.symbol

    approved = list(table["symbol"])
    resolved = {cast.id: resolve_cast(cast, resolve, approved) for cast in read_scenarios()}
    assert all(not cast.unresolved for cast in resolved.values())
    niche = resolved["transit-amplifying-push"].sides[-1]
    assert niche.symbols == (*WNT1_TO_WNT11, *RSPO_FAMILY)
    enemies = resolved["transmissible-cancer"].sides[2]
    assert enemies.symbols[:3] == ("HLA-A", "HLA-B", "HLA-C")
    # Every name written in a scenario is kept, each once per side.
    for cast in read_scenarios():
        for spec_side, side in zip(cast.sides, resolved[cast.id].sides, strict=True):
            plain = [name for name in spec_side.names if ".." not in name]
            assert set(plain) <= set(side.symbols)
            assert len(side.symbols) == len(set(side.symbols))
