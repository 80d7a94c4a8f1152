"""`manage.py load_casts` on the real scenarios file, over genes taken from the real gene table."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from backend.casts.models import Cast, CastMember, CastSide
from backend.casts.services import create_cast
from backend.genes.models import Gene
from pipeline.casts import SCENARIOS_FILE, SideSpec, read_scenarios

from .factories import make_gene, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SCENARIOS_FILE.is_file(), reason=f"{SCENARIOS_FILE} not found"),
]

WNT1_TO_WNT11 = [
    "WNT1", "WNT2", "WNT2B", "WNT3", "WNT3A", "WNT4", "WNT5A", "WNT5B", "WNT6",
    "WNT7A", "WNT7B", "WNT8A", "WNT8B", "WNT9A", "WNT9B", "WNT10A", "WNT10B", "WNT11",
]  # fmt: skip
FAMILY = re.compile(r"(WNT|RSPO)\d+[A-Z]?")


def names(value) -> list[str]:
    return [] if value is None else [str(name) for name in value]


@pytest.fixture
def scenario_genes(real_gene_table):
    """Every gene the scenarios name, and the whole WNT and RSPO families (WNT16 too), as the real table has them."""
    named = {name for cast in read_scenarios() for side in cast.sides for name in side.names if ".." not in name}
    table = real_gene_table.table
    rows = table[table["symbol"].isin(named) | table["symbol"].str.fullmatch(FAMILY)]
    for row in rows.itertuples():
        make_gene(
            row.symbol, name=row.name, hgnc_id=row.hgnc_id, aliases=names(row.aliases), previous=names(row.prev_symbols)
        )
    return set(rows["symbol"])


def load(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_casts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[tuple]:
    """Every cast row, side and member, with ids, to compare two loads."""
    return [
        *Cast.objects.values_list("id", "slug", "title", "description", "builtin", "public", "owner_id"),
        *CastSide.objects.values_list("id", "cast__slug", "position", "name"),
        *CastMember.objects.values_list("id", "side_id", "gene__symbol", "position"),
    ]


def side_symbols(slug: str) -> list[tuple[str, list[str]]]:
    return [
        (side.name, [member.gene.symbol for member in side.members.select_related("gene")])
        for side in Cast.objects.get(slug=slug).sides.all()
    ]


def test_loads_the_ten_scenarios_as_builtin_casts(scenario_genes):
    out, err = load()
    assert "10 created, 0 updated, 0 unchanged" in out and "0 unresolved" in out and err == ""
    assert Cast.objects.filter(builtin=True, public=True, owner=None).count() == 10
    specs = read_scenarios()
    assert sorted(Cast.objects.values_list("slug", flat=True)) == sorted(spec.id for spec in specs)
    apoptosis = Cast.objects.get(slug="oncogene-induced-apoptosis")
    assert apoptosis.title == "Oncogene-induced apoptosis"
    assert apoptosis.description == specs[0].description and "p53" in apoptosis.description
    assert side_symbols("oncogene-induced-apoptosis") == [
        ("restart division without consent", ["MYC", "HRAS", "MDM2", "BCL2"]),
        ("self-destruct first", ["TP53", "BAX", "BBC3"]),
    ]
    for spec in specs:  # every name in the data is a gene of its side, in order
        for side, (name, symbols) in zip(spec.sides, side_symbols(spec.id), strict=True):
            assert name == side.name
            if not any(".." in written for written in side.names):
                assert symbols == list(side.names)


def test_family_ranges_expand_to_the_real_approved_symbols(scenario_genes):
    assert "WNT16" in scenario_genes
    load()
    borders = side_symbols("transit-amplifying-push")[-1]
    assert borders == ("draw the niche's borders", [*WNT1_TO_WNT11, "RSPO1", "RSPO2", "RSPO3", "RSPO4"])


def test_loading_again_changes_nothing(scenario_genes):
    load()
    before = snapshot()
    stamps = dict(Cast.objects.values_list("slug", "updated_at"))
    out, _ = load()
    assert "0 created, 0 updated, 10 unchanged" in out
    assert snapshot() == before
    assert dict(Cast.objects.values_list("slug", "updated_at")) == stamps


def test_edits_to_the_data_update_the_rows_without_duplicates(scenario_genes, tmp_path):
    load()
    data = json.loads(SCENARIOS_FILE.read_text())
    erythrocyte = next(entry for entry in data["scenarios"] if entry["id"] == "erythrocyte-enucleation")
    erythrocyte["title"] = "Enucleation, revised"
    erythrocyte["sides"] = [
        {"name": "eject the nucleus", "genes": ["GATA1"]},
        {"name": "hold on", "genes": ["MYC", "MDM2"]},
    ]
    edited = tmp_path / "scenarios.json"
    edited.write_text(json.dumps(data))
    untouched_ids = list(Cast.objects.get(slug="weismann-barrier").sides.values_list("id", flat=True))
    out, _ = load("--file", str(edited))
    assert "0 created, 1 updated, 9 unchanged" in out
    assert Cast.objects.get(slug="erythrocyte-enucleation").title == "Enucleation, revised"
    assert side_symbols("erythrocyte-enucleation") == [("eject the nucleus", ["GATA1"]), ("hold on", ["MYC", "MDM2"])]
    assert Cast.objects.count() == 10
    assert list(Cast.objects.get(slug="weismann-barrier").sides.values_list("id", flat=True)) == untouched_ids


def test_user_casts_are_left_alone(scenario_genes):
    owner = make_user()
    mine = create_cast(owner, title="My apoptosis", description="", public=True, sides=[SideSpec("guards", ("TP53",))])
    load()
    load()
    mine.refresh_from_db()
    assert not mine.builtin and mine.owner == owner and mine.title == "My apoptosis"
    assert side_symbols(mine.slug) == [("guards", ["TP53"])]
    assert Cast.objects.count() == 11


def test_unresolved_names_are_reported_with_scenario_and_side(scenario_genes, tmp_path):
    Gene.objects.filter(symbol="BBC3").delete()  # PUMA: named by three scenarios
    data = json.loads(SCENARIOS_FILE.read_text())
    data["scenarios"][1]["sides"][1]["genes"].append("NOTAGENE")
    edited = tmp_path / "scenarios.json"
    edited.write_text(json.dumps(data))
    out, err = load("--file", str(edited))
    assert "unresolved: NOTAGENE (scenario erythrocyte-enucleation, side 'resist')" in err
    assert "unresolved: BBC3 (scenario oncogene-induced-apoptosis, side 'self-destruct first')" in err
    assert "unresolved: BBC3 (scenario transmissible-cancer, side 'enemies in the old host')" in err
    assert len(err.strip().splitlines()) == 4 and "4 unresolved name(s)" in out
    # The rest of each side still loads.
    assert side_symbols("oncogene-induced-apoptosis")[1] == ("self-destruct first", ["TP53", "BAX"])
    assert side_symbols("erythrocyte-enucleation")[1] == ("resist", ["MYC"])


def test_bad_input_is_a_clear_error(scenario_genes, tmp_path):
    with pytest.raises(CommandError, match="scenarios file not found"):
        load("--file", str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(CommandError, match="not valid JSON"):
        load("--file", str(broken))
    assert not Cast.objects.exists()


def test_refuses_before_genes_are_loaded():
    with pytest.raises(CommandError, match="load_genes"):
        load()
    assert not Cast.objects.exists()
