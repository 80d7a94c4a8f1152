"""The review pages: the review (signed in only), its stats with the streak, retention and the plot of reviews per
day, and "N new / M due" on the archive page."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from backend.accounts.services import record_discoveries
from backend.learning import selectors, services
from backend.learning.models import Kind, ReviewCard
from pipeline.paths import REPO_ROOT

from .factories import make_gene, make_user

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def review_on(user, days_ago: list[int], *, now: datetime, wrong: int = 0) -> None:
    """One answer on each of these days before ``now`` (the first ``wrong`` of them wrong), on a faction card."""
    gene = make_gene(f"G{ReviewCard.objects.count()}")
    services.enrol_genes(user, [gene.pk], now=now - timedelta(days=60))
    card = ReviewCard.objects.get(user=user, gene=gene, kind=Kind.FACTION)
    for n, days in enumerate(sorted(days_ago, reverse=True)):
        card.refresh_from_db()
        right = n >= wrong
        at = now - timedelta(days=days)
        services.record_review(card, version=card.reps, grade=3 if right else 1, correct=right, elapsed_ms=None, now=at)


@pytest.mark.parametrize("path", ["/review/", "/review/stats/", "/review/stats/plot.svg"])
def test_guests_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_the_review_page_shows_the_due_count_and_runs_on_the_api(client, user):
    for symbol in ("TP53", "MDM2"):
        make_gene(symbol)
    record_discoveries(user=user, names=["TP53", "MDM2"])
    client.force_login(user)
    response = client.get("/review/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span id="review-due">8</span> <small>due today</small>' in page
    assert 'data-next-url="/api/review/next/"' in page
    assert 'data-answer-url="/api/review/answers/"' in page
    assert "/static/iconoplasm/review.js" in page
    assert "csrftoken" in response.cookies
    assert "Done for today" in page  # shown by the script when nothing is left


def test_the_review_script_builds_the_page_without_innerhtml():
    script = (REPO_ROOT / "backend/static/iconoplasm/review.js").read_text()
    for parses_html in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "DOMParser"):
        assert parses_html not in script
    assert "textContent" in script
    assert '"X-CSRFToken"' in script
    assert 'credentials: "same-origin"' in script


def test_the_archive_says_how_many_are_new_and_due(client, user):
    for symbol in ("TP53", "MDM2", "KRAS"):
        make_gene(symbol)
    record_discoveries(user=user, names=["TP53", "MDM2", "KRAS"])
    client.force_login(user)
    page = client.get("/").content.decode()
    assert '<a href="/review/">12 new / 12 due</a>' in page
    card = selectors.due_cards(user, limit=1)[0]
    services.record_review(card, version=0, grade=4, correct=True, elapsed_ms=None, now=timezone.now())
    assert '<a href="/review/">11 new / 11 due</a>' in client.get("/").content.decode()


def test_guests_and_others_views_have_no_review_counts(client, user):
    assert "review-counts" not in client.get("/").content.decode()
    client.force_login(user)
    assert "review-counts" not in client.get("/?view=others").content.decode()


def test_the_stats_page_shows_streak_retention_and_the_plot(client, user):
    now = timezone.now()
    review_on(user, [0, 1, 2, 5], now=now, wrong=1)
    client.force_login(user)
    page = client.get("/review/stats/").content.decode()
    assert "3 days in a row" in page
    assert "75 % right over the last 30 days" in page
    assert "4 reviews" in page
    assert '<img src="/review/stats/plot.svg"' in page


def test_the_stats_page_without_reviews(client, user):
    client.force_login(user)
    page = client.get("/review/stats/").content.decode()
    assert "0 days in a row" in page
    assert "no answers in the last 30 days" in page


def test_the_plot_is_an_svg_of_the_last_thirty_days(client, user):
    now = timezone.now()
    review_on(user, [0, 0, 3], now=now, wrong=1)
    client.force_login(user)
    response = client.get("/review/stats/plot.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = ElementTree.fromstring(response.content)
    bars = [bar for bar in svg.iter(f"{SVG}rect") if bar.find(f"{SVG}title") is not None]
    assert len(bars) == 2 * 30
    titles = [bar.find(f"{SVG}title").text for bar in bars]
    today = now.astimezone(UTC).date()
    assert f"{today}: 2 reviews, 2 right" in titles
    assert f"{today - timedelta(days=3)}: 1 reviews, 0 right" in titles


@pytest.mark.parametrize(
    ("days_ago", "streak"),
    [
        ([], 0),
        ([0], 1),
        ([0, 0, 0], 1),  # several reviews in a day are one day
        ([0, 1, 2, 3], 4),
        ([1, 2], 2),  # nothing yet today: the streak still stands until the day is over
        ([2, 3, 4], 0),  # yesterday was missed
        ([0, 1, 3, 4, 5], 2),  # a gap ends it
    ],
)
def test_the_streak_counts_consecutive_utc_days(user, days_ago, streak):
    now = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    if days_ago:
        review_on(user, days_ago, now=now)
    assert selectors.streak_days(user, now) == streak


def test_retention_is_the_share_right_over_thirty_days(user):
    now = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    assert selectors.retention(user, now) is None
    review_on(user, [40, 41, 42], now=now, wrong=0)  # too old to count
    assert selectors.retention(user, now) is None
    review_on(user, [1, 2, 3, 4], now=now, wrong=1)
    assert selectors.retention(user, now) == 0.75
    summary = selectors.summary(user, now)
    assert (summary.reviewed_today, summary.streak_days, summary.retention_30d) == (0, 4, 0.75)


def test_the_daily_counts_are_per_utc_day_whatever_the_time_zone(client, settings):
    """Two answers either side of midnight UTC (the same evening in Los Angeles) are two UTC days."""
    settings.TIME_ZONE = "America/Los_Angeles"
    user = make_user()
    midnight = datetime(2026, 6, 10, tzinfo=UTC)
    review_on(user, [0], now=midnight - timedelta(minutes=5))
    review_on(user, [0], now=midnight + timedelta(minutes=5))
    days = selectors.reviews_per_day(user, midnight + timedelta(hours=1), days=2)
    assert [(day.day.isoformat(), day.reviews) for day in days] == [("2026-06-09", 1), ("2026-06-10", 1)]
    assert selectors.streak_days(user, midnight + timedelta(hours=1)) == 2
    assert selectors.summary(user, midnight + timedelta(hours=1)).reviewed_today == 1
