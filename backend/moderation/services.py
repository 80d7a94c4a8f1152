"""Moderation writes: artist opt-out requests and blocking artists."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.portraits.canonical import lock_genes_of, refresh_canonicals
from backend.portraits.models import Emulsion, Portrait

from .models import ArtistOptOut, BlockedArtist

logger = logging.getLogger(__name__)


def normalize_name(name: str) -> str:
    return " ".join(name.split())


def name_pattern(name: str) -> re.Pattern[str]:
    """Matches ``name`` as a whole name in text: case-insensitive, any whitespace between its words.

    "Hokusai" matches "Katsushika Hokusai" and "hokusai, Hiroshige" but not "Hokusaiesque".
    """
    words = normalize_name(name).split(" ")
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def mentions(name: str, text: str) -> bool:
    return bool(text) and name_pattern(name).search(text) is not None


def submit_optout(*, name: str, contact: str, message: str = "", website: str = "") -> ArtistOptOut | None:
    """Store an opt-out request. A filled ``website`` (the honeypot) marks a bot: nothing is stored."""
    if website.strip():
        logger.info("artist opt-out honeypot filled; request dropped")
        return None
    optout = ArtistOptOut.objects.create(name=normalize_name(name), contact=contact.strip(), message=message)
    logger.info("artist opt-out #%s received", optout.pk)
    return optout


@dataclass(frozen=True)
class BlockReport:
    artist: BlockedArtist
    created: bool
    emulsions: int
    portraits: int


@transaction.atomic
def block_artist(name: str, by_user=None) -> BlockReport:
    """Block ``name``: hide every emulsion whose private artist list names them, and every portrait
    made with such an emulsion or whose prompt names them, then re-choose the canonical portrait of
    every gene that had one of them. Idempotent; returns how many matched."""
    name = normalize_name(name)
    if not name:
        raise ValueError("an artist name is needed")
    artist = BlockedArtist.objects.filter(name__iexact=name).first()
    created = artist is None
    if created:
        artist = BlockedArtist.objects.create(name=name, blocked_by=by_user)

    pattern = name_pattern(name)
    emulsion_ids = [
        pk
        for pk, artists in Emulsion.objects.exclude(artists="").values_list("pk", "artists")
        if pattern.search(artists)
    ]
    Emulsion.objects.filter(pk__in=emulsion_ids).update(blocked=True)

    # The database narrows the prompts for ASCII names (SQLite's LIKE folds ASCII case only); the
    # regular expression decides.
    prompts = Portrait.objects.exclude(prompt="")
    if name.isascii():
        prompts = prompts.filter(prompt__icontains=name.split(" ")[0])
    prompt_ids = [pk for pk, prompt in prompts.values_list("pk", "prompt").iterator() if pattern.search(prompt)]
    portraits = Portrait.objects.filter(Q(emulsion_id__in=emulsion_ids) | Q(pk__in=prompt_ids))
    lock_genes_of(list(portraits.values_list("pk", flat=True)))  # the genes first, as a vote locks them
    portrait_count = portraits.update(hidden=True)
    # A gene whose canonical portrait just left public view gets its best remaining public candidate.
    refresh_canonicals(portraits, changed_by=by_user)

    logger.warning(
        "artist blocked by %s: %s (new block: %s); %d emulsions blocked, %d portraits hidden",
        getattr(by_user, "username", None),
        name,
        created,
        len(emulsion_ids),
        portrait_count,
    )
    return BlockReport(artist=artist, created=created, emulsions=len(emulsion_ids), portraits=portrait_count)


@transaction.atomic
def block_optout(optout: ArtistOptOut, by_user) -> BlockReport:
    """Act on an opt-out request: block its artist and mark it handled."""
    report = block_artist(optout.name, by_user)
    _mark(optout, ArtistOptOut.BLOCKED, by_user)
    return report


def dismiss_optout(optout: ArtistOptOut, by_user) -> None:
    _mark(optout, ArtistOptOut.DISMISSED, by_user)
    logger.info("artist opt-out #%s dismissed by %s", optout.pk, getattr(by_user, "username", None))


def _mark(optout: ArtistOptOut, status: str, by_user) -> None:
    optout.status = status
    optout.handled_by = by_user
    optout.handled_at = timezone.now()
    optout.save(update_fields=["status", "handled_by", "handled_at"])
