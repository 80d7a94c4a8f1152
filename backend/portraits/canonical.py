"""The canonical portrait of each gene: the rule (:func:`update_canonical`, whose docstring is the
documented rule), admin pins, and re-running it after bulk moderation. Every change is logged.

Locking, the same everywhere so that concurrent writers never deadlock on PostgreSQL: the gene
row first (:func:`lock_gene`; a vote locks it in the statement that reads its portrait,
``of=("gene",)``), then only the rows of the gene's own tables a writer changes, each locked
alone (``of=("self",)`` or by its UPDATE, never a row joined in by ``select_related``). The
rule reads the Canonical row without a lock of its own: the gene's lock already serialises
every writer of it. ``FOR NO KEY UPDATE`` (``no_key=True``) still lets other transactions
insert rows that refer to the locked one (a new candidate of the gene, a log entry naming a
portrait).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Subquery

from backend.genes.models import Gene

from . import selectors
from .models import Canonical, CanonicalChange, Portrait


def _log_change(gene: Gene, old: Portrait | None, new: Portrait | None, reason: str, changed_by=None) -> None:
    CanonicalChange.objects.create(
        gene=gene, old_portrait=old, new_portrait=new, reason=reason[:255], changed_by=changed_by
    )


def lock_gene(gene_id: int, fields: tuple[str, ...] = ()) -> Gene:
    """Lock the gene row (until the transaction ends) and return it (only ``fields`` when given): the first
    lock of every writer of its canonical."""
    query = Gene.objects.select_for_update(no_key=True)
    return (query.only(*fields) if fields else query).get(pk=gene_id)


def lock_genes_of(portrait_ids: list[int]) -> list[int]:
    """Lock the genes of these portraits, in id order (as every writer does), before changing the portraits in bulk."""
    gene_ids = sorted(set(Portrait.objects.filter(pk__in=portrait_ids).values_list("gene_id", flat=True)))
    for gene_id in gene_ids:
        lock_gene(gene_id)
    return gene_ids


def _candidates_and_choice(gene: Gene) -> tuple[list[Portrait], Canonical | None]:
    """The gene's public candidates (oldest first) and its Canonical row, in one statement when it has candidates.

    Read after the gene's lock, which every writer of a canonical takes first, so the Canonical row
    needs no lock of its own; and as a statement of its own, so that on PostgreSQL it sees what the
    writer before committed (a row joined into the locking statement would come from the snapshot
    taken before the wait). Only a gene without public candidates reads its Canonical row apart.
    """
    choice_row = Canonical.objects.filter(gene=gene)
    public = list(
        selectors.public_portraits()
        .filter(gene=gene)
        .annotate(
            choice_id=Subquery(choice_row.values("id")),
            choice_portrait_id=Subquery(choice_row.values("portrait_id")),
            choice_pinned=Subquery(choice_row.values("pinned")),
        )
        .order_by("created_at", "id")
    )
    if not public:
        return public, choice_row.first()
    first = public[0]
    if first.choice_id is None:
        return public, None
    return public, Canonical(
        pk=first.choice_id, gene=gene, portrait_id=first.choice_portrait_id, pinned=first.choice_pinned
    )


def update_canonical(gene: Gene, changed_by=None, *, gene_locked: bool = False) -> Portrait | None:
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
       one (or whose canonical is no longer public) gets its oldest public candidate drawn for
       it, and only when it has none its oldest transferred one.
    5. A transferred candidate (``origin`` transfer: another gene's portrait, drawn with that
       gene's traits) never stays the canonical by default once the gene has a candidate drawn
       for it: without a leader by votes, the oldest drawn candidate replaces it. Votes can still
       make a transfer the canonical (as leader, rules 2 and 3).
    6. A gene with no public candidate has no canonical portrait.

    Every change is written to :class:`CanonicalChange` (old, new, reason, who).
    ``gene_locked``: the caller already holds the gene's lock (:func:`lock_gene`) in its transaction.
    """
    min_votes = settings.ICONOPLASM_CANONICAL_MIN_VOTES
    margin = settings.ICONOPLASM_CANONICAL_MARGIN
    # No savepoint: the caller's transaction (a vote's) or this one is all or nothing either way,
    # and on PostgreSQL a savepoint is two more round trips on the busiest write.
    with transaction.atomic(savepoint=False):
        if not gene_locked:
            # Locking the gene row serialises the rule per gene, also while it has no Canonical row to lock
            # (two workers finishing the first two candidates at once would otherwise both create one).
            lock_gene(gene.pk, fields=("id",))
        public, choice = _candidates_and_choice(gene)
        by_id = {p.pk: p for p in public}
        current = by_id.get(choice.portrait_id) if choice is not None else None
        if choice is not None and choice.pinned and current is not None:
            return current
        qualified = [p for p in public if p.votes_count >= min_votes]
        leader = min(qualified, key=lambda p: (-p.score, p.created_at, p.pk)) if qualified else None
        drawn_for_gene = [p for p in public if p.origin != Portrait.TRANSFER]
        if current is not None:
            drawn = (
                drawn_for_gene[0] if leader is None and current.origin == Portrait.TRANSFER and drawn_for_gene else None
            )
            if drawn is not None:
                new, reason = drawn, f"#{drawn.pk} drawn for the gene replaces #{current.pk}, transferred"
            elif leader is None or leader.pk == current.pk or leader.score - current.score < margin:
                return current
            else:
                new, reason = (
                    leader,
                    f"votes: #{leader.pk} ({leader.score:+d}) leads #{current.pk} ({current.score:+d}) "
                    f"by at least {margin}",
                )
        else:
            new = leader or (drawn_for_gene or public or [None])[0]
            if choice is None:
                reason = "first candidate" if leader is None else f"votes: #{leader.pk} leads ({leader.score:+d})"
            else:
                why = "was pinned, " if choice.pinned else ""
                reason = f"{why}#{choice.portrait_id} no longer public"
            if new is None:
                if choice is not None:
                    old = choice.portrait
                    choice.delete()
                    _log_change(gene, old, None, reason + "; no public candidate left", changed_by)
                return None
        old = None if choice is None else current or choice.portrait
        if choice is None:
            Canonical.objects.create(gene=gene, portrait=new, pinned=False)
        else:
            choice.portrait, choice.pinned = new, False
            choice.save(update_fields=["portrait", "pinned", "changed_at"])
        _log_change(gene, old, new, reason, changed_by)
        return new


def ensure_canonical(gene: Gene) -> bool:
    """Give a gene without a canonical portrait its first candidate, or one whose canonical is an unpinned
    transfer a candidate drawn for it (rule 5 of :func:`update_canonical`); True when the canonical changed."""
    current = Canonical.objects.filter(gene=gene).values_list("portrait_id", "portrait__origin", "pinned").first()
    if current is not None and (current[1] != Portrait.TRANSFER or current[2]):
        return False
    chosen = update_canonical(gene)
    return chosen is not None and (current is None or chosen.pk != current[0])


def pin_canonical(portrait: Portrait, changed_by=None) -> Canonical:
    """Make ``portrait`` the gene's canonical portrait and pin it (an admin override the votes never change)."""
    with transaction.atomic():
        lock_gene(portrait.gene_id)
        choice = (
            Canonical.objects.select_for_update(of=("self",), no_key=True)
            .filter(gene_id=portrait.gene_id)
            .select_related("portrait")
            .first()
        )
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
        lock_gene(gene.pk)
        choice = (
            Canonical.objects.select_for_update(of=("self",), no_key=True)
            .filter(gene=gene, pinned=True)
            .select_related("portrait")
            .first()
        )
        if choice is not None:
            choice.pinned = False
            choice.save(update_fields=["pinned", "changed_at"])
            _log_change(gene, choice.portrait, choice.portrait, "unpinned by admin", changed_by)
        return update_canonical(gene, changed_by=changed_by)


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
