"""Two answers to one showing record exactly one review, however they interleave.

On any database: both answers read the card before either writes (the interleaving of a race, played
in order). On PostgreSQL also for real: threads, each on its own connection, post the same showing
at once through the API (SQLite's in-memory test database cannot take concurrent writers; ``./dev
test`` runs tests/backend again on PostgreSQL).
"""

from __future__ import annotations

import pytest

from backend.learning import services
from backend.learning.models import Kind, ReviewCard, ReviewLog
from backend.learning.questions import build_question

from .factories import client_for, make_gene, make_user
from .test_concurrency import needs_postgresql, run_together


def faction_card(user) -> ReviewCard:
    services.enrol_genes(user, [make_gene("TP53").pk])
    return ReviewCard.objects.select_related("gene").get(user=user, kind=Kind.FACTION)


@pytest.mark.django_db
def test_two_answers_that_both_read_the_card_first_record_one_review():
    user = make_user()
    card = faction_card(user)
    first_read, second_read = ReviewCard.objects.get(pk=card.pk), ReviewCard.objects.get(pk=card.pk)
    schedule = services.record_review(first_read, version=0, grade=3, correct=True, elapsed_ms=None, now=card.due)
    with pytest.raises(services.AlreadyAnswered):
        services.record_review(second_read, version=0, grade=1, correct=False, elapsed_ms=None, now=card.due)
    assert list(ReviewLog.objects.values_list("grade", flat=True)) == [3]
    card.refresh_from_db()
    assert (card.reps, card.due) == (1, schedule.due)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_to_one_showing_record_exactly_one_review():
    user = make_user()
    card = faction_card(user)
    question = build_question(card)
    body = {"card": card.pk, "showing": question.showing, "choice": question.answer_id, "grade": 3}

    def post():
        return client_for(user).post("/api/review/answers/", body, format="json").status_code

    for attempt in range(5):  # several rounds: each round a fresh showing of the card
        statuses, errors = run_together([post] * 6, within_s=60)
        assert errors == []
        assert sorted(statuses) == [200] + [409] * 5
        assert ReviewLog.objects.filter(card=card).count() == attempt + 1
        card.refresh_from_db()
        question = build_question(ReviewCard.objects.select_related("gene").get(pk=card.pk))
        body = {"card": card.pk, "showing": question.showing, "choice": question.answer_id, "grade": 3}
    assert list(ReviewLog.objects.order_by("id").values_list("reps_before", flat=True)) == [0, 1, 2, 3, 4]
