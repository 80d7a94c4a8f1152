"""FSRS scheduling of review cards: intervals grow after Good and shrink after Again; due times are stored as UTC
instants whatever the site's time zone."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.learning import scheduler, services
from backend.learning.models import CardState, Kind, ReviewCard, ReviewLog

from .factories import make_gene, make_user

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def exact_intervals(monkeypatch):
    """Intervals without FSRS's random fuzz, so that they can be compared exactly."""
    monkeypatch.setattr(scheduler, "FUZZING", False)


def faction_card(symbol: str = "TP53") -> ReviewCard:
    user = make_user()
    services.enrol_genes(user, [make_gene(symbol).pk], now=START)
    return ReviewCard.objects.get(user=user, kind=Kind.FACTION)


def grade_when_due(card: ReviewCard, grade: int) -> timedelta:
    """Review the card at its due time with ``grade``; the interval it is given."""
    card.refresh_from_db()
    now = card.due
    schedule = services.record_review(card, version=card.reps, grade=grade, correct=grade > 1, elapsed_ms=None, now=now)
    return schedule.due - now


def test_a_new_card_answered_good_goes_through_the_learning_steps_then_to_days():
    card = faction_card()
    assert grade_when_due(card, 3) == timedelta(minutes=10)  # learning step 2
    graduated = grade_when_due(card, 3)
    assert graduated >= timedelta(days=1)
    card.refresh_from_db()
    assert (card.state, card.step, card.reps) == (CardState.REVIEW, None, 2)


def test_intervals_grow_after_each_good():
    card = faction_card()
    grade_when_due(card, 3)
    intervals = [grade_when_due(card, 3) for _ in range(5)]
    assert intervals == sorted(intervals)
    assert all(later > earlier for earlier, later in itertools.pairwise(intervals))
    assert intervals[-1] > timedelta(days=30)


def test_again_shrinks_the_interval_and_relearns():
    card = faction_card()
    grade_when_due(card, 3)
    for _ in range(3):
        grown = grade_when_due(card, 3)
    stability_before = ReviewCard.objects.get(pk=card.pk).stability
    lapsed = grade_when_due(card, 1)
    assert lapsed == timedelta(minutes=10)  # the relearning step
    card.refresh_from_db()
    assert card.state == CardState.RELEARNING
    assert card.stability < stability_before
    relearnt = grade_when_due(card, 3)
    assert timedelta(minutes=10) < relearnt < grown


def test_easy_gives_a_longer_interval_than_good_and_hard_a_shorter_one():
    intervals = {}
    for grade in (2, 3, 4):
        card = faction_card(f"GENE{grade}")
        grade_when_due(card, 3)
        grade_when_due(card, 3)
        intervals[grade] = grade_when_due(card, grade)
    assert intervals[2] < intervals[3] < intervals[4]


def test_the_log_records_the_state_before_and_after():
    card = faction_card()
    grade_when_due(card, 3)
    grade_when_due(card, 3)
    grade_when_due(card, 1)
    states = list(ReviewLog.objects.order_by("id").values_list("reps_before", "state_before", "state_after", "grade"))
    assert states == [
        (0, CardState.NEW, CardState.LEARNING, 3),
        (1, CardState.LEARNING, CardState.REVIEW, 3),
        (2, CardState.REVIEW, CardState.RELEARNING, 1),
    ]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_due_times_are_the_same_instants_whatever_the_time_zone(settings, zone):
    """The same reviews at the same instants, with TIME_ZONE and the active zone set to ``zone``: the same due
    instants are stored and read back, aware and in UTC."""
    settings.TIME_ZONE = zone
    with timezone.override(ZoneInfo(zone)):
        card = faction_card()
        # Reviews given as local times of the zone: the scheduler sees the instant.
        first = START.astimezone(ZoneInfo(zone))
        services.record_review(card, version=0, grade=3, correct=True, elapsed_ms=900, now=first)
        card.refresh_from_db()
        services.record_review(card, version=1, grade=3, correct=True, elapsed_ms=900, now=card.due)
        card.refresh_from_db()
    assert card.due.tzinfo is not None
    assert card.due.utcoffset() == timedelta(0)
    assert card.last_review == START + timedelta(minutes=10)
    expected_card = ReviewCard(state=CardState.LEARNING, step=0, due=START, reps=0)
    expected = scheduler.review(expected_card, 3, START)
    expected_card.state, expected_card.step = expected.state, expected.step
    expected_card.stability, expected_card.difficulty = expected.stability, expected.difficulty
    expected_card.due, expected_card.last_review, expected_card.reps = expected.due, expected.last_review, 1
    assert card.due == scheduler.review(expected_card, 3, expected.due).due
    assert ReviewLog.objects.get(reps_before=1).due_after == card.due


def test_fuzzing_is_on_outside_the_tests_and_the_documented_retention_is_used(monkeypatch):
    monkeypatch.undo()
    used = scheduler.fsrs_scheduler()
    assert used.enable_fuzzing is True
    assert used.desired_retention == 0.9
    assert scheduler.NEW_PER_DAY == 20
