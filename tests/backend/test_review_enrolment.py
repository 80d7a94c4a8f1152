"""Enrolment: discoveries become review cards lazily (one INSERT), portrait kinds once a gene is portrayed, casts and
named genes on request, and at most 20 new cards a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backend.accounts.services import record_discoveries
from backend.casts.models import Cast, CastMember, CastSide
from backend.learning import selectors, services
from backend.learning.models import Kind, ReviewCard
from backend.learning.questions import build_question
from backend.learning.scheduler import NEW_PER_DAY
from pipeline.records import DiscoveryYearSource

from .factories import PASSWORD, client_for, make_gene, make_portrait

pytestmark = pytest.mark.django_db

TRAIT_KINDS = {Kind.WEIGHT, Kind.AGE, Kind.FACTION, Kind.FASHION}
NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def kinds(user, symbol: str) -> set[str]:
    return set(ReviewCard.objects.filter(user=user, gene__symbol=symbol).values_list("kind", flat=True))


def inserts(queries) -> list[str]:
    return [
        query["sql"] for query in queries if query["sql"].startswith("INSERT") and "learning_reviewcard" in query["sql"]
    ]


def test_discoveries_become_cards_in_one_insert_and_only_once(user):
    for symbol in ("TP53", "MDM2", "KRAS"):
        make_gene(symbol)
    record_discoveries(user=user, names=["TP53", "MDM2", "KRAS"])
    with CaptureQueriesContext(connection) as first:
        assert services.enrol_discoveries(user) == 3 * 4
    assert len(inserts(first.captured_queries)) == 1
    assert kinds(user, "TP53") == TRAIT_KINDS
    with CaptureQueriesContext(connection) as again:
        assert services.enrol_discoveries(user) == 0
    assert len(again.captured_queries) == 2  # the two questions of genes_to_enrol: nothing to write
    assert ReviewCard.objects.filter(user=user).count() == 12


def test_the_portrait_kinds_wait_for_a_canonical_portrait(user):
    gene = make_gene("TP53")
    record_discoveries(user=user, names=["TP53"])
    services.enrol_discoveries(user)
    assert kinds(user, "TP53") == TRAIT_KINDS
    make_portrait(gene, set_canonical=True)
    assert services.enrol_discoveries(user) == 2
    assert kinds(user, "TP53") == TRAIT_KINDS | {Kind.PORTRAIT_TO_GENE, Kind.SYMBOL_TO_PORTRAIT}


def test_a_gene_without_a_trait_gets_no_card_asking_for_it(user):
    make_gene(
        "ORPHAN",
        weight_kg=None,
        mass_da=None,
        age=None,
        discovery_year=None,
        discovery_year_source=DiscoveryYearSource.MISSING.value,
    )
    record_discoveries(user=user, names=["ORPHAN"])
    services.enrol_discoveries(user)
    assert kinds(user, "ORPHAN") == {Kind.FACTION, Kind.FASHION}


def test_new_cards_come_at_most_twenty_a_day_in_the_order_met(user):
    symbols = [f"G{n:02d}" for n in range(8)]
    for symbol in symbols:
        make_gene(symbol)
    record_discoveries(user=user, names=symbols)
    services.enrol_discoveries(user, now=NOON)
    assert selectors.due_counts(user, NOON) == selectors.DueCounts(due=NEW_PER_DAY, new=NEW_PER_DAY)
    listed = selectors.due_cards(user, now=NOON, limit=20)
    # In the order met, but one card of each gene before a second card of any (siblings apart).
    assert [card.gene.symbol for card in listed[:8]] == symbols
    assert [card.gene.symbol for card in listed[8:16]] == symbols
    for n in range(NEW_PER_DAY):  # answer today's twenty new cards, one minute apart
        card = selectors.due_cards(user, now=NOON + timedelta(minutes=n), limit=1)[0]
        assert card.is_new
        services.record_review(card, version=0, grade=4, correct=True, elapsed_ms=None, now=NOON + timedelta(minutes=n))
    later = NOON + timedelta(hours=2)
    assert selectors.due_counts(user, later).new == 0
    assert all(not card.is_new for card in selectors.due_cards(user, now=later, limit=20))
    tomorrow = NOON + timedelta(days=1)
    assert selectors.due_counts(user, tomorrow).new == 8 * 4 - NEW_PER_DAY


def test_a_portrait_card_whose_portrait_went_away_is_not_due(user):
    gene = make_gene("TP53")
    portrait = make_portrait(gene, set_canonical=True)
    services.enrol_genes(user, [gene.pk], now=NOON)
    gene.canonical.delete()
    assert selectors.due_counts(user, NOON).due == 4
    assert {card.kind for card in selectors.due_cards(user, now=NOON, limit=20)} == TRAIT_KINDS
    assert portrait.pk  # the portrait itself stays a candidate


# ---------------------------------------------------------------- studying casts and named genes


def make_cast(title: str, sides: dict[str, list[str]], slug: str = "p53-stress") -> Cast:
    cast = Cast.objects.create(slug=slug, title=title, builtin=True)
    for position, (name, symbols) in enumerate(sides.items()):
        side = CastSide.objects.create(cast=cast, position=position, name=name)
        for order, symbol in enumerate(symbols):
            CastMember.objects.create(side=side, gene=make_gene(symbol), position=order)
    return cast


def test_studying_a_cast_enrols_its_genes_and_goes_to_the_review(client, user):
    cast = make_cast("<script>alert('stress')</script>", {"die": ["TP53", "BAX"], "live": ["MDM2"]})
    client.force_login(user)
    response = client.post(f"/review/casts/{cast.slug}/study/", follow=True)
    assert response.redirect_chain == [("/review/", 302)]
    assert {symbol for symbol in ("TP53", "BAX", "MDM2") if kinds(user, symbol) == TRAIT_KINDS} == {
        "TP53",
        "BAX",
        "MDM2",
    }
    page = response.content.decode()
    assert "Studying “&lt;script&gt;alert(&#x27;stress&#x27;)&lt;/script&gt;”: 12 new cards added" in page
    assert "<script>alert(" not in page


def test_studying_a_cast_needs_a_signed_in_post_with_csrf(user):
    cast = make_cast("p53 under stress", {"die": ["TP53"]})
    url = f"/review/casts/{cast.slug}/study/"
    guest = Client()
    assert guest.post(url)["Location"].startswith("/accounts/login/")
    member = Client(enforce_csrf_checks=True)
    member.login(username=user.username, password=PASSWORD)
    assert member.get(url).status_code == 405
    assert member.post(url).status_code == 403
    assert member.post("/review/casts/no-such-cast/study/").status_code == 403
    assert not ReviewCard.objects.exists()
    token = member.get("/review/").cookies["csrftoken"].value
    assert member.post("/review/casts/no-such-cast/study/", HTTP_X_CSRFTOKEN=token).status_code == 404
    assert member.post(url, HTTP_X_CSRFTOKEN=token).status_code == 302
    assert kinds(user, "TP53") == TRAIT_KINDS


def test_studying_is_rate_limited(client, user, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "study": (1, 3600)}
    cast = make_cast("p53 under stress", {"die": ["TP53"]})
    client.force_login(user)
    assert client.post(f"/review/casts/{cast.slug}/study/").status_code == 302
    refused = client.post(f"/review/casts/{cast.slug}/study/")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert client_for(user).post("/api/review/study/", {"cast": cast.slug}, format="json").status_code == 429


def test_the_study_api_takes_a_cast_or_named_genes(user):
    cast = make_cast("p53 under stress", {"die": ["TP53", "BAX"]})
    make_gene("KRAS", aliases=["K-RAS"])
    api = client_for(user)
    response = api.post("/api/review/study/", {"cast": cast.slug}, format="json")
    assert response.status_code == 200
    assert response.json() == {"cards_added": 8, "due": 8, "new": 8}
    response = api.post("/api/review/study/", {"genes": ["kras", "TP53"]}, format="json")
    assert response.json() == {"cards_added": 4, "due": 12, "new": 12}
    assert kinds(user, "KRAS") == TRAIT_KINDS


def test_the_study_api_names_unknown_genes_and_adds_nothing(user):
    make_gene("TP53")
    api = client_for(user)
    response = api.post("/api/review/study/", {"genes": ["TP53", "NOTAGENE", "ALSONOT"]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "unknown genes: NOTAGENE, ALSONOT: nothing was added"}
    assert not ReviewCard.objects.exists()
    response = api.post("/api/review/study/", {"cast": "no-such-cast"}, format="json")
    assert response.json() == {"detail": "unknown cast: 'no-such-cast'"}


@pytest.mark.parametrize(
    "body",
    [{}, {"cast": "x", "genes": ["TP53"]}, {"genes": []}, {"genes": "TP53"}, {"genes": ["TP53"] * 501}, {"cast": 5}],
)
def test_the_study_api_refuses_a_malformed_request(user, body):
    make_gene("TP53")
    response = client_for(user).post("/api/review/study/", body, format="json")
    assert response.status_code == 400
    assert not ReviewCard.objects.exists()


def test_studied_genes_gain_their_portrait_cards_later_too(user):
    gene = make_gene("TP53")
    services.study_genes(user, ["TP53"])
    make_portrait(gene, set_canonical=True)
    services.enrol_discoveries(user)
    card = ReviewCard.objects.select_related("gene").get(user=user, kind=Kind.PORTRAIT_TO_GENE)
    assert build_question(card).prompt_image_url
