"""Writes for review: enrolment (cards for the genes a user discovered or chose to study) and answers.

Enrolment is lazy: accounts (upstream) records discoveries without knowing about review, and
the review page, the API and the archive page call :func:`enrol_discoveries` before they count
or list cards; it inserts the missing cards in one statement (the unique (user, gene, kind)
constraint makes two concurrent enrolments harmless). A gene gets the portrait kinds only once
it has a canonical portrait, and a trait kind only when it has that trait.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.casts.models import Cast
from backend.casts.selectors import cast_gene_ids
from backend.common.db import retry_when_locked
from backend.genes.models import Gene
from backend.genes.selectors import find_typed_genes
from backend.portraits.selectors import canonical_portraits

from . import scheduler, selectors
from .models import PORTRAIT_KINDS, Kind, ReviewCard, ReviewLog
from .questions import BadShowing, answer_label, askable, fact, read_showing

# Genes one study request may name (as many as one discovery post).
MAX_STUDY_GENES = 500
# Cards inserted per statement (SQLite's limit on the parameters of one statement stays far off).
INSERT_BATCH = 500


class AnswerRejected(ValueError):
    """An answer that cannot be recorded (unknown card, another user's card, a bad showing): a 400."""


class AlreadyAnswered(Exception):
    """The question was answered already (twice, or by two requests at once): a 409."""


class UnknownGenes(ValueError):
    """Names of genes to study that refer to no gene (or to several)."""

    def __init__(self, names: list[str]):
        super().__init__("unknown genes: " + ", ".join(names))
        self.names = names


def card_kinds(gene: Gene, portrayed: bool) -> list[Kind]:
    """The kinds of card a gene gets now: the trait kinds it can be asked, and the portrait kinds once portrayed."""
    return [
        kind
        for kind in Kind
        if (kind in PORTRAIT_KINDS and portrayed) or (kind not in PORTRAIT_KINDS and askable(kind, gene))
    ]


def enrol_genes(user, gene_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Create the user's missing cards for these genes (in this order); the number created."""
    ids = list(dict.fromkeys(gene_ids))
    if not ids:
        return 0
    genes = Gene.objects.filter(pk__in=ids).only("id", "weight_kg", "age", "aesthetics", "faction").in_bulk()
    portrayed = canonical_portraits(ids).keys()
    have = set(ReviewCard.objects.filter(user=user, gene_id__in=ids).values_list("gene_id", "kind"))
    due = now or timezone.now()
    missing = [
        ReviewCard(user=user, gene_id=gene_id, kind=kind, due=due)
        for gene_id in ids
        if gene_id in genes
        for kind in card_kinds(genes[gene_id], gene_id in portrayed)
        if (gene_id, kind) not in have
    ]
    ReviewCard.objects.bulk_create(missing, ignore_conflicts=True, batch_size=INSERT_BATCH)
    return len(missing)


def enrol_discoveries(user, *, now: datetime | None = None) -> int:
    """Cards for the user's discoveries that have none yet, and portrait cards for genes portrayed since."""
    return enrol_genes(user, selectors.genes_to_enrol(user), now=now)


def study_cast(user, cast: Cast) -> int:
    """Enrol every gene of the cast; the number of cards created."""
    return enrol_genes(user, cast_gene_ids(cast))


def study_genes(user, names: list[str]) -> int:
    """Enrol the genes these names refer to (symbols, previous symbols, aliases, in any case); UnknownGenes names those
    that refer to none, and then nothing is enrolled."""
    genes, unknown = find_typed_genes(list(dict.fromkeys(name.strip() for name in names if name.strip())))
    if unknown:
        raise UnknownGenes(unknown)
    return enrol_genes(user, [gene.pk for gene in genes])


@dataclass(frozen=True)
class Answered:
    correct: bool
    grade: int
    answer_id: str
    answer_label: str
    fact: str
    schedule: scheduler.Schedule
    reviewed_at: datetime

    @property
    def interval_days(self) -> float:
        return self.schedule.interval_days(self.reviewed_at)


def answer(
    user, *, card_id: int, showing: str, choice: str, grade: int, elapsed_ms: int | None = None, now=None
) -> Answered:
    """Record the user's answer to a showing: a right choice is graded as given, a wrong one is Again (1).

    AnswerRejected for a bad showing or a card that is not the user's; AlreadyAnswered when this showing
    was answered before (the card has moved on to a later version).
    """
    now = now or timezone.now()
    try:
        shown = read_showing(showing)
    except BadShowing as exc:
        raise AnswerRejected(str(exc)) from None
    card = ReviewCard.objects.select_related("gene").filter(pk=card_id, user=user).first()
    if card is None:
        raise AnswerRejected(f"no review card #{card_id} of yours")
    if shown.card != card.pk:
        raise AnswerRejected(f"this showing is of another card, not #{card_id}")
    if card.reps != shown.version:
        raise AlreadyAnswered
    correct = choice == shown.answer
    recorded = grade if correct else scheduler.AGAIN
    schedule = record_review(
        card, version=shown.version, grade=recorded, correct=correct, elapsed_ms=elapsed_ms, now=now
    )
    return Answered(
        correct=correct,
        grade=recorded,
        answer_id=shown.answer,
        answer_label=answer_label(card),
        fact=fact(card),
        schedule=schedule,
        reviewed_at=now,
    )


def record_review(
    card: ReviewCard, *, version: int, grade: int, correct: bool, elapsed_ms: int | None, now: datetime
) -> scheduler.Schedule:
    """Move ``card`` (as read at ``version``) on by one review and log it, in one transaction.

    The card is updated only where its version is still ``version`` (a conditional UPDATE): of two
    answers to one showing, however they interleave, one updates the card and logs, the other
    raises AlreadyAnswered and writes nothing.
    """
    schedule = scheduler.review(card, grade, now)

    def write() -> None:
        with transaction.atomic():
            updated = ReviewCard.objects.filter(pk=card.pk, reps=version).update(
                state=schedule.state,
                step=schedule.step,
                stability=schedule.stability,
                difficulty=schedule.difficulty,
                due=schedule.due,
                last_review=schedule.last_review,
                reps=version + 1,
            )
            if not updated:
                raise AlreadyAnswered
            ReviewLog.objects.create(
                user_id=card.user_id,
                gene_id=card.gene_id,
                card_id=card.pk,
                kind=card.kind,
                reps_before=version,
                grade=grade,
                correct=correct,
                reviewed_at=now,
                elapsed_ms=elapsed_ms,
                state_before=scheduler.state_before(card),
                state_after=schedule.state,
                due_after=schedule.due,
            )

    retry_when_locked(write)
    return schedule
