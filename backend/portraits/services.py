"""Writes about portraits: registering candidates (one function for every origin), votes, hiding.

This app is the only writer of portraits and canonicals; the studio draws images and hands them
here. The canonical rule is in :mod:`.canonical`, loading emulsions and render manifests in
:mod:`.loading`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction

from backend.common.db import retry_when_locked
from backend.genes.models import Gene
from pipeline.images import inspect_image

from .canonical import ensure_canonical, lock_genes_of, update_canonical
from .models import Emulsion, Portrait, Vote
from .selectors import public_portraits

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


def _write_vote_sql(value: int) -> str:
    """The user's vote written (upserted) or, for 0, deleted: parameters ``user``, ``portrait``, ``value``."""
    table = Vote._meta.db_table
    if value == 0:
        return f"DELETE FROM {table} WHERE user_id = %(user)s AND portrait_id = %(portrait)s"
    return (
        f"INSERT INTO {table} (user_id, portrait_id, value) VALUES (%(user)s, %(portrait)s, %(value)s)"
        f" ON CONFLICT (user_id, portrait_id) DO UPDATE SET value = EXCLUDED.value"
    )


@functools.cache
def _totals_sql() -> str:
    """The portrait's totals written from its Vote rows and returned, in one UPDATE (which locks the row
    alone, ``FOR NO KEY UPDATE`` on PostgreSQL).

    The totals are the other users' votes plus this one (``value``; 0 counts nothing), so they are
    right whether the statement sees the user's own write (SQLite: written before) or not
    (PostgreSQL: written in the same statement, whose snapshot does not show it). No other vote on
    the portrait can commit in between: every vote holds its gene's lock.
    """
    portrait, vote_table = Portrait._meta.db_table, Vote._meta.db_table
    return (
        f"UPDATE {portrait} SET (score, votes_count) = (SELECT COALESCE(SUM(v.value), 0) + %(value)s,"
        f" COUNT(*) + %(counted)s FROM {vote_table} v WHERE v.portrait_id = %(portrait)s AND v.user_id <> %(user)s)"
        f" WHERE id = %(portrait)s RETURNING score, votes_count"
    )


def _cast(user_id: int, portrait_id: int, value: int) -> tuple[int, int]:
    """Write the vote and the portrait's new totals; returns (score, votes_count).

    On PostgreSQL one statement, the write a CTE of the update (each statement is a round trip to
    the server, and this is the busiest write); SQLite, in the process and with no writing CTEs,
    runs the two.
    """
    parameters = {"user": user_id, "portrait": portrait_id, "value": value, "counted": int(value != 0)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH cast_vote AS ({_write_vote_sql(value)}) {_totals_sql()}", parameters)
        else:
            cursor.execute(_write_vote_sql(value), parameters)
            cursor.execute(_totals_sql(), parameters)
        return cursor.fetchone()


def _voted_portrait(portrait_id: int) -> Portrait:
    """The public portrait a vote is for, with what the answer shows (its emulsion, its gene's id and
    symbol: the whole gene row is a lot to decode), and its gene's row locked, in one statement."""
    return (
        public_portraits()
        .select_related("gene", "emulsion")
        .only(
            *(f.name for f in Portrait._meta.concrete_fields),
            "gene__id",
            "gene__symbol",
            "emulsion__emulsion_id",
            "emulsion__name",
        )
        .select_for_update(of=("gene",), no_key=True)
        .get(pk=portrait_id)
    )


def vote(user, portrait_id: int, value: int) -> Voted:
    """Record ``user``'s vote on public portrait ``portrait_id``: +1, −1, or 0 to clear it; returns the outcome
    (:class:`Voted`); ``Portrait.DoesNotExist`` when no public portrait has that id.

    One transaction that locks in one order, as every writer of a gene's canonical does: the
    gene row first (in the statement that reads the portrait for the answer), then the user's
    vote is written and the portrait row updated with its new totals (:func:`_cast`; the update
    locks that row alone), last the gene's canonical portrait is re-evaluated. Concurrent votes
    on the candidates of one gene therefore queue on the gene (no deadlock on PostgreSQL) and
    none is lost; on SQLite the transaction takes the database's write lock at BEGIN
    (``transaction_mode`` IMMEDIATE). A vote's reference to its portrait takes a lock the
    portrait's does not conflict with. Three statements between BEGIN and COMMIT on PostgreSQL
    (each a round trip to the server) on the busiest write.
    """
    if isinstance(value, bool) or value not in VOTE_VALUES:
        raise ValidationError("value must be 1, -1 or 0 (0 clears your vote)")

    def work() -> Voted:
        with transaction.atomic():
            portrait = _voted_portrait(portrait_id)
            gene = portrait.gene
            portrait.score, portrait.votes_count = _cast(user.pk, portrait_id, value)
            canonical = update_canonical(gene, gene_locked=True)
            return Voted(portrait, canonical.pk if canonical is not None else None, value or None)

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
