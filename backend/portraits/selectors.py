"""Read-only queries about portraits (public view excludes hidden portraits and blocked emulsions)."""

from __future__ import annotations

import functools

from django.db.models import Q, QuerySet

from backend.genes.models import Gene
from pipeline.records import Finish

from .models import Canonical, Emulsion, Portrait, Vote


def public_portraits() -> QuerySet[Portrait]:
    return Portrait.objects.filter(hidden=False).filter(Q(emulsion__isnull=True) | Q(emulsion__blocked=False))


def candidates(gene: Gene) -> QuerySet[Portrait]:
    """A gene's public candidates, best score first."""
    return public_portraits().filter(gene=gene).select_related("emulsion").order_by("-score", "created_at", "id")


@functools.cache
def _card_state_sql() -> str:
    """SQL for one gene's card state, by symbol: its id, its ``updated_at``, its canonical
    portrait if still public (else NULL) and its number of public candidates.

    Written out, not built with the ORM, because the card endpoint runs it on every request and
    building the equivalent queryset costs more than running it. "Public" is the rule of
    :func:`public_portraits` (tests hold the two to the same answers).
    """
    gene, portrait = Gene._meta.db_table, Portrait._meta.db_table
    canonical, emulsion = Canonical._meta.db_table, Emulsion._meta.db_table
    public = "p.hidden = %s AND (p.emulsion_id IS NULL OR e.blocked = %s)"
    return (
        f"SELECT g.id, g.updated_at,"
        f" (SELECT c.portrait_id FROM {canonical} c JOIN {portrait} p ON p.id = c.portrait_id"
        f"  LEFT JOIN {emulsion} e ON e.id = p.emulsion_id WHERE c.gene_id = g.id AND {public}),"
        f" (SELECT COUNT(*) FROM {portrait} p LEFT JOIN {emulsion} e ON e.id = p.emulsion_id"
        f"  WHERE p.gene_id = g.id AND {public})"
        f" FROM {gene} g WHERE g.symbol = %s"
    )


def card_state_query(symbol: str) -> tuple[str, list]:
    """The SQL of :func:`_card_state_sql` and its parameters for ``symbol``."""
    return _card_state_sql(), [False, False, False, False, symbol]


def canonical_portrait(gene: Gene) -> Portrait | None:
    """The portrait on the gene's card: the recorded canonical choice if it is still public."""
    choice = Canonical.objects.filter(gene=gene).select_related("portrait__emulsion").first()
    if choice is not None and public_portraits().filter(pk=choice.portrait_id).exists():
        return choice.portrait
    return None


def public_portrait(pk: int) -> Portrait | None:
    """A public portrait by id (None when unknown, hidden or of a blocked emulsion)."""
    return public_portraits().select_related("gene", "emulsion").filter(pk=pk).first()


def canonical_id(gene: Gene) -> int | None:
    """The id of the gene's recorded canonical portrait, if any."""
    return Canonical.objects.filter(gene=gene).values_list("portrait_id", flat=True).first()


def user_votes(user, portraits) -> dict[int, int]:
    """``{portrait id: +1/−1}`` for the user's votes on these portraits (empty for guests)."""
    if user is None or not user.is_authenticated:
        return {}
    ids = [p.pk for p in portraits]
    return dict(Vote.objects.filter(user=user, portrait_id__in=ids).values_list("portrait_id", "value"))


def canonical_portraits(gene_ids) -> dict[int, Portrait]:
    """``{gene id: canonical portrait}`` for those of these genes whose canonical portrait is public."""
    choices = Canonical.objects.filter(gene_id__in=list(gene_ids), portrait__in=public_portraits()).select_related(
        "portrait"
    )
    return {choice.gene_id: choice.portrait for choice in choices}


def public_emulsions() -> QuerySet[Emulsion]:
    """Emulsions a user may choose, by id (never withdrawn ones); callers show only ``emulsion_id`` and ``name``."""
    return Emulsion.objects.filter(blocked=False).only("emulsion_id", "name").order_by("emulsion_id")


def procedural_emulsions() -> QuerySet[Emulsion]:
    """Public emulsions the procedural renderer draws (not ``diffusion_only``): the site's request choices."""
    return Emulsion.objects.filter(blocked=False).exclude(finish=Finish.DIFFUSION_ONLY.value).order_by("emulsion_id")


def usable_emulsion(emulsion_id: str, *, procedural: bool = False) -> Emulsion | None:
    """The emulsion with this id unless it is unknown or blocked (artist opt-out), or, for the
    procedural renderer (``procedural``), marked diffusion-only."""
    found = procedural_emulsions() if procedural else Emulsion.objects.filter(blocked=False)
    return found.filter(emulsion_id=emulsion_id).first()
