"""The review pages: the review itself (run by review.js through the JSON API), the stats with their plot, and
studying a cast."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import Throttled

from backend.casts.selectors import visible_cast
from backend.common.ratelimit import check_rate, throttled_page

from . import selectors, services
from .scheduler import NEW_PER_DAY

# The plot of reviews per day, in SVG user units.
PLOT_WIDTH, PLOT_HEIGHT, PLOT_MARGIN = 640, 220, 28


@require_GET
@login_required
@ensure_csrf_cookie  # review.js sends the CSRF cookie back with each answer
def review_page(request):
    services.enrol_discoveries(request.user)
    return render(request, "learning/review.html", review_context(request.user))


def review_context(user) -> dict:
    return {"summary": selectors.summary(user), "new_per_day": NEW_PER_DAY}


@require_GET
@login_required
def review_stats(request):
    services.enrol_discoveries(request.user)
    days = selectors.reviews_per_day(request.user)
    context = {
        **review_context(request.user),
        "days": days,
        "month_reviews": sum(day.reviews for day in days),
        "retention_days": selectors.RETENTION_DAYS,
    }
    return render(request, "learning/stats.html", context)


@require_GET
@login_required
def review_plot(request):
    """Reviews per day over the last 30 UTC days as an SVG bar chart (right answers darker)."""
    response = HttpResponse(plot_svg(selectors.reviews_per_day(request.user)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


def plot_svg(days: list[selectors.Day]) -> str:
    """The chart as an SVG document; its only text is numbers and dates, escaped all the same."""
    top = max([day.reviews for day in days] + [1])
    inner_w, inner_h = PLOT_WIDTH - 2 * PLOT_MARGIN, PLOT_HEIGHT - 2 * PLOT_MARGIN
    slot = inner_w / len(days)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PLOT_WIDTH} {PLOT_HEIGHT}" role="img" '
        f'font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{escape(f'Reviews per day, last {len(days)} days (UTC): {sum(d.reviews for d in days)} in all')}</title>",
        f'<rect width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" fill="#ffffff"/>',
        f'<line x1="{PLOT_MARGIN}" y1="{PLOT_MARGIN + inner_h}" x2="{PLOT_MARGIN + inner_w}" '
        f'y2="{PLOT_MARGIN + inner_h}" stroke="#d9dde3"/>',
        f'<text x="{PLOT_MARGIN}" y="{PLOT_MARGIN - 10}" fill="#5b636d">{escape(top)} reviews</text>',
    ]
    for index, day in enumerate(days):
        x = PLOT_MARGIN + index * slot + slot * 0.1
        for value, colour in ((day.reviews, "#b8c4de"), (day.correct, "#3d5a98")):
            height = inner_h * value / top
            parts.append(
                f'<rect x="{x:.1f}" y="{PLOT_MARGIN + inner_h - height:.1f}" width="{slot * 0.8:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(f"{day.day}: {day.reviews} reviews, {day.correct} right")}</title></rect>'
            )
        if index % 7 == 0 or index == len(days) - 1:
            parts.append(
                f'<text x="{x:.1f}" y="{PLOT_HEIGHT - 8}" fill="#5b636d">{escape(day.day.strftime("%b %d"))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


@require_POST
@login_required
def cast_study(request, slug: str):
    """Add every gene of a cast to the user's review, then go to the review page."""
    try:
        check_rate("study", request)
    except Throttled as exc:
        return throttled_page(request, "learning/review.html", review_context(request.user), exc)
    cast = visible_cast(slug, request.user)
    if cast is None:
        raise Http404("no such cast")
    added = services.study_cast(request.user, cast)
    messages.success(
        request, f"Studying “{cast.title}”: {added} new card{'s' if added != 1 else ''} added to your review."
    )
    return redirect("review")
