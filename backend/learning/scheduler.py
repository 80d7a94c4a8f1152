"""FSRS scheduling of review cards: the one module that talks to the ``fsrs`` package (6.x).

The parameters, all the package's defaults except where said:

- ``parameters``: ``fsrs.scheduler.DEFAULT_PARAMETERS``, the 21 weights FSRS-6 ships, fitted to
  Anki's review corpus (no per-user optimisation yet);
- ``desired_retention`` 0.9: intervals are chosen so that a card is recalled with probability 0.9
  when it comes due;
- learning steps 1 min and 10 min, one relearning step of 10 min (a new or forgotten card comes
  back within the session), ``maximum_interval`` 36,500 days;
- fuzzing on (:data:`FUZZING`): intervals of 2.5 days or more move by up to 5-15 % so that cards
  learnt together do not stay together; tests turn it off to compare intervals exactly.

Grades are FSRS's ratings: 1 Again, 2 Hard, 3 Good, 4 Easy. A wrong choice is always Again.

New cards are introduced at most :data:`NEW_PER_DAY` a day (20, as Anki's default deck options),
so a user who discovers 300 genes in one reading session is not handed 1,800 cards at once; the
rest wait, in the order they were enrolled. Days are UTC days (midnight to midnight UTC) for the
new-card allowance, "reviewed today" and the streak, whatever the site's TIME_ZONE: every stored
time is an aware UTC datetime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

from .models import CardState, ReviewCard

DESIRED_RETENTION = 0.9
NEW_PER_DAY = 20
FUZZING = True
GRADES = {int(rating): rating.name for rating in Rating}  # {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
AGAIN = int(Rating.Again)


@dataclass(frozen=True)
class Schedule:
    """A card's FSRS state after one review."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime

    def interval_days(self, now: datetime) -> float:
        return (self.due - now).total_seconds() / 86400


def fsrs_scheduler() -> Scheduler:
    return Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=FUZZING)


def utc(moment: datetime) -> datetime:
    """The same instant with ``datetime.timezone.utc`` as its zone (what ``fsrs`` insists on)."""
    return moment.astimezone(UTC)


def fsrs_card(card: ReviewCard) -> Card:
    return Card(
        card_id=card.pk,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc(card.due),
        last_review=None if card.last_review is None else utc(card.last_review),
    )


def review(card: ReviewCard, grade: int, now: datetime) -> Schedule:
    """The card's next state after ``grade`` (1-4) at ``now`` (any aware datetime)."""
    reviewed, _ = fsrs_scheduler().review_card(fsrs_card(card), Rating(grade), review_datetime=utc(now))
    return Schedule(
        state=int(reviewed.state),
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=utc(now),
    )


def state_before(card: ReviewCard) -> int:
    """The card's state as the log records it: NEW before its first review."""
    return CardState.NEW if card.is_new else card.state
