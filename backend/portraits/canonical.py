"""The canonical portrait of each gene: the rule (:func:`update_canonical`, whose docstring is the
documented rule), admin pins, and re-running it after bulk moderation. Every change is logged.

Locking, the same everywhere so that concurrent writers never deadlock on PostgreSQL: the gene
row first (:func:`lock_gene`), then only the rows of the gene's own tables a writer changes,
each locked alone (``of=("self",)``, never a row joined in by ``select_related``). ``FOR NO KEY
UPDATE`` (``no_key=True``) still lets other transactions insert rows that refer to the locked
one (a new candidate of the gene, a log entry naming a portrait).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from backend.genes.models import Gene

from . import selectors
from .models import Canonical, CanonicalChange, Portrait


def _log_change(gene: Gene, old: Portrait | None, new: Portrait | None, reason: str, changed_by=None) -> None:
    CanonicalChange.objects.create(
        gene=gene, old_portrait=old, new_portrait=new, reason=reason[:255], changed_by=changed_by
    )


def lock_gene(gene_id: int) -> Gene:
    """Lock the gene row (until the transaction ends) and return it: the first lock of every writer of its canonical."""
    return Gene.objects.select_for_update(no_key=True).get(pk=gene_id)


def lock_genes_of(portrait_ids: list[int]) -> list[int]:
    """Lock the genes of these portraits, in id order (as every writer does), before changing the portraits in bulk."""
    gene_ids = sorted(set(Portrait.objects.filter(pk__in=portrait_ids).values_list("gene_id", flat=True)))
    for gene_id in gene_ids:
        lock_gene(gene_id)
    return gene_ids


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
       one (or whose canonical is no longer public) gets its oldest public candidate drawn for
       it, and only when it has none its oldest transferred one.
    5. A transferred candidate (``origin`` transfer: another gene's portrait, drawn with that
       gene's traits) never stays the canonical by default once the gene has a candidate drawn
       for it: without a leader by votes, the oldest drawn candidate replaces it. Votes can still
       make a transfer the canonical (as leader, rules 2 and 3).
    6. A gene with no public candidate has no canonical portrait.

    Every change is written to :class:`CanonicalChange` (old, new, reason, who).
    """
    min_votes = settings.ICONOPLASM_CANONICAL_MIN_VOTES
    margin = settings.ICONOPLASM_CANONICAL_MARGIN
    with transaction.atomic():
        # Locking the gene row serialises the rule per gene, also while it has no Canonical row to lock
        # (two workers finishing the first two candidates at once would otherwise both create one).
        list(Gene.objects.select_for_update(no_key=True).filter(pk=gene.pk).values_list("pk", flat=True))
        choice = (
            Canonical.objects.select_for_update(of=("self",), no_key=True)
            .filter(gene=gene)
            .select_related("portrait")
            .first()
        )
        public = selectors.public_portraits().filter(gene=gene)
        current = choice.portrait if choice is not None else None
        current_public = current is not None and public.filter(pk=current.pk).exists()
        if choice is not None and choice.pinned and current_public:
            return current
        leader = public.filter(votes_count__gte=min_votes).order_by("-score", "created_at", "id").first()
        drawn_first = public.order_by(_transferred_last(), "created_at", "id")
        if current_public:
            drawn = None
            if leader is None and current.origin == Portrait.TRANSFER:
                drawn = public.exclude(origin=Portrait.TRANSFER).order_by("created_at", "id").first()
            if drawn is not None:
                new, reason = drawn, f"#{drawn.pk} drawn for the gene replaces #{current.pk}, transferred"
            elif leader is None or leader.pk == current.pk:
                return current
            else:
                current.refresh_from_db(fields=["score", "votes_count"])
                if leader.score - current.score < margin:
                    return current
                new, reason = (
                    leader,
                    f"votes: #{leader.pk} ({leader.score:+d}) leads #{current.pk} ({current.score:+d}) "
                    f"by at least {margin}",
                )
        else:
            new = leader or drawn_first.first()
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


def _transferred_last():
    """An ordering term: candidates drawn for the gene before transferred ones (rule 4 of update_canonical)."""
    return Case(When(origin=Portrait.TRANSFER, then=Value(1)), default=Value(0), output_field=IntegerField())


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
