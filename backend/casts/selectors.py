"""Read-only queries about casts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Cast, CastMember


def visible_cast(slug: str, user) -> Cast | None:
    """The cast at this link: built-in, public, or any user's (a link is shared on purpose); None when unknown."""
    return Cast.objects.filter(slug=slug).select_related("owner").first()


def listed_casts(user=None) -> QuerySet[Cast]:
    """The browse page: built-in and public casts, and the user's own."""
    shown = Q(builtin=True) | Q(public=True)
    if user is not None and user.is_authenticated:
        shown |= Q(owner=user)
    return Cast.objects.filter(shown).select_related("owner")


def cast_gene_ids(cast: Cast) -> list[int]:
    """The ids of the cast's genes, side by side in order, each once."""
    ids = CastMember.objects.filter(side__cast=cast).order_by("side__position", "position").values_list("gene_id", flat=True)
    return list(dict.fromkeys(ids))
