"""Read-only queries about casts."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from backend.portraits.cards import trait_origins
from backend.portraits.selectors import canonical_portraits

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
    ids = (
        CastMember.objects.filter(side__cast=cast)
        .order_by("side__position", "position")
        .values_list("gene_id", flat=True)
    )
    return list(dict.fromkeys(ids))


def cast_with_genes(cast: Cast) -> Cast:
    """The cast again with ``gene_count``, its owner, and its sides' members and genes prefetched (for the API)."""
    members = Prefetch("sides__members", CastMember.objects.select_related("gene"))
    return with_gene_counts(Cast.objects.filter(pk=cast.pk)).select_related("owner").prefetch_related(members).get()


# How many portraits the browse page shows of each cast.
PREVIEW_GENES = 5
# The traits shown as pills under each portrait of a cast page (the card shows them all).
PILL_TRAITS = ("sex", "weight", "age", "faction", "aesthetics", "colour")


def builtin_casts() -> QuerySet[Cast]:
    return Cast.objects.filter(builtin=True)


def own_casts(user) -> QuerySet[Cast]:
    return Cast.objects.filter(owner=user) if user is not None and user.is_authenticated else Cast.objects.none()


def shared_casts(user=None) -> QuerySet[Cast]:
    """Public casts of other users (built-in ones and the user's own are listed apart)."""
    shared = Cast.objects.filter(public=True, builtin=False).select_related("owner")
    return shared.exclude(owner=user) if user is not None and user.is_authenticated else shared


def with_gene_counts(casts: QuerySet[Cast]) -> QuerySet[Cast]:
    """The casts with ``gene_count``: how many different genes each holds."""
    return casts.annotate(gene_count=Count("sides__members__gene", distinct=True))


def cast_previews(casts) -> list[dict]:
    """Each cast with its first genes as gallery entries (``{"gene", "portrait"}``: the canonical portrait or None)."""
    casts = list(casts)
    members = CastMember.objects.filter(side__cast__in=casts).select_related("gene", "side")
    firsts: dict[int, list] = {cast.pk: [] for cast in casts}
    for member in members.order_by("side__cast", "side__position", "position"):
        shown = firsts[member.side.cast_id]
        if len(shown) < PREVIEW_GENES and member.gene not in shown:
            shown.append(member.gene)
    portraits = canonical_portraits(gene.pk for genes in firsts.values() for gene in genes)
    return [
        {"cast": cast, "entries": [{"gene": gene, "portrait": portraits.get(gene.pk)} for gene in firsts[cast.pk]]}
        for cast in casts
    ]


def cast_lineup(cast: Cast) -> list[dict]:
    """The cast page: each side with its genes in order, each gene with its canonical portrait (or None),
    its trait lines (``trait_origins``: value and the fact behind it) and the few shown as pills."""
    sides = list(cast.sides.prefetch_related(Prefetch("members", CastMember.objects.select_related("gene"))))
    portraits = canonical_portraits(member.gene_id for side in sides for member in side.members.all())
    lineup = []
    for side in sides:
        entries = []
        for member in side.members.all():
            traits = trait_origins(member.gene)
            entries.append(
                {
                    "gene": member.gene,
                    "portrait": portraits.get(member.gene_id),
                    "traits": traits,
                    "pills": [trait for trait in traits if trait["trait"] in PILL_TRAITS],
                }
            )
        lineup.append({"side": side, "entries": entries})
    return lineup
