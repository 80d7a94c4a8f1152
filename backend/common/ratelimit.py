"""Fixed-window rate limits on writes, answered with 429 and Retry-After.

Limits are named in ``settings.ICONOPLASM_RATE_LIMITS`` as ``name: (count,
window_seconds)`` and counted per user, or per client address for guests, in
the Django cache (per process with the default local-memory cache; shared
across workers with Redis).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled


def client_key(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"addr:{request.META.get('REMOTE_ADDR', 'unknown')}"


def check_rate(name: str, request) -> None:
    """Count one write against limit ``name``; raise Throttled (429 + Retry-After) when over it."""
    limit, window = settings.ICONOPLASM_RATE_LIMITS[name]
    now = time.time()
    window_start = int(now // window) * window
    key = f"ratelimit:{name}:{client_key(request)}:{window_start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise Throttled(
            wait=max(1, int(window_start + window - now)), detail=f"too many {name} requests; try again later"
        )


def throttled_page(request, template: str, context: dict, exc: Throttled):
    """The form page again with status 429, ``throttled`` set and a Retry-After header."""
    from django.shortcuts import render

    response = render(request, template, {**context, "throttled": True}, status=429)
    response["Retry-After"] = str(int(exc.wait or 1))
    return response
