"""Questions of review cards: four distinct choices, the answer exactly once, look-alike distractors (same family,
then same colour), trait values far enough apart, a showing that is the same until answered, and the fact behind
the answer from the card's trait lines."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command

from backend.genes.models import Gene
from backend.learning import services
from backend.learning.models import Kind, ReviewCard
from backend.learning.questions import answer_label, build_question, fact, read_showing
from backend.portraits.cards import trait_origins
from backend.portraits.selectors import canonical_portraits
from pipeline.records import Faction

from .factories import make_gene, make_portrait, make_user

pytestmark = pytest.mark.django_db

# Showings to try per card: each version of a card seeds another draw of distractors and order.
VERSIONS = range(12)


def card_of(gene, kind: str, user=None) -> ReviewCard:
    user = user or make_user()
    services.enrol_genes(user, [gene.pk])
    return ReviewCard.objects.select_related("gene").get(user=user, gene=gene, kind=kind)


def showings(card: ReviewCard):
    """The card's question at each of VERSIONS (the version is what seeds a showing)."""
    for version in VERSIONS:
        card.reps = version
        yield build_question(card)


def portrayed(symbol: str, **fields):
    gene = make_gene(symbol, **fields)
    make_portrait(gene, set_canonical=True)
    return gene


def assert_well_formed(question, answer: str) -> list[str]:
    """Four choices a-d with distinct labels (or images), the answer among them once and named by the showing."""
    assert [choice.id for choice in question.choices] == ["a", "b", "c", "d"]
    shown = [choice.image_url or choice.label for choice in question.choices]
    assert len(set(shown)) == 4
    [right] = [choice for choice in question.choices if choice.id == question.answer_id]
    assert read_showing(question.showing).answer == question.answer_id
    assert (right.image_url or right.label) == answer
    return [value for value in shown if value != answer]


def test_portrait_to_gene_offers_the_family_first():
    tp53 = portrayed("TP53", family="TP", color_name="steel blue")
    family = {make_gene(symbol, family="TP", color_name="black").symbol for symbol in ("TP63", "TP73", "TPX2")}
    for symbol in ("ABC1", "ABC2", "TTN", "ZZZ3"):
        make_gene(symbol, family=symbol, color_name="steel blue")
    card = card_of(tp53, Kind.PORTRAIT_TO_GENE)
    for question in showings(card):
        assert question.prompt_image_url == canonical_portraits([tp53.pk])[tp53.pk].image.url
        assert question.text == "Which gene is this?"
        assert set(assert_well_formed(question, "TP53")) == family


def test_without_enough_family_the_same_colour_comes_next_then_the_same_letter():
    gene = portrayed("KRAS", family="RAS", color_name="firebrick")
    make_gene("NRAS", family="RAS", color_name="black")
    make_gene("ALB", family="ALB", color_name="firebrick")
    make_gene("KIT", family="KIT", color_name="black")
    for symbol in ("MYC", "BRAF", "EGFR", "PTEN"):
        make_gene(symbol, family=symbol, color_name="black")
    for question in showings(card_of(gene, Kind.PORTRAIT_TO_GENE)):
        assert set(assert_well_formed(question, "KRAS")) == {"NRAS", "ALB", "KIT"}


def test_symbol_to_portrait_offers_only_portraits_of_look_alikes():
    genes = {symbol: portrayed(symbol, family="TP") for symbol in ("TP53", "TP63", "TP73")}
    make_gene("TPX2", family="TP")  # a family member without a portrait is never offered
    genes |= {symbol: portrayed(symbol, family=symbol) for symbol in ("MDM2", "ZZZ3")}
    portraits = canonical_portraits(gene.pk for gene in genes.values())
    owners = {portraits[gene.pk].image.url: symbol for symbol, gene in genes.items()}
    for question in showings(card_of(genes["TP53"], Kind.SYMBOL_TO_PORTRAIT)):
        assert (question.text, question.prompt_symbol, question.prompt_image_url) == (
            "Which portrait is TP53?",
            "TP53",
            None,
        )
        others = assert_well_formed(question, portraits[genes["TP53"].pk].image.url)
        offered = {owners[url] for url in others}
        assert {"TP63", "TP73"} < offered <= {"TP63", "TP73", "MDM2", "ZZZ3"}
        assert [choice.label for choice in question.choices] == ["Portrait 1", "Portrait 2", "Portrait 3", "Portrait 4"]


def test_weights_are_other_genes_weights_far_enough_apart():
    answer = make_gene("TP53", weight_kg=43.7, mass_da=43653.0)
    make_gene("TWIN", weight_kg=43.7)  # the same weight as the answer: never a choice
    make_gene("NEAR", weight_kg=45.0)  # within 25 %: never a choice
    for n, weight in enumerate([20.0, 26.1, 31.0, 55.2, 61.0, 70.4, 88.8, 101.5, 18.2, 35.0]):
        make_gene(f"W{n}", weight_kg=weight)
    card = card_of(answer, Kind.WEIGHT)
    catalogue = {f"{weight} kg" for weight in [20.0, 26.1, 31.0, 55.2, 61.0, 70.4, 88.8, 101.5, 18.2, 35.0]}
    for question in showings(card):
        assert question.text == "How heavy is TP53?"
        assert (question.prompt_symbol, question.prompt_color_hex) == ("TP53", answer.color_hex)
        others = assert_well_formed(question, "43.7 kg")
        assert set(others) <= catalogue
        weights = sorted(float(label.removesuffix(" kg")) for label in [*others, "43.7 kg"])
        assert all(heavier >= lighter * 1.25 for lighter, heavier in itertools.pairwise(weights))


def test_ages_differ_by_three_years_at_least():
    answer = make_gene("TP53", age=41)
    for n, age in enumerate([40, 42, 30, 33, 36, 45, 48, 51, 27, 39]):
        make_gene(f"A{n}", age=age)
    for question in showings(card_of(answer, Kind.AGE)):
        ages = sorted(
            int(label.removesuffix(" years")) for label in [*assert_well_formed(question, "41 years"), "41 years"]
        )
        assert all(older - younger >= 3 for younger, older in itertools.pairwise(ages))


def test_fashions_share_no_aesthetic_with_the_answer():
    answer = make_gene("TP53", aesthetics=["Baroque", "Symbolism"])
    make_gene("SAME", aesthetics=["Baroque"])  # shares Baroque: never a choice
    for n, styles in enumerate([["Cottagecore"], ["Old Hollywood"], ["Zakopane Style"], ["Russian 2K17", "Bauhaus"]]):
        make_gene(f"F{n}", aesthetics=styles)
    for question in showings(card_of(answer, Kind.FASHION)):
        others = assert_well_formed(question, "Baroque, Symbolism")
        assert not any("Baroque" in label or "Symbolism" in label for label in others)


def test_the_faction_question_offers_the_four_factions():
    answer = make_gene("TP53", faction=Faction.PRO_CONTROL.value)
    for question in showings(card_of(answer, Kind.FACTION)):
        others = assert_well_formed(question, "pro-control")
        assert set(others) == {"pro-growth", "turncoat", "none"}


def test_a_showing_is_the_same_until_the_card_is_answered():
    answer = make_gene("TP53", weight_kg=43.7)
    for n in range(30):
        make_gene(f"W{n}", weight_kg=15.0 + 3.1 * n)
    card = card_of(answer, Kind.WEIGHT)
    first, again = build_question(card), build_question(card)
    assert (first.choices, first.answer_id) == (again.choices, again.answer_id)
    drawn = {tuple(choice.label for choice in question.choices) for question in showings(card)}
    assert len(drawn) > 1  # other versions draw other distractors or another order


def test_the_fact_is_the_cards_own_trait_line():
    gene = make_gene("TP53", weight_kg=43.7, mass_da=43653.0, name="tumor protein p53")
    [weight] = [line for line in trait_origins(gene) if line["trait"] == "weight"]
    assert fact(card_of(gene, Kind.WEIGHT)) == "TP53 weight: 43.7 kg ← 43.7 kDa"
    assert weight["origin"] == "43.7 kDa"
    [colour] = [line for line in trait_origins(gene) if line["trait"] == "colour"]
    portrait_fact = fact(card_of(gene, Kind.FACTION, make_user()))
    assert portrait_fact.startswith("TP53 faction: none ← ")
    assert answer_label(card_of(gene, Kind.AGE, make_user())) == f"{gene.age} years"
    portrait_card = ReviewCard(gene=gene, kind=Kind.PORTRAIT_TO_GENE)
    assert fact(portrait_card) == f"TP53, tumor protein p53: colour {colour['value']} ← {colour['origin']}"
    assert answer_label(portrait_card) == "TP53"


def test_a_portrait_question_without_its_portrait_is_not_asked():
    gene = make_gene("TP53")
    card = ReviewCard(gene=gene, kind=Kind.PORTRAIT_TO_GENE, reps=0)
    assert build_question(card) is None


def test_every_card_of_the_real_fixture_catalogue_can_be_asked(catalogue_files):
    """The five real fixture genes, portrayed: each card's question has distinct choices, the answer once."""
    call_command("load_genes", genes=catalogue_files[0], traits=catalogue_files[1])
    genes = list(Gene.objects.all())
    for gene in genes:
        make_portrait(gene, set_canonical=True)
    user = make_user()
    services.enrol_genes(user, [gene.pk for gene in genes])
    cards = ReviewCard.objects.filter(user=user).select_related("gene")
    assert {card.kind for card in cards} == set(Kind)
    for card in cards:
        question = build_question(card)
        shown = [choice.image_url or choice.label for choice in question.choices]
        assert len(shown) == len(set(shown)) >= 2
        [right] = [choice for choice in question.choices if choice.id == question.answer_id]
        if card.kind not in (Kind.PORTRAIT_TO_GENE, Kind.SYMBOL_TO_PORTRAIT):
            assert right.label == answer_label(card)
