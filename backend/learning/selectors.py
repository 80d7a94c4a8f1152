"""Read-only queries about review: what is due, today's counts, the streak and retention.

Days are UTC days (see :mod:`backend.learning.scheduler`). "Due" counts the reviewed cards whose
time has come and the new cards today's allowance still lets in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from backend.accounts.models import Discovery
from backend.portraits.models import Canonical

from .models import PORTRAIT_KINDS, CardState, Kind, ReviewCard, ReviewLog
from .scheduler import NEW_PER_DAY

RETENTION_DAYS = 30
PLOT_DAYS = 30


def day_start(now: datetime) -> datetime:
    """Midnight UTC of the UTC day ``now`` falls in."""
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


def askable_cards(user):
    """The user's cards that can be asked now: a portrait question only while its gene has a canonical portrait."""
    portrayed = Exists(Canonical.objects.filter(gene_id=OuterRef("gene_id")))
    return ReviewCard.objects.filter(user=user).filter(~Q(kind__in=PORTRAIT_KINDS) | portrayed)


def new_allowance(user, now: datetime) -> int:
    """How many more new cards may be introduced today (NEW_PER_DAY less those first reviewed since midnight UTC)."""
    introduced = ReviewLog.objects.filter(user=user, reviewed_at__gte=day_start(now), state_before=CardState.NEW)
    return max(0, NEW_PER_DAY - introduced.count())


def due_cards(user, *, now: datetime | None = None, limit: int = 10) -> list[ReviewCard]:
    """The cards to review next, at most ``limit``: reviewed cards that are due (most overdue first), then new cards
    up to today's allowance, in the order they were enrolled but siblings apart (:func:`siblings_apart`). The query
    /api/review/next/ and the review page use."""
    now = now or timezone.now()
    cards = askable_cards(user).select_related("gene")
    due = list(cards.filter(reps__gt=0, due__lte=now).order_by("due", "id")[:limit])
    room = min(limit - len(due), new_allowance(user, now))
    if room > 0:
        # Enough new cards to find ``room`` genes, read light; then the chosen ones with their genes.
        candidates = askable_cards(user).filter(reps=0).order_by("id").only("id", "gene_id")[: room * len(Kind)]
        chosen = [card.pk for card in siblings_apart(list(candidates))[:room]]
        found = cards.in_bulk(chosen)
        due += [found[pk] for pk in chosen]
    return due


def siblings_apart(cards: list[ReviewCard]) -> list[ReviewCard]:
    """The cards with every gene's first card before any gene's second one (otherwise in their order), so that a
    gene's portrait question does not give away the answer to its symbol question just after."""
    seen: Counter[int] = Counter()
    ranked = []
    for position, card in enumerate(cards):
        ranked.append((seen[card.gene_id], position, card))
        seen[card.gene_id] += 1
    return [card for _, _, card in sorted(ranked, key=lambda entry: entry[:2])]


@dataclass(frozen=True)
class DueCounts:
    due: int  # due now, today's new cards included
    new: int  # new cards available today


def due_counts(user, now: datetime | None = None) -> DueCounts:
    now = now or timezone.now()
    counts = askable_cards(user).aggregate(
        reviews=Count("id", filter=Q(reps__gt=0, due__lte=now)), new=Count("id", filter=Q(reps=0))
    )
    new = min(counts["new"], new_allowance(user, now))
    return DueCounts(due=counts["reviews"] + new, new=new)


def reviewed_on(user, since: datetime):
    return ReviewLog.objects.filter(user=user, reviewed_at__gte=since)


def review_days(user) -> list[date]:
    """The UTC days on which the user reviewed at least once, latest first."""
    days = (
        ReviewLog.objects.filter(user=user)
        .annotate(day=TruncDate("reviewed_at", tzinfo=UTC))
        .values_list("day", flat=True)
        .distinct()
        .order_by("-day")
    )
    return list(days)


def streak_days(user, now: datetime | None = None) -> int:
    """Consecutive UTC days with at least one review, ending today, or yesterday while today has none yet (a
    streak is not lost before the day is over)."""
    today = (now or timezone.now()).astimezone(UTC).date()
    days = review_days(user)
    if not days or days[0] < today - timedelta(days=1):
        return 0
    streak, expected = 0, days[0]
    for day in days:
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak


def retention(user, now: datetime | None = None, days: int = RETENTION_DAYS) -> float | None:
    """The share of answers that were right over the last ``days`` days; None without answers."""
    since = (now or timezone.now()) - timedelta(days=days)
    counts = reviewed_on(user, since).aggregate(total=Count("id"), right=Count("id", filter=Q(correct=True)))
    return None if not counts["total"] else counts["right"] / counts["total"]


@dataclass(frozen=True)
class Summary:
    due: int
    new: int
    reviewed_today: int
    streak_days: int
    retention_30d: float | None


def summary(user, now: datetime | None = None) -> Summary:
    now = now or timezone.now()
    counts = due_counts(user, now)
    return Summary(
        due=counts.due,
        new=counts.new,
        reviewed_today=reviewed_on(user, day_start(now)).count(),
        streak_days=streak_days(user, now),
        retention_30d=retention(user, now),
    )


@dataclass(frozen=True)
class Day:
    day: date
    reviews: int
    correct: int


def reviews_per_day(user, now: datetime | None = None, days: int = PLOT_DAYS) -> list[Day]:
    """Reviews and right answers on each of the last ``days`` UTC days, today last (days without any included)."""
    today = (now or timezone.now()).astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=UTC)
    rows = (
        reviewed_on(user, since)
        .annotate(day=TruncDate("reviewed_at", tzinfo=UTC))
        .values("day")
        .annotate(reviews=Count("id"), correct=Count("id", filter=Q(correct=True)))
        .order_by()
    )
    counts = {row["day"]: (row["reviews"], row["correct"]) for row in rows}
    return [Day(day, *counts.get(day, (0, 0))) for day in (first + timedelta(days=n) for n in range(days))]


def genes_to_enrol(user) -> list[int]:
    """Genes whose cards the user lacks, oldest discovery first: discoveries without cards yet, then enrolled genes
    that have gained a canonical portrait since. Two indexed queries; enrolment (services) creates the cards.

    Every enrolled gene has a faction card (every gene has a faction), so it marks a gene as enrolled.
    """
    enrolled = ReviewCard.objects.filter(user=user, gene=OuterRef("gene_id"), kind=Kind.FACTION)
    portrait_card = ReviewCard.objects.filter(user=user, gene=OuterRef("gene_id"), kind=Kind.PORTRAIT_TO_GENE)
    discovered = (
        Discovery.objects.filter(user=user)
        .filter(~Exists(enrolled))
        .order_by("discovered_at", "id")
        .values_list("gene_id", flat=True)
    )
    portrayed = (
        ReviewCard.objects.filter(user=user, kind=Kind.FACTION)
        .filter(Exists(Canonical.objects.filter(gene_id=OuterRef("gene_id"))), ~Exists(portrait_card))
        .order_by("id")
        .values_list("gene_id", flat=True)
    )
    return list(dict.fromkeys([*discovered, *portrayed]))
