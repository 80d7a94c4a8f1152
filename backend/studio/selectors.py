"""Read-only queries about generation requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import GenerationRequest


def user_requests(user) -> QuerySet[GenerationRequest]:
    """The user's requests, newest first."""
    return (
        GenerationRequest.objects.filter(user=user)
        .select_related("gene", "emulsion", "portrait")
        .order_by("-created_at", "-id")
    )


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    """Running claims made before this moment have timed out (the worker is presumed dead)."""
    return (now or timezone.now()) - dt.timedelta(seconds=settings.ICONOPLASM_CLAIM_TIMEOUT_S)


def claimable(now: dt.datetime | None = None) -> QuerySet[GenerationRequest]:
    """Queued requests, and running ones whose claim timed out with attempts left; oldest first."""
    return GenerationRequest.objects.filter(
        Q(status=GenerationRequest.QUEUED)
        | Q(
            status=GenerationRequest.RUNNING,
            claimed_at__lt=stale_before(now),
            attempts__lt=settings.ICONOPLASM_MAX_ATTEMPTS,
        )
    ).order_by("created_at", "id")
