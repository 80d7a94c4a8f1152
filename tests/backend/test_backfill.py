"""Backfilling first portraits: every gene without one gets a canonical portrait, resumably."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backend.portraits.models import Portrait
from backend.portraits.selectors import canonical_portrait
from backend.studio.services import backfill_portraits, genes_without_portraits

from .factories import make_emulsion, make_gene, make_portrait
from .fakes import FakeRenderer


class FailingFor(FakeRenderer):
    """A fake renderer that fails for one symbol only."""

    def __init__(self, symbol: str):
        super().__init__()
        self.symbol = symbol

    def draw(self, jobs, prompts):
        if jobs[0].symbol == self.symbol:
            raise RuntimeError(f"cannot draw {self.symbol}")
        return super().draw(jobs, prompts)


@pytest.mark.django_db
def test_every_gene_gets_one_canonical_portrait_and_a_rerun_does_nothing():
    genes = [make_gene(symbol) for symbol in ("BRCA1", "INS", "TP53")]
    make_emulsion("E0001")
    fake = FakeRenderer()
    assert backfill_portraits(renderer=fake.renderer(), first=["TP53"]) == 3
    assert [call[0] for call in fake.calls] == ["TP53", "BRCA1", "INS"]  # the chosen genes first
    for gene in genes:
        portrait = canonical_portrait(gene)
        assert portrait is not None and portrait.origin == Portrait.BACKFILL
        assert portrait.emulsion.emulsion_id == "E0001" and portrait.blot
    assert backfill_portraits(renderer=fake.renderer()) == 0
    assert Portrait.objects.count() == 3 and len(fake.calls) == 3


@pytest.mark.django_db
def test_a_failing_gene_is_reported_and_the_others_go_on():
    make_gene("BRCA1"), make_gene("INS"), make_gene("TP53")
    make_emulsion("E0001")
    outcomes = []
    made = backfill_portraits(
        renderer=FailingFor("INS").renderer(),
        on_done=lambda gene, portrait, error: outcomes.append((gene.symbol, error and str(error))),
    )
    assert made == 2
    assert outcomes == [("BRCA1", None), ("INS", "cannot draw INS"), ("TP53", None)]
    assert [g.symbol for g in genes_without_portraits()] == ["INS"]


@pytest.mark.django_db
def test_limit_and_unknown_emulsion():
    make_gene("BRCA1"), make_gene("INS")
    make_emulsion("E0001")
    assert backfill_portraits(renderer=FakeRenderer().renderer(), limit=1) == 1
    assert [g.symbol for g in genes_without_portraits()] == ["INS"]
    with pytest.raises(ValueError, match="E0999"):
        backfill_portraits(renderer=FakeRenderer().renderer(), emulsion_id="E0999")


@pytest.mark.django_db
def test_the_command_renders_real_procedural_portraits(capsys):
    make_gene("TP53"), make_gene("INS")
    call_command("load_emulsions")
    call_command("render_missing", "--limit", "1", "--first", "INS")
    assert "rendered 1 first portrait(s)" in capsys.readouterr().out
    [portrait] = Portrait.objects.all()
    assert (
        portrait.gene.symbol == "INS" and portrait.renderer == "procedural" and portrait.model.startswith("procedural-")
    )
    assert (portrait.width, portrait.height) == (768, 1024)
    with pytest.raises(CommandError, match="E0999"):
        call_command("render_missing", "--emulsion", "E0999")


@pytest.mark.django_db
def test_a_gene_whose_only_portrait_is_a_transfer_still_gets_one_drawn():
    from backend.studio.copies import transfer_portrait

    source, target = make_gene("TP53"), make_gene("INS")
    make_emulsion("E0001")
    copied, _ = transfer_portrait(make_portrait(source), target)
    fake = FakeRenderer()
    assert backfill_portraits(renderer=fake.renderer()) == 1
    assert [call[0] for call in fake.calls] == ["INS"]
    drawn = Portrait.objects.get(gene=target, origin=Portrait.BACKFILL)
    assert canonical_portrait(target) == drawn and copied != drawn
