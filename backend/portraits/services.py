"""Writes about portraits: registering candidates (one function for every origin), votes, hiding.

This app is the only writer of portraits and canonicals; the studio draws images and hands them
here. The canonical rule is in :mod:`.canonical`, loading emulsions and render manifests in
:mod:`.loading`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from backend.common.db import retry_when_locked
from backend.genes.models import Gene
from pipeline.images import inspect_image

from .canonical import ensure_canonical, lock_gene, lock_genes_of, update_canonical
from .models import Emulsion, Portrait, Vote

VOTE_VALUES = (-1, 0, 1)

# --------------------------------------------------------------------------- registering candidates


def storage_name(folder: str, symbol: str, sha: str, suffix: str) -> str:
    """Where a gene's file goes, by the hash of what it holds: ``portraits/ab/TP53-ab12….webp``.

    One level of 256 folders shared by every gene: a folder per gene and hash prefix (as names
    were made before; those files keep their names) cost more disk in folder blocks than a
    gene's two images themselves.
    """
    safe_symbol = "".join(c if c.isalnum() or c in "-_." else "_" for c in symbol)
    return f"{folder}/{sha[:2]}/{safe_symbol}-{sha}.{suffix.lstrip('.')}"


def save_file(name: str, data: bytes) -> str:
    """Save ``data`` under the content-addressed ``name`` in default storage (S3 too); reuse it if already there."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def register_candidate(
    gene: Gene,
    image: bytes,
    *,
    renderer: str,
    blot: bytes | None = None,
    blot_suffix: str = "webp",
    model: str = "",
    emulsion: Emulsion | None = None,
    seed: int | None = None,
    prompt: str = "",
    origin: str = Portrait.IMPORT,
    created_by=None,
    transferred_from: Portrait | None = None,
    set_canonical: bool = True,
) -> tuple[Portrait, bool]:
    """Store an image (and its blot) and register it as a candidate of ``gene``; returns (portrait, created).

    Every candidate comes through here: imports, the queue, backfill, bring-your-own-key and
    transfers. Width, height and file type are read from the image itself (not an image:
    :class:`NotAnImageError`). Unique per gene and image hash: the same bytes again give the
    existing portrait with ``created`` False. Files go to Django's default storage (local or
    S3). A gene without a canonical portrait gets this one, unless ``set_canonical`` is False
    (an import settles canonicals once, at the end).
    """
    width, height, image_suffix = inspect_image(image)
    sha = hashlib.sha256(image).hexdigest()
    existing = Portrait.objects.filter(gene=gene, sha256=sha).first()
    if existing is not None:
        return existing, False
    image_name = save_file(storage_name("portraits", gene.symbol, sha, image_suffix), image)
    blot_name = ""
    if blot:
        blot_name = save_file(storage_name("blots", gene.symbol, hashlib.sha256(blot).hexdigest(), blot_suffix), blot)
    try:
        with transaction.atomic():
            portrait = Portrait.objects.create(
                gene=gene,
                image=image_name,
                blot=blot_name,
                sha256=sha,
                renderer=renderer,
                model=model or "",
                emulsion=emulsion,
                seed=seed,
                prompt=prompt or "",
                width=width,
                height=height,
                origin=origin,
                created_by=created_by,
                transferred_from=transferred_from,
            )
    except IntegrityError:  # registered concurrently by another process
        return Portrait.objects.get(gene=gene, sha256=sha), False
    if set_canonical:
        retry_when_locked(lambda: ensure_canonical(gene))
    return portrait, True


# --------------------------------------------------------------------------- votes


@dataclass(frozen=True)
class Voted:
    """A vote's outcome: the portrait with fresh totals, the gene's canonical portrait after it, the user's vote."""

    portrait: Portrait
    canonical_id: int | None
    my_vote: int | None


def vote(user, portrait: Portrait, value: int) -> Voted:
    """Record ``user``'s vote on ``portrait``: +1, −1, or 0 to clear it; returns the outcome (:class:`Voted`).

    One transaction that locks in one order, as every writer of a gene's canonical does: the
    gene row first (the lock every writer of the gene's portraits and votes takes first), then
    the user's vote is upserted or deleted, then the portrait row is locked alone
    (``of=("self",)``, no joined row) in the same statement that reads its new totals from the
    Vote rows, which are written to it; last the gene's canonical portrait is re-evaluated.
    Concurrent votes on the candidates of one gene therefore queue on the gene (no deadlock on
    PostgreSQL) and none is lost; on SQLite the first write takes the database's write lock. A
    vote's reference to its portrait takes a lock the portrait's does not conflict with. Six
    statements between BEGIN and COMMIT, each a round trip on PostgreSQL, on the busiest write.
    """
    if isinstance(value, bool) or value not in VOTE_VALUES:
        raise ValidationError("value must be 1, -1 or 0 (0 clears your vote)")
    votes_of_portrait = Vote.objects.filter(portrait=OuterRef("pk")).order_by().values("portrait")

    def work() -> Voted:
        with transaction.atomic():
            if connection.vendor == "sqlite":
                # Take SQLite's write lock now rather than upgrading a read lock later (which fails at once).
                Portrait.objects.filter(pk=portrait.pk).update(votes_count=F("votes_count"))
            # A portrait never changes gene, so reading its gene before the lock is safe.
            gene_id = portrait.gene_id or Portrait.objects.values_list("gene_id", flat=True).get(pk=portrait.pk)
            # Only what the answer shows: the whole row (summary, names, traits) is a lot to decode.
            gene = lock_gene(gene_id, fields=("id", "symbol"))
            if value == 0:
                Vote.objects.filter(user=user, portrait_id=portrait.pk).delete()
            else:
                # One upsert statement (no read first, no savepoint): the busiest write stays few round trips.
                Vote.objects.bulk_create(
                    [Vote(user=user, portrait_id=portrait.pk, value=value)],
                    update_conflicts=True,
                    unique_fields=["user", "portrait"],
                    update_fields=["value"],
                )
            locked = (
                Portrait.objects.select_for_update(of=("self",), no_key=True)
                .select_related("emulsion")  # for the answer; only the portrait row is locked
                .annotate(
                    new_score=Coalesce(Subquery(votes_of_portrait.annotate(total=Sum("value")).values("total")), 0),
                    new_count=Coalesce(Subquery(votes_of_portrait.annotate(n=Count("id")).values("n")), 0),
                )
                .get(pk=portrait.pk)
            )
            locked.gene = gene
            locked.score, locked.votes_count = locked.new_score, locked.new_count
            Portrait.objects.filter(pk=locked.pk).update(score=locked.score, votes_count=locked.votes_count)
            canonical = update_canonical(gene, gene_locked=True)
            return Voted(locked, canonical.pk if canonical is not None else None, value or None)

    return retry_when_locked(work)


# --------------------------------------------------------------------------- moderation


def set_hidden(portraits: Iterable[Portrait], hidden: bool, changed_by=None) -> int:
    """Hide portraits from public view (or show them again), then re-evaluate each affected gene's canonical."""
    ids = [p.pk for p in portraits]
    with transaction.atomic():
        gene_ids = lock_genes_of(ids)  # the genes first, as a vote locks them, so the two never deadlock
        changed = Portrait.objects.filter(pk__in=ids).exclude(hidden=hidden).update(hidden=hidden)
        for gene in Gene.objects.filter(pk__in=gene_ids):
            update_canonical(gene, changed_by=changed_by)
    return changed
