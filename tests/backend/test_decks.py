"""Anki deck downloads from the site: my discoveries, any gene set, a cast; opened as Anki opens them."""

from __future__ import annotations

import tempfile

import pandas as pd
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from backend.accounts.services import record_discoveries
from backend.casts.services import create_cast
from backend.genes.models import Gene
from backend.portraits.cards import trait_origins
from pipeline import anki, card_facts
from pipeline.casts import SideSpec
from pipeline.catalogue import catalogue_rows

from ..apkg import open_apkg
from .factories import client_for, make_portrait, make_user, png_bytes

pytestmark = pytest.mark.django_db

BLOT = png_bytes((10, 200, 30))


@pytest.fixture
def world(catalogue_files):
    """The five fixture genes; TP53's canonical portrait has a blot, LAIR1's has none; ada found both."""
    call_command("load_genes", genes=catalogue_files[0], traits=catalogue_files[1])
    tp53, lair1 = Gene.objects.get(symbol="TP53"), Gene.objects.get(symbol="LAIR1")
    portrait = make_portrait(tp53, blot=BLOT, blot_suffix="png", set_canonical=True)
    make_portrait(lair1, set_canonical=True)
    user = make_user("ada")
    record_discoveries(user=user, names=["TP53", "LAIR1"])
    return {"tp53": tp53, "lair1": lair1, "portrait": portrait, "user": user}


@pytest.fixture
def deck_temp_dir(tmp_path, monkeypatch):
    """Where decks are built during the test (to see that none is left behind)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def downloaded(response):
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    assert response["Content-Type"] == "application/apkg"
    return open_apkg(b"".join(response.streaming_content))


def test_my_deck_holds_my_discoveries_with_the_canonical_blot(world, deck_temp_dir):
    response = client_for(world["user"]).get(reverse("deck-mine"))
    assert response["Content-Disposition"] == 'attachment; filename="iconoplasm-discoveries.apkg"'
    deck = downloaded(response)
    assert sorted(note.fields[0] for note in deck.notes) == ["LAIR1", "TP53"]
    tp53 = deck.note("TP53")
    [name] = deck.media
    assert deck.media[name] == BLOT == default_storage.open(world["portrait"].blot.name).read()
    assert name.startswith("TP53-blot-") and name.endswith(".png") and f'src="{name}"' in tp53.fields[2]
    assert tp53.fields[1] == "tumor protein p53" and tp53.fields[4] == "This gene encodes a tumor suppressor."
    assert tp53.fields[3] == "<br>".join(card_facts.fact_lines(world["tp53"].row()))
    assert tp53.guid == anki.note_guid("TP53", anki.DISCOVERIES)
    assert deck.note("LAIR1").fields[2] == "" and deck.cards_of(deck.note("LAIR1")) == [0, 1]
    assert list(deck_temp_dir.iterdir()) == []


def test_my_deck_needs_a_sign_in_and_works_with_a_token(world, api_client):
    assert api_client.get(reverse("deck-mine")).status_code == 401
    deck = downloaded(client_for(world["user"], token=True).get(reverse("deck-mine")))
    assert len(deck.notes) == 2


def test_a_gene_set_deck_resolves_typed_names_and_keeps_their_order(world, api_client):
    response = api_client.get(reverse("deck-genes"), {"genes": "newg1, p53,LAIR1,TP53"})
    assert response["Content-Disposition"] == 'attachment; filename="iconoplasm-genes.apkg"'
    deck = downloaded(response)
    assert [note.fields[0] for note in deck.notes] == ["NEWG1", "TP53", "LAIR1"]
    assert {note.guid for note in deck.notes} == {anki.note_guid(s, anki.GENES) for s in ("NEWG1", "TP53", "LAIR1")}
    again = downloaded(api_client.get(reverse("deck-genes"), {"genes": "TP53,LAIR1,NEWG1"}))
    assert {note.fields[0]: note.guid for note in again.notes} == {note.fields[0]: note.guid for note in deck.notes}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"genes": "TP53,NOTAGENE,p54"}, "unknown gene name(s): NOTAGENE, p54"),
        ({"genes": " , ,"}, "name at least one gene"),
        ({}, "This field is required."),
        ({"genes": ",".join(f"G{n}" for n in range(501))}, "at most 500 genes per deck (got 501)"),
    ],
)
def test_a_bad_gene_set_is_a_400_naming_the_problem(world, api_client, query, message):
    response = api_client.get(reverse("deck-genes"), query)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json() == {"genes": [message]}


def test_a_cast_deck_and_an_unknown_cast(world, api_client):
    cast = create_cast(
        world["user"],
        title="Guardians <of> the genome",
        description="",
        public=False,
        sides=[SideSpec("guards", ("TP53", "CD305")), SideSpec("onlookers", ("SIGP1", "p53"))],
    )
    response = api_client.get(reverse("deck-cast", args=[cast.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="iconoplasm-cast-{cast.slug}.apkg"'
    deck = downloaded(response)
    assert [note.fields[0] for note in deck.notes] == ["TP53", "LAIR1", "SIGP1"]
    kind = anki.cast_kind(cast.slug)
    assert deck.note("TP53").guid == anki.note_guid("TP53", kind)
    assert deck.decks[anki.stable_id("iconoplasm", "deck", kind)] == "Iconoplasm::Guardians <of> the genome"

    missing = api_client.get(reverse("deck-cast", args=["no-such-cast"]))
    assert missing.status_code == 404 and missing.json() == {"detail": "no cast 'no-such-cast'"}


def test_downloads_are_rate_limited(world, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "deck": (2, 3600)}
    client = client_for(world["user"])
    assert client.get(reverse("deck-mine")).status_code == 200
    assert client.get(reverse("deck-genes"), {"genes": "TP53"}).status_code == 200
    refused = client.get(reverse("deck-mine"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "too many deck requests" in refused.json()["detail"]


def test_a_lost_blot_file_costs_the_note_its_image_not_the_download(world, api_client):
    default_storage.delete(world["portrait"].blot.name)
    deck = downloaded(api_client.get(reverse("deck-genes"), {"genes": "TP53"}))
    assert deck.note("TP53").fields[2] == "" and deck.media == {}


def test_the_site_and_the_command_line_read_the_same_trait_lines(world, catalogue_files):
    """One rule: a gene's row from the database and from the tables give the same card and deck lines."""
    rows = catalogue_rows(pd.read_parquet(catalogue_files[0]), pd.read_parquet(catalogue_files[1]))
    assert len(rows) == Gene.objects.count() == 5
    for row in rows:
        gene = Gene.objects.get(symbol=row["symbol"])
        assert trait_origins(gene) == card_facts.trait_origins(row)
        assert card_facts.fact_lines(gene.row()) == card_facts.fact_lines(row)


def test_the_downloads_are_in_the_api_schema(world, api_client):
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in ("/decks/mine.apkg", "/decks/genes.apkg", "/decks/casts/{slug}.apkg"):
        responses = paths[path]["get"]["responses"]
        assert "application/apkg" in responses["200"]["content"] and "429" in responses
    assert "401" in paths["/decks/mine.apkg"]["get"]["responses"]
    assert "404" in paths["/decks/casts/{slug}.apkg"]["get"]["responses"]


@pytest.mark.parametrize(
    ("url", "status"), [("/decks/casts/not%20a%20slug!.apkg", 404), ("/decks/genes.apkg?genes=TP%0053", 400)]
)
def test_errors_before_the_views_are_json_too(world, api_client, url, status):
    """A path no deck route matches, or input the request hygiene refuses, answers as the API does."""
    response = api_client.get(url)
    assert response.status_code == status and response["Content-Type"] == "application/json"
    assert response.json()["detail"]
