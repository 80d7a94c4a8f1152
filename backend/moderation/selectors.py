"""Read-only moderation queries, for other apps that create emulsions or portraits."""

from __future__ import annotations

from .models import BlockedArtist
from .services import mentions


def blocked_artist_names() -> list[str]:
    return list(BlockedArtist.objects.values_list("name", flat=True))


def mentions_blocked_artist(text: str) -> bool:
    """Whether ``text`` (an emulsion's artist list or a prompt) names a blocked artist."""
    return bool(text) and any(mentions(name, text) for name in blocked_artist_names())
