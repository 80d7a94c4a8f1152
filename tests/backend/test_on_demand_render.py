"""First portraits drawn on demand (issue 15): a gene page or card asked for before the backfill reached
the gene shows a real portrait, drawn once however many ask at the same moment; a failure shows the
colour block, never a 500. And the backfill draws in a process per core, leaving alone what a request
is drawing.

The drawing is the real procedural renderer throughout; ``drawings`` only counts its calls.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from PIL import Image

from backend.genes.models import Gene
from backend.learning.decks import deck_notes
from backend.portraits.models import Canonical, Portrait
from backend.studio import services
from backend.studio.management.commands.render_missing import Command as RenderMissing
from backend.studio.models import FirstPortraitClaim
from pipeline.render.portrait import Renderer, first_portrait_seed
from pipeline.render.renderers import procedural_renderer

from .factories import make_gene, make_portrait
from .test_concurrency import run_together

NO_PORTRAIT = "has no portrait yet"


class Drawings:
    """The real procedural renderer, counting its calls (across threads); ``pause`` widens a race."""

    def __init__(self, pause: float = 0.0, fail: bool = False):
        self.calls: list[str] = []
        self.pause, self.fail = pause, fail
        self.lock = threading.Lock()
        self.real = procedural_renderer()

    def draw(self, jobs, prompts):
        with self.lock:
            self.calls.extend(job.symbol for job in jobs)
        time.sleep(self.pause)
        if self.fail:
            raise RuntimeError("the renderer ran out of ink")
        return self.real.draw(jobs, prompts)

    def renderer(self) -> Renderer:
        return Renderer(name=self.real.name, model=self.real.model, draw=self.draw)


@pytest.fixture
def drawings(monkeypatch) -> Drawings:
    """What the on-demand path draws with: the real renderer, counted."""
    counted = Drawings()
    monkeypatch.setattr(services, "procedural_renderer", counted.renderer)
    return counted


@pytest.fixture
def emulsions(db):
    call_command("load_emulsions")


def test_the_first_page_request_draws_the_portrait_and_shows_it(emulsions, drawings):
    gene = make_gene("TP53")
    response = Client().get("/genes/TP53/")
    assert response.status_code == 200
    [portrait] = Portrait.objects.filter(gene=gene)
    assert portrait.origin == Portrait.BACKFILL and portrait.seed == first_portrait_seed("TP53")
    assert portrait.emulsion.emulsion_id == "E0001" and (portrait.width, portrait.height) == (768, 1024)
    assert Canonical.objects.get(gene=gene).portrait == portrait
    page = response.content.decode()
    assert f'src="{portrait.blot.url}"' in page and NO_PORTRAIT not in page
    assert drawings.calls == ["TP53"]
    assert not FirstPortraitClaim.objects.exists()  # the claim ends with the portrait
    Client().get("/genes/TP53/")
    assert drawings.calls == ["TP53"]  # drawn once


def test_the_first_card_request_draws_it_and_its_images_are_webp(emulsions, drawings):
    make_gene("TP53")
    client = Client()
    card = client.get("/api/genes/TP53/").json()
    assert card["portrait"] is not None and card["candidate_count"] == 1
    for url in (card["portrait"]["image_url"], card["portrait"]["blot_url"]):
        assert url.endswith(".webp")
        image = client.get(url)
        assert image.status_code == 200 and image["Content-Type"] == "image/webp"
    # a card asked for by alias resolves to the gene, already drawn
    assert client.get("/api/genes/tp53/").json()["portrait"]["id"] == card["portrait"]["id"]
    assert drawings.calls == ["TP53"]


def test_switched_off_the_card_and_page_wait_for_the_backfill(emulsions, drawings, settings):
    settings.ICONOPLASM_FIRST_PORTRAIT_ON_DEMAND = False
    make_gene("TP53")
    assert Client().get("/api/genes/TP53/").json()["portrait"] is None
    assert NO_PORTRAIT in Client().get("/genes/TP53/").content.decode()
    assert drawings.calls == [] and not Portrait.objects.exists()


def test_png_portraits_stored_before_keep_serving_as_png(emulsions, drawings):
    gene = make_gene("TP53")
    portrait = make_portrait(gene, set_canonical=True)  # a small PNG, as imports and older sites stored them
    client = Client()
    card = client.get("/api/genes/TP53/").json()
    assert card["portrait"]["id"] == portrait.pk and card["portrait"]["image_url"].endswith(".png")
    assert client.get(card["portrait"]["image_url"])["Content-Type"] == "image/png"
    print_copy = client.get("/genes/TP53/print.png")
    assert print_copy.status_code == 200 and print_copy["Content-Type"] == "image/png"
    assert drawings.calls == []  # it has a portrait: nothing is drawn


def test_the_print_copy_of_a_webp_portrait_is_a_png(emulsions, drawings):
    make_gene("TP53")
    client = Client()
    client.get("/genes/TP53/")
    response = client.get("/genes/TP53/print.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_anki_deck_carries_the_drawn_blot_as_webp(emulsions, drawings):
    gene = make_gene("TP53")
    Client().get("/api/genes/TP53/")
    [note] = deck_notes([gene])
    assert note.blot is not None and note.blot.suffix == "webp"
    assert note.blot.file_name("TP53").endswith(".webp")
    with Image.open(io.BytesIO(note.blot.data)) as blot:
        assert (blot.format, blot.size) == ("WEBP", (768, 1024))


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_a_new_gene_draw_it_once(monkeypatch):
    call_command("load_emulsions")
    gene = make_gene("TP53")
    slow = Drawings(pause=0.3)  # every request is in flight before the first drawing ends
    monkeypatch.setattr(services, "procedural_renderer", slow.renderer)

    def ask_for_card():
        return Client().get("/api/genes/TP53/").json()["portrait"]["id"]

    def ask_for_page():
        response = Client().get("/genes/TP53/")
        return "page shows it" if response.status_code == 200 and NO_PORTRAIT not in response.content.decode() else ""

    results, errors = run_together([ask_for_card, ask_for_card, ask_for_page, ask_for_page], within_s=60)
    assert errors == []
    [portrait] = Portrait.objects.filter(gene=gene)
    assert sorted(results, key=str) == sorted([portrait.pk, portrait.pk, "page shows it", "page shows it"], key=str)
    assert slow.calls == ["TP53"]
    assert not FirstPortraitClaim.objects.exists()


def test_a_failed_drawing_shows_the_colour_block_logs_and_is_not_retried_at_once(emulsions, monkeypatch, caplog):
    gene = make_gene("TP53")
    failing = Drawings(fail=True)
    monkeypatch.setattr(services, "procedural_renderer", failing.renderer)
    client = Client()
    with caplog.at_level(logging.ERROR, logger="backend.studio.services"):
        page = client.get("/genes/TP53/")
    assert page.status_code == 200 and NO_PORTRAIT in page.content.decode()
    assert f"drawing the first portrait of gene #{gene.pk} on demand failed" in caplog.text
    assert "ran out of ink" in caplog.text
    card = client.get("/api/genes/TP53/")
    assert card.status_code == 200 and card.json()["portrait"] is None
    assert failing.calls == ["TP53"]  # the failure holds the claim until it times out
    claim = FirstPortraitClaim.objects.get()
    assert "ran out of ink" in claim.error


def test_a_claim_that_timed_out_is_taken_over(emulsions, drawings, settings):
    gene = make_gene("TP53")
    long_ago = timezone.now() - dt.timedelta(seconds=settings.ICONOPLASM_CLAIM_TIMEOUT_S + 1)
    FirstPortraitClaim.objects.create(gene=gene, claimed_by="a worker that died", claimed_at=long_ago)
    assert Client().get("/api/genes/TP53/").json()["portrait"] is not None
    assert drawings.calls == ["TP53"] and not FirstPortraitClaim.objects.exists()


def test_a_request_leaves_a_gene_alone_while_another_process_draws_it(emulsions, drawings, monkeypatch):
    gene = make_gene("TP53")
    FirstPortraitClaim.objects.create(gene=gene, claimed_by="the backfill", claimed_at=timezone.now())
    monkeypatch.setattr(services, "ON_DEMAND_WAIT_S", 0.2)  # that drawing never ends here: wait a little only
    page = Client().get("/genes/TP53/")
    assert page.status_code == 200 and NO_PORTRAIT in page.content.decode()
    assert drawings.calls == []


def test_a_gene_whose_portraits_were_all_hidden_is_not_drawn_again(emulsions, drawings):
    gene = make_gene("TP53")
    make_portrait(gene, hidden=True)
    page = Client().get("/genes/TP53/")
    assert NO_PORTRAIT in page.content.decode() and Client().get("/api/genes/TP53/").json()["portrait"] is None
    assert drawings.calls == [] and Portrait.objects.count() == 1


# --------------------------------------------------------------------------- the backfill, in a pool


def test_the_backfill_draws_the_right_genes_in_two_processes(emulsions):
    for symbol in ("BRCA1", "EGFR", "INS", "KRAS", "MYC", "TP53"):
        make_gene(symbol)
    make_portrait(Gene.objects.get(symbol="MYC"), set_canonical=True)
    busy = make_gene("HBB")
    FirstPortraitClaim.objects.create(gene=busy, claimed_by="a page request", claimed_at=timezone.now())
    done = []
    made = services.backfill_portraits(
        renderer=procedural_renderer,
        first=["TP53"],
        workers=2,
        on_done=lambda gene, portrait, error: done.append((gene.symbol, error)),
    )
    assert made == 5
    assert sorted(done) == [(s, None) for s in ("BRCA1", "EGFR", "INS", "KRAS", "TP53")]
    drawn = Portrait.objects.filter(origin=Portrait.BACKFILL)
    assert sorted(drawn.values_list("gene__symbol", flat=True)) == ["BRCA1", "EGFR", "INS", "KRAS", "TP53"]
    for portrait in drawn.select_related("gene"):
        assert portrait.seed == first_portrait_seed(portrait.gene.symbol) and portrait.image.name.endswith(".webp")
        assert Canonical.objects.get(gene=portrait.gene).portrait == portrait
    assert list(FirstPortraitClaim.objects.values_list("gene__symbol", flat=True)) == ["HBB"]  # left to its holder
    assert services.backfill_portraits(renderer=procedural_renderer, workers=2) == 0


def test_the_command_draws_with_a_process_per_core_unless_told(emulsions, capsys):
    parser = RenderMissing().create_parser("manage.py", "render_missing")
    assert parser.parse_args([]).workers == os.cpu_count()
    make_gene("TP53"), make_gene("INS")
    call_command("render_missing", "--workers", "2")
    assert "rendered 2 first portrait(s)" in capsys.readouterr().out
    assert Portrait.objects.filter(origin=Portrait.BACKFILL).count() == 2
    with pytest.raises(CommandError, match="at least 1"):
        call_command("render_missing", "--workers", "0")
