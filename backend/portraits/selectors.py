"""Read-only queries about portraits (public view excludes hidden portraits and blocked emulsions)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.genes.models import Gene

from .models import Canonical, Portrait


def public_portraits() -> QuerySet[Portrait]:
    return Portrait.objects.filter(hidden=False).filter(Q(emulsion__isnull=True) | Q(emulsion__blocked=False))


def candidates(gene: Gene) -> QuerySet[Portrait]:
    """A gene's public candidates, best score first."""
    return public_portraits().filter(gene=gene).select_related("emulsion").order_by("-score", "created_at", "id")


def canonical_portrait(gene: Gene) -> Portrait | None:
    """The portrait on the gene's card: the recorded canonical choice if it is still public."""
    choice = Canonical.objects.filter(gene=gene).select_related("portrait__emulsion").first()
    if choice is not None and public_portraits().filter(pk=choice.portrait_id).exists():
        return choice.portrait
    return None
