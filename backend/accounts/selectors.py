"""Read-only queries about accounts and discoveries."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from backend.genes.models import Gene

from .models import Discovery, Preferences

RECENT_LIMIT = 50
TOP_GENES_LIMIT = 20


def user_discoveries(user) -> QuerySet[Discovery]:
    """A user's discoveries, newest first."""
    return Discovery.objects.filter(user=user).select_related("gene").order_by("-discovered_at", "gene__symbol")


# Only users who chose to share appear in others' discoveries (Preferences.share_discoveries, off by default).
SHARED = {"starter": False, "user__is_active": True, "user__preferences__share_discoveries": True}


def recent_discoveries(*, exclude_user=None, limit: int = RECENT_LIMIT) -> QuerySet[Discovery]:
    """The latest discoveries made by users who share theirs (starter genes granted with accounts are not
    discoveries)."""
    qs = Discovery.objects.filter(**SHARED)
    if exclude_user is not None and exclude_user.is_authenticated:
        qs = qs.exclude(user=exclude_user)
    return qs.select_related("user", "gene").order_by("-discovered_at", "-id")[:limit]


def top_discovered_genes(*, limit: int = TOP_GENES_LIMIT) -> QuerySet[Gene]:
    """Genes found by the most users who share their discoveries (``discoverers`` annotated), starter grants
    not counted."""
    return (
        Gene.objects.filter(**{f"discoveries__{name}": value for name, value in SHARED.items()})
        .annotate(discoverers=Count("discoveries__user", distinct=True))
        .order_by("-discoverers", "symbol")[:limit]
    )


def shares_discoveries(user) -> bool:
    """Whether ``user`` lets others see their discoveries (False for guests and for users who never chose)."""
    return bool(user.is_authenticated and Preferences.of(user).share_discoveries)
