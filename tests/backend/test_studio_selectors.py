"""Selectors of the studio app: which requests a worker may claim, and a user's own requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backend.studio import selectors
from backend.studio.models import GenerationRequest

from .factories import make_emulsion, make_gene, make_user

pytestmark = pytest.mark.django_db


def test_claimable_is_queued_and_timed_out_running_requests_with_attempts_left_oldest_first(settings):
    settings.ICONOPLASM_CLAIM_TIMEOUT_S = 60
    settings.ICONOPLASM_MAX_ATTEMPTS = 3
    gene, emulsion, user = make_gene(), make_emulsion(), make_user()
    now = timezone.now()
    long_ago = now - dt.timedelta(seconds=61)

    def request(**fields):
        return GenerationRequest.objects.create(user=user, gene=gene, emulsion=emulsion, **fields)

    queued = request()
    stale = request(status=GenerationRequest.RUNNING, claimed_at=long_ago, attempts=1)
    request(status=GenerationRequest.RUNNING, claimed_at=now, attempts=1)  # still being worked on
    request(status=GenerationRequest.RUNNING, claimed_at=long_ago, attempts=3)  # out of attempts
    request(status=GenerationRequest.DONE, attempts=1)
    request(status=GenerationRequest.FAILED, attempts=3)
    assert list(selectors.claimable(now)) == [queued, stale]
    assert selectors.stale_before(now) == now - dt.timedelta(seconds=60)


def test_user_requests_are_the_users_own_newest_first():
    gene, emulsion = make_gene(), make_emulsion()
    ada, bob = make_user("ada"), make_user("bob")
    first = GenerationRequest.objects.create(user=ada, gene=gene, emulsion=emulsion)
    second = GenerationRequest.objects.create(user=ada, gene=gene, emulsion=emulsion)
    GenerationRequest.objects.create(user=bob, gene=gene, emulsion=emulsion)
    assert list(selectors.user_requests(ada)) == [second, first]
    assert list(selectors.user_requests(make_user())) == []
