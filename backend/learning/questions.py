"""The question a review card is shown as: a prompt and four choices (the answer and three distractors).

- portrait → gene: the canonical portrait; the choices are symbols of look-alike genes.
- symbol → portrait: the symbol; the choices are the canonical portraits of look-alikes.
- weight, age: "How heavy / how old is TP53?"; the choices are other genes' values, far enough
  apart to tell from each other and from the answer (weights at least 25 % apart, ages 3 years),
  taken near the answer's value (within 2.5 times, 15 years) unless too few genes are there.
- faction: the four factions. fashion: other genes' aesthetics, sharing none with the answer.

Look-alikes are, in this order, genes of the same family, of the same colour name, of the same
first letter (the same hue), of the same faction, then any gene: the first three found in that
order, shuffled within each tier. After the answer, :func:`fact` gives the molecular fact
behind the trait, the card's own line from ``backend.portraits.cards.trait_origins``.

A showing is deterministic: its choices and their order come from a generator seeded with the
card and its version (``reps``), so the same card shows the same question until it is answered.
Its ``showing`` token (``django.core.signing``) names the card, the version and the right
choice, so an answer is checked without the server storing the question. The token is signed,
not secret: the review page reads the right choice from it to reveal the answer at once; a
reviewer who decodes it only fools their own schedule.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core import signing
from django.db.models import Case, F, IntegerField, Max, Min, QuerySet, Value, When
from django.db.models.functions import Mod

from backend.genes.models import Gene
from backend.portraits.cards import trait_origins
from backend.portraits.selectors import canonical_portraits, public_portraits
from pipeline.records import Faction

from .models import Kind, ReviewCard

CHOICE_IDS = ("a", "b", "c", "d")
DISTRACTORS = len(CHOICE_IDS) - 1
# Genes read to find distractors for a trait question (a window of the catalogue at a seeded place).
POOL_SIZE = 60
# Trait choices a reviewer can tell apart: weights differ by this factor at least, ages by these years.
WEIGHT_RATIO = 1.25
AGE_GAP = 3
# Where distractors for a trait are looked for: weights within this factor, ages within these years.
WEIGHT_WINDOW = 2.5
AGE_WINDOW = 15
# A deterministic shuffle of genes in SQL: (id * MULTIPLIER + seed) mod MODULUS, the same on every database.
MULTIPLIER, MODULUS = 7919, 10007

SHOWING_SALT = "backend.learning.showing"
# A question fetched and left open longer than this is fetched again (its token expires).
SHOWING_MAX_AGE = 24 * 3600

# The trait of trait_origins that each kind reads.
TRAITS = {Kind.WEIGHT: "weight", Kind.AGE: "age", Kind.FACTION: "faction", Kind.FASHION: "aesthetics"}
PROMPTS = {
    Kind.PORTRAIT_TO_GENE: "Which gene is this?",
    Kind.SYMBOL_TO_PORTRAIT: "Which portrait is {symbol}?",
    Kind.WEIGHT: "How heavy is {symbol}?",
    Kind.AGE: "How old is {symbol}?",
    Kind.FACTION: "Which faction is {symbol} in?",
    Kind.FASHION: "Which fashion does {symbol} wear?",
}


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    image_url: str | None = None


@dataclass(frozen=True)
class Question:
    card: ReviewCard
    text: str
    choices: list[Choice]
    answer_id: str
    prompt_symbol: str | None = None
    prompt_image_url: str | None = None
    prompt_color_hex: str | None = None

    @property
    def showing(self) -> str:
        return showing_token(self.card, self.answer_id)


@dataclass(frozen=True)
class Showing:
    card: int
    version: int
    answer: str


class BadShowing(ValueError):
    """A showing token that was changed, is not from this site, or has expired."""


def showing_token(card: ReviewCard, answer_id: str) -> str:
    return signing.dumps({"card": card.pk, "version": card.reps, "answer": answer_id}, salt=SHOWING_SALT)


def read_showing(token: str) -> Showing:
    try:
        payload = signing.loads(token, salt=SHOWING_SALT, max_age=SHOWING_MAX_AGE)
    except signing.SignatureExpired:
        raise BadShowing("this question has expired: fetch the next questions again") from None
    except signing.BadSignature:
        raise BadShowing("the showing token is not valid (changed, or not from this site)") from None
    try:
        return Showing(card=int(payload["card"]), version=int(payload["version"]), answer=str(payload["answer"]))
    except (KeyError, TypeError, ValueError):
        raise BadShowing("the showing token is not valid (changed, or not from this site)") from None


# ---------------------------------------------------------------- trait lines


def trait_line(gene: Gene, trait: str) -> dict:
    """The gene's card line for ``trait`` (value and origin), as ``trait_origins`` writes it."""
    return next(line for line in trait_origins(gene) if line["trait"] == trait)


def shown_value(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def trait_label(kind: str, gene: Gene) -> str:
    """The gene's value for a trait question, as a choice shows it."""
    value = shown_value(trait_line(gene, TRAITS[kind])["value"])
    return f"{value} years" if kind == Kind.AGE else value


def answer_label(card: ReviewCard) -> str:
    """The right answer in words: the symbol for the portrait questions, the trait value otherwise."""
    return card.gene.symbol if card.kind not in TRAITS else trait_label(card.kind, card.gene)


def fact(card: ReviewCard) -> str:
    """The fact behind the answer, e.g. "TP53 weight: 43.7 kg ← 43.7 kDa"; the colour line for the portrait kinds."""
    gene = card.gene
    if card.kind in TRAITS:
        line = trait_line(gene, TRAITS[card.kind])
        return f"{gene.symbol} {line['trait']}: {shown_value(line['value'])} ← {line['origin']}"
    line = trait_line(gene, "colour")
    return f"{gene.symbol}, {gene.name}: colour {line['value']} ← {line['origin']}"


# ---------------------------------------------------------------- distractors


def look_alikes(gene: Gene, rng: random.Random, *, with_portrait: bool = False, count: int = DISTRACTORS) -> list[Gene]:
    """Up to ``count`` other genes that look most like ``gene`` (tiers in the module docstring); with_portrait: only
    genes whose canonical portrait is public."""
    tier = Case(
        When(family=gene.family, then=Value(0)),
        When(color_name=gene.color_name, then=Value(1)),
        When(symbol__startswith=gene.symbol[:1], then=Value(2)),
        When(faction=gene.faction, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    shuffle = Mod(F("id") * MULTIPLIER + rng.randrange(MODULUS), MODULUS)
    genes = Gene.objects.exclude(pk=gene.pk)
    if with_portrait:
        genes = genes.filter(canonical__portrait__in=public_portraits())
    return list(genes.annotate(tier=tier, shuffle=shuffle).order_by("tier", "shuffle", "id")[:count])


def catalogue_window(genes: QuerySet[Gene], rng: random.Random, size: int = POOL_SIZE) -> list[Gene]:
    """Up to ``size`` genes of ``genes`` from a seeded place in the catalogue (wrapping round), shuffled.

    Read along the primary key from a random id, so it costs an index range scan, not a sort of the table.
    """
    bounds = Gene.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    start = rng.randint(bounds["low"], bounds["high"])
    found = list(genes.filter(id__gte=start).order_by("id")[:size])
    if len(found) < size:
        found += genes.filter(id__lt=start).order_by("id")[: size - len(found)]
    rng.shuffle(found)
    return found


def apart(
    candidates: Iterable[Gene],
    value: Callable[[Gene], object],
    answer: object,
    close: Callable,
    count: int = DISTRACTORS,
) -> list[Gene]:
    """The first ``count`` candidates whose value is not ``close`` to the answer's nor to another chosen one's."""
    chosen: list[Gene] = []
    taken = [answer]
    for gene in candidates:
        mine = value(gene)
        if any(close(mine, other) for other in taken):
            continue
        chosen.append(gene)
        taken.append(mine)
        if len(chosen) == count:
            break
    return chosen


def weights_close(a: float, b: float) -> bool:
    return max(a, b) < min(a, b) * WEIGHT_RATIO


def ages_close(a: int, b: int) -> bool:
    return abs(a - b) < AGE_GAP


def fashions_close(a: frozenset, b: frozenset) -> bool:
    return bool(a & b)


def near_then_anywhere(near: QuerySet[Gene], anywhere: QuerySet[Gene], rng: random.Random) -> Iterator[Gene]:
    """Candidates from ``near`` first; from ``anywhere`` only if those run out (the second query runs only then)."""
    yield from catalogue_window(near, rng)
    yield from catalogue_window(anywhere, rng)


def trait_distractors(kind: str, gene: Gene, rng: random.Random) -> list[Gene]:
    """Three genes whose values for the trait are far enough apart; values near the answer's first (plausible)."""
    others = Gene.objects.exclude(pk=gene.pk)
    if kind == Kind.WEIGHT:
        weight, weighed = gene.weight_kg, others.filter(weight_kg__isnull=False)
        near = weighed.filter(weight_kg__gte=weight / WEIGHT_WINDOW, weight_kg__lte=weight * WEIGHT_WINDOW)
        return apart(near_then_anywhere(near, weighed, rng), lambda g: g.weight_kg, weight, weights_close)
    if kind == Kind.AGE:
        dated = others.filter(age__isnull=False)
        near = dated.filter(age__gte=gene.age - AGE_WINDOW, age__lte=gene.age + AGE_WINDOW)
        return apart(near_then_anywhere(near, dated, rng), lambda g: g.age, gene.age, ages_close)
    styles = (g for g in catalogue_window(others, rng) if g.aesthetics)
    return apart(styles, lambda g: frozenset(g.aesthetics), frozenset(gene.aesthetics), fashions_close)


# ---------------------------------------------------------------- questions


def askable(kind: str, gene: Gene) -> bool:
    """Whether the gene has what a trait question of this kind asks about (portraits are checked apart)."""
    if kind == Kind.WEIGHT:
        return gene.weight_kg is not None
    if kind == Kind.AGE:
        return gene.age is not None
    if kind == Kind.FASHION:
        return bool(gene.aesthetics)
    return True


def showing_rng(card: ReviewCard) -> random.Random:
    return random.Random(f"showing:{card.pk}:{card.reps}")


def build_question(card: ReviewCard) -> Question | None:
    """The card's question for its current version; None when it cannot be asked now (its portrait is gone)."""
    gene, kind, rng = card.gene, card.kind, showing_rng(card)
    text = PROMPTS[Kind(kind)].format(symbol=gene.symbol)
    if kind == Kind.PORTRAIT_TO_GENE:
        portrait = canonical_portraits([gene.pk]).get(gene.pk)
        if portrait is None:
            return None
        options = [(g.symbol, None) for g in [gene, *look_alikes(gene, rng)]]
        return _question(card, text, options, rng, prompt_image_url=portrait.image.url)
    if kind == Kind.SYMBOL_TO_PORTRAIT:
        genes = [gene, *look_alikes(gene, rng, with_portrait=True)]
        portraits = canonical_portraits(g.pk for g in genes)
        if gene.pk not in portraits:
            return None
        options = [("", portraits[g.pk].image.url) for g in genes if g.pk in portraits]
        return _question(card, text, options, rng, prompt_symbol=gene.symbol)
    if not askable(kind, gene):
        return None
    if kind == Kind.FACTION:
        factions = sorted((faction.value for faction in Faction), key=lambda value: value != gene.faction)
        options = [(value, None) for value in factions]  # the answer first, as for the other kinds
    else:
        options = [(trait_label(kind, g), None) for g in [gene, *trait_distractors(kind, gene, rng)]]
    return _question(card, text, options, rng, prompt_symbol=gene.symbol, prompt_color_hex=gene.color_hex)


def _question(card: ReviewCard, text: str, options: list[tuple], rng: random.Random, **prompt) -> Question:
    """Shuffle ``options`` ((label, image_url), the answer first) into choices a-d; image choices are labelled
    "Portrait 1" to "Portrait 4"."""
    order = list(range(len(options)))
    rng.shuffle(order)
    choices, answer_id = [], ""
    for choice_id, index in zip(CHOICE_IDS, order, strict=False):
        label, image_url = options[index]
        number = len(choices) + 1
        choices.append(Choice(id=choice_id, label=label or f"Portrait {number}", image_url=image_url))
        if index == 0:
            answer_id = choice_id
    return Question(card=card, text=text, choices=choices, answer_id=answer_id, **prompt)
