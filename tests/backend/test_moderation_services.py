"""Artist opt-outs and blocking artists."""

from __future__ import annotations

import logging

import pytest

from backend.moderation import selectors, services
from backend.moderation.models import ArtistOptOut, BlockedArtist
from backend.portraits.models import Emulsion, Portrait

from .factories import make_emulsion, make_gene, make_portrait, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, text, found",
    [
        ("Hokusai", "Katsushika Hokusai", True),
        ("hokusai", "Katsushika HOKUSAI; Hiroshige", True),
        ("Katsushika Hokusai", "katsushika   hokusai, Hiroshige", True),
        ("Hokusai", "Hokusaiesque waves", False),
        ("Hoku", "Katsushika Hokusai", False),
        ("Ann Lee", "Joann Leeward", False),
        ("Émile Bernard", "after émile bernard", True),
        ("A.B. Frost", "in the manner of a.b. frost", True),
    ],
)
def test_whole_name_matching(name, text, found):
    assert services.mentions(name, text) is found


def test_submit_optout_stores_the_request():
    optout = services.submit_optout(name="  Jane   Doe ", contact="jane@example.org", message="please")
    assert optout is not None
    assert (optout.name, optout.contact, optout.message, optout.status) == (
        "Jane Doe",
        "jane@example.org",
        "please",
        "new",
    )


def test_honeypot_stores_nothing():
    assert services.submit_optout(name="Bot", contact="bot@example.org", website="http://spam") is None
    assert not ArtistOptOut.objects.exists()


def test_block_artist_hides_matching_emulsions_and_portraits_only(caplog):
    admin = make_user("mod")
    gene = make_gene("TP53")
    theirs = make_emulsion(artists="Jane Doe; Someone Else")
    theirs_lower = make_emulsion(artists="jane doe")
    others = make_emulsion(artists="Janet Doerr")
    plain = make_emulsion(artists="")
    by_emulsion = make_portrait(gene, theirs)
    by_emulsion_2 = make_portrait(gene, theirs_lower)
    by_prompt = make_portrait(gene, plain, prompt="a gene in the style of JANE DOE, ink")
    untouched = [
        make_portrait(gene, others, prompt="Janet Doerr style"),
        make_portrait(gene, plain, prompt="jane doesnt care"),
        make_portrait(gene, None, prompt=""),
    ]
    with caplog.at_level(logging.INFO, logger="backend.moderation"):
        report = services.block_artist("Jane Doe", admin)
    assert (report.created, report.emulsions, report.portraits) == (True, 2, 3)
    assert BlockedArtist.objects.get().name == "Jane Doe"
    assert BlockedArtist.objects.get().blocked_by == admin
    assert set(Emulsion.objects.filter(blocked=True)) == {theirs, theirs_lower}
    assert set(Portrait.objects.filter(hidden=True)) == {by_emulsion, by_emulsion_2, by_prompt}
    assert not any(Portrait.objects.get(pk=p.pk).hidden for p in untouched)
    assert any("2 emulsions blocked, 3 portraits hidden" in r.getMessage() for r in caplog.records)


def test_block_artist_is_idempotent_and_case_insensitive():
    make_emulsion(artists="Jane Doe")
    services.block_artist("Jane Doe")
    again = services.block_artist("jane  DOE")
    assert again.created is False and again.emulsions == 1
    assert BlockedArtist.objects.count() == 1


def test_block_artist_needs_a_name():
    with pytest.raises(ValueError):
        services.block_artist("   ")


def test_block_optout_and_dismiss_mark_the_request():
    mod = make_user("mod")
    make_emulsion(artists="Jane Doe")
    optout = services.submit_optout(name="Jane Doe", contact="jane@example.org")
    report = services.block_optout(optout, mod)
    optout.refresh_from_db()
    assert (optout.status, optout.handled_by, report.emulsions) == ("blocked", mod, 1)
    assert optout.handled_at is not None
    other = services.submit_optout(name="Not An Artist", contact="x@example.org")
    services.dismiss_optout(other, mod)
    other.refresh_from_db()
    assert other.status == "dismissed"
    assert BlockedArtist.objects.count() == 1


def test_mentions_blocked_artist_selector():
    services.block_artist("Jane Doe")
    assert selectors.mentions_blocked_artist("portrait after jane doe")
    assert not selectors.mentions_blocked_artist("portrait after Jane Dorsey")
    assert not selectors.mentions_blocked_artist("")


def test_blocking_an_artist_gives_a_gene_its_next_public_candidate():
    """The canonical portrait made in a withdrawn style is replaced by the gene's other public candidate."""
    from backend.portraits.canonical import ensure_canonical
    from backend.portraits.selectors import canonical_portrait

    gene = make_gene("TP53")
    by_artist = make_emulsion(artists="Katsushika Hokusai")
    first = make_portrait(gene, by_artist)
    other = make_portrait(gene, make_emulsion())
    ensure_canonical(gene)
    assert canonical_portrait(gene) == first

    services.block_artist("Hokusai", by_user=make_user("mod"))
    assert canonical_portrait(gene) == other
    lone = make_gene("INS")
    only = make_portrait(lone, make_emulsion(artists="Hiroshige"))
    ensure_canonical(lone)
    services.block_artist("Hiroshige")
    assert canonical_portrait(lone) is None and Portrait.objects.get(pk=only.pk).hidden
