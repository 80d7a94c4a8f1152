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


def user_request(user, pk: int) -> GenerationRequest | None:
    """One of the user's requests, or None (also when it is someone else's)."""
    return user_requests(user).filter(pk=pk).first()


def claimable(now: dt.datetime | None = None) -> QuerySet[GenerationRequest]:
    """Queued requests, and free-queue ones whose claim timed out with attempts left; oldest first.

    A byok request whose claim timed out is never claimable again: its worker may have called
    the provider already (see :func:`backend.studio.services.requests_expire`).
    """
    return GenerationRequest.objects.filter(
        Q(status=GenerationRequest.QUEUED)
        | Q(
            status=GenerationRequest.RUNNING,
            kind=GenerationRequest.FREE,
            claimed_at__lt=stale_before(now),
            attempts__lt=settings.ICONOPLASM_MAX_ATTEMPTS,
        )
    ).order_by("created_at", "id")
