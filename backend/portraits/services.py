"""Writes about portraits: emulsions, registering candidates (one function for every origin) and
importing render manifests, votes, the canonical choice, and hiding portraits.

This app is the only writer of portraits and canonicals; the studio draws images and hands them here.
The canonical rule lives in :func:`update_canonical`; its docstring is the documented rule.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from backend.common.db import retry_when_locked
from backend.genes.models import Gene
from pipeline.emulsions import EMULSIONS_CSV, load_emulsions as read_emulsions
from pipeline.images import NotAnImageError, inspect_image
from pipeline.records import EMULSION_COLUMNS

from . import selectors
from .models import Canonical, CanonicalChange, Emulsion, Portrait, Vote

log = logging.getLogger(__name__)

VOTE_VALUES = (-1, 0, 1)


# --------------------------------------------------------------------------- emulsions


@dataclass
class EmulsionLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# The record's fields but its id, each a model field of the same name.
EMULSION_FIELDS = [name for name in EMULSION_COLUMNS if name != "emulsion_id"]


@transaction.atomic
def load_emulsions(path: Path | None = None) -> EmulsionLoadReport:
    """Upsert every emulsion of ``gene_data/emulsions.csv`` (or ``path``); a second run changes nothing.

    Rows absent from the CSV are left alone (ids are never reused); ``blocked`` is never touched here
    (it belongs to artist opt-outs).
    """
    table = read_emulsions(path or EMULSIONS_CSV)
    existing = {e.emulsion_id: e for e in Emulsion.objects.all()}
    report = EmulsionLoadReport()
    for eid, spec in table.items():
        values = {name: _plain(getattr(spec, name)) for name in EMULSION_FIELDS}
        row = existing.get(eid)
        if row is None:
            Emulsion.objects.create(emulsion_id=eid, **values)
            report.created += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _plain(value: object) -> object:
    """An enum member as its value, so comparing with a loaded row's plain string says "unchanged"."""
    return value.value if isinstance(value, StrEnum) else value


# --------------------------------------------------------------------------- registering candidates


def storage_name(folder: str, symbol: str, sha: str, suffix: str) -> str:
    safe_symbol = "".join(c if c.isalnum() or c in "-_." else "_" for c in symbol)
    return f"{folder}/{safe_symbol}/{sha[:2]}/{sha}.{suffix.lstrip('.')}"


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


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    problems: list[str] = field(default_factory=list)
    canonicals_set: int = 0


MANIFEST_REQUIRED = ("symbol", "sha256", "path", "renderer", "width", "height")


def import_manifest(manifest: Path, on_problem: Callable[[str], None] | None = None) -> ImportReport:
    """Register every candidate listed in a render manifest (``pipeline/render/batch.py`` format).

    Paths are relative to the manifest's folder. Re-importing is a no-op (unique per gene and hash).
    An unknown symbol or emulsion, a missing or mismatched file, or a torn/malformed line is reported
    in ``problems`` and skipped; the other lines go on. Afterwards every gene without a canonical
    portrait gets its first (oldest) public candidate, logged as a :class:`CanonicalChange`.
    """
    manifest = Path(manifest)
    base = manifest.parent
    report = ImportReport()
    genes: dict[str, Gene | None] = {}
    emulsions: dict[str, Emulsion | None] = {}
    touched: set[int] = set()

    def problem(message: str) -> None:
        report.problems.append(message)
        if on_problem:
            on_problem(message)

    with open(manifest, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict):
                    raise ValueError("not a JSON object")
                missing = [key for key in MANIFEST_REQUIRED if entry.get(key) in (None, "")]
                if missing:
                    raise ValueError(f"missing {', '.join(missing)}")
                seed = None if entry.get("seed") in (None, "") else int(entry["seed"])
            except (ValueError, TypeError) as exc:
                problem(f"line {number}: malformed manifest line skipped ({exc})")
                continue
            symbol = str(entry["symbol"])
            if symbol not in genes:
                genes[symbol] = Gene.objects.filter(symbol=symbol).first()
            gene = genes[symbol]
            if gene is None:
                problem(f"line {number}: unknown gene {symbol!r}")
                continue
            emulsion = None
            eid = entry.get("emulsion_id") or ""
            if eid:
                if eid not in emulsions:
                    emulsions[eid] = Emulsion.objects.filter(emulsion_id=eid).first()
                emulsion = emulsions[eid]
                if emulsion is None:
                    problem(f"line {number}: {symbol}: unknown emulsion {eid!r} (run `manage.py load_emulsions` first)")
                    continue
            if Portrait.objects.filter(gene=gene, sha256=entry["sha256"]).exists():
                report.existing += 1
                touched.add(gene.pk)
                continue
            try:
                image = _read_relative(base, entry["path"])
                blot = _read_relative(base, entry["blot_path"]) if entry.get("blot_path") else None
            except (OSError, ValueError) as exc:
                problem(f"line {number}: {symbol}: {exc}")
                continue
            if hashlib.sha256(image).hexdigest() != entry["sha256"]:
                problem(f"line {number}: {symbol}: {entry['path']} does not match its sha256")
                continue
            try:
                _, created = register_candidate(
                    gene,
                    image,
                    blot=blot,
                    blot_suffix=PurePosixPath(str(entry.get("blot_path") or "x.webp")).suffix.lstrip(".") or "webp",
                    renderer=str(entry["renderer"]),
                    model=str(entry.get("model") or ""),
                    emulsion=emulsion,
                    seed=seed,
                    prompt=str(entry.get("prompt") or ""),
                    origin=Portrait.IMPORT,
                    set_canonical=False,
                )
            except NotAnImageError as exc:
                problem(f"line {number}: {symbol}: {entry['path']}: {exc}")
                continue
            report.created += created
            report.existing += not created
            touched.add(gene.pk)
    for gene in Gene.objects.filter(pk__in=touched):
        if ensure_canonical(gene):
            report.canonicals_set += 1
    return report


def _read_relative(base: Path, relative: str) -> bytes:
    path = (base / relative).resolve()
    if not path.is_relative_to(base.resolve()):
        raise ValueError(f"{relative} lies outside the manifest folder")
    if not path.is_file():
        raise ValueError(f"file not found: {relative}")
    return path.read_bytes()


# --------------------------------------------------------------------------- the canonical rule


def _log_change(gene: Gene, old: Portrait | None, new: Portrait | None, reason: str, changed_by=None) -> None:
    CanonicalChange.objects.create(
        gene=gene, old_portrait=old, new_portrait=new, reason=reason[:255], changed_by=changed_by
    )


def update_canonical(gene: Gene, changed_by=None) -> Portrait | None:
    """Re-evaluate which portrait is the gene's canonical one; returns it (None when the gene has no public candidate).

    The rule (a public candidate is one not hidden by moderation and not of a blocked emulsion):

    1. Pinned by an admin: the pinned portrait stays whatever the votes say. (If moderation
       takes it out of public view, the pin is lifted and the rule below applies.)
    2. Otherwise the *leader* is the public candidate with the highest score (sum of +1/−1
       votes) among those with at least ``ICONOPLASM_CANONICAL_MIN_VOTES`` votes; ties go to
       the older candidate.
    3. The leader replaces the current canonical only if its score exceeds the current one's
       by at least ``ICONOPLASM_CANONICAL_MARGIN`` (hysteresis, so near-ties do not flip-flop),
       or if the current canonical is no longer public.
    4. With no candidate meeting the vote minimum, the current canonical stays; a gene without
       one (or whose canonical is no longer public) gets its oldest public candidate.
    5. A gene with no public candidate has no canonical portrait.

    Every change is written to :class:`CanonicalChange` (old, new, reason, who).
    """
    min_votes = settings.ICONOPLASM_CANONICAL_MIN_VOTES
    margin = settings.ICONOPLASM_CANONICAL_MARGIN
    with transaction.atomic():
        # Locking the gene row serialises the rule per gene, also while it has no Canonical row to lock
        # (two workers finishing the first two candidates at once would otherwise both create one).
        list(Gene.objects.select_for_update().filter(pk=gene.pk).values_list("pk", flat=True))
        choice = Canonical.objects.select_for_update().filter(gene=gene).select_related("portrait").first()
        public = selectors.public_portraits().filter(gene=gene)
        current = choice.portrait if choice is not None else None
        current_public = current is not None and public.filter(pk=current.pk).exists()
        if choice is not None and choice.pinned and current_public:
            return current
        leader = public.filter(votes_count__gte=min_votes).order_by("-score", "created_at", "id").first()
        if current_public:
            if leader is None or leader.pk == current.pk:
                return current
            current.refresh_from_db(fields=["score", "votes_count"])
            if leader.score - current.score < margin:
                return current
            new, reason = (
                leader,
                f"votes: #{leader.pk} ({leader.score:+d}) leads #{current.pk} ({current.score:+d}) by at least {margin}",
            )
        else:
            new = leader or public.order_by("created_at", "id").first()
            if current is None:
                reason = "first candidate" if leader is None else f"votes: #{leader.pk} leads ({leader.score:+d})"
            else:
                why = "was pinned, " if choice.pinned else ""
                reason = f"{why}#{current.pk} no longer public"
            if new is None:
                if choice is not None:
                    choice.delete()
                    _log_change(gene, current, None, reason + "; no public candidate left", changed_by)
                return None
        if choice is None:
            Canonical.objects.create(gene=gene, portrait=new, pinned=False)
        else:
            choice.portrait, choice.pinned = new, False
            choice.save(update_fields=["portrait", "pinned", "changed_at"])
        _log_change(gene, current, new, reason, changed_by)
        return new


def ensure_canonical(gene: Gene) -> bool:
    """Give a gene without a canonical portrait its first candidate; True when one was set."""
    if Canonical.objects.filter(gene=gene).exists():
        return False
    return update_canonical(gene) is not None


def pin_canonical(portrait: Portrait, changed_by=None) -> Canonical:
    """Make ``portrait`` the gene's canonical portrait and pin it (an admin override the votes never change)."""
    with transaction.atomic():
        choice = Canonical.objects.select_for_update().filter(gene=portrait.gene).select_related("portrait").first()
        old = choice.portrait if choice is not None else None
        if choice is None:
            choice = Canonical.objects.create(gene=portrait.gene, portrait=portrait, pinned=True)
        else:
            choice.portrait, choice.pinned = portrait, True
            choice.save(update_fields=["portrait", "pinned", "changed_at"])
        _log_change(portrait.gene, old, portrait, "pinned by admin", changed_by)
    return choice


def unpin_canonical(gene: Gene, changed_by=None) -> Portrait | None:
    """Lift an admin pin (logged) and let the votes decide again."""
    with transaction.atomic():
        choice = Canonical.objects.select_for_update().filter(gene=gene, pinned=True).first()
        if choice is not None:
            choice.pinned = False
            choice.save(update_fields=["pinned", "changed_at"])
            _log_change(gene, choice.portrait, choice.portrait, "unpinned by admin", changed_by)
        return update_canonical(gene, changed_by=changed_by)


# --------------------------------------------------------------------------- votes


def vote(user, portrait: Portrait, value: int) -> Portrait:
    """Record ``user``'s vote on ``portrait``: +1, −1, or 0 to clear it; returns the portrait with fresh totals.

    One transaction: lock the portrait row (``select_for_update``; on SQLite a first write takes the
    database write lock), upsert or delete the user's vote, recompute ``score`` and ``votes_count``
    from the Vote rows, then re-evaluate the gene's canonical portrait. Concurrent votes therefore
    serialise on the portrait and none is lost.
    """
    if isinstance(value, bool) or value not in VOTE_VALUES:
        raise ValidationError("value must be 1, -1 or 0 (0 clears your vote)")

    def work() -> Portrait:
        with transaction.atomic():
            if connection.vendor == "sqlite":
                # Take SQLite's write lock now rather than upgrading a read lock later (which fails at once).
                Portrait.objects.filter(pk=portrait.pk).update(votes_count=F("votes_count"))
            locked = Portrait.objects.select_for_update().select_related("gene").get(pk=portrait.pk)
            if value == 0:
                Vote.objects.filter(user=user, portrait=locked).delete()
            else:
                Vote.objects.update_or_create(user=user, portrait=locked, defaults={"value": value})
            totals = Vote.objects.filter(portrait=locked).aggregate(score=Coalesce(Sum("value"), 0), count=Count("id"))
            Portrait.objects.filter(pk=locked.pk).update(score=totals["score"], votes_count=totals["count"])
            locked.score, locked.votes_count = totals["score"], totals["count"]
            update_canonical(locked.gene)
            return locked

    return retry_when_locked(work)


# --------------------------------------------------------------------------- moderation


def set_hidden(portraits: Iterable[Portrait], hidden: bool, changed_by=None) -> int:
    """Hide portraits from public view (or show them again), then re-evaluate each affected gene's canonical."""
    ids = [p.pk for p in portraits]
    with transaction.atomic():
        changed = Portrait.objects.filter(pk__in=ids).exclude(hidden=hidden).update(hidden=hidden)
        for gene in Gene.objects.filter(portraits__pk__in=ids).distinct():
            update_canonical(gene, changed_by=changed_by)
    return changed


def refresh_canonicals(portraits=None, changed_by=None) -> int:
    """Re-run :func:`update_canonical` for the genes of ``portraits`` (queryset or iterable; every gene with a canonical when None).

    For bulk moderation (an artist opt-out that blocks emulsions and hides portraits with ``update()``),
    so that no gene keeps a canonical portrait that left public view. Returns the number of genes checked.
    """
    if portraits is None:
        genes = Gene.objects.filter(canonical__isnull=False)
    else:
        ids = (
            list(portraits.values_list("pk", flat=True))
            if hasattr(portraits, "values_list")
            else [p.pk for p in portraits]
        )
        genes = Gene.objects.filter(portraits__pk__in=ids).distinct()
    count = 0
    for gene in genes:
        update_canonical(gene, changed_by=changed_by)
        count += 1
    return count
