"""Writes about casts: the built-in scenarios loaded from data, and the casts users compose and edit."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from backend.genes.models import Gene
from backend.genes.selectors import find_gene, find_typed_gene
from pipeline.casts import CastSpec, RangeError, ResolvedCast, SideSpec, is_range, resolve_cast

from .models import Cast, CastMember, CastSide

MAX_SIDES = 12
MAX_GENES = 60
MAX_TITLE = Cast._meta.get_field("title").max_length
MAX_SIDE_NAME = CastSide._meta.get_field("name").max_length
MAX_DESCRIPTION = 2000
# User casts get a slug from the title and this many random characters, so two "Apoptosis" casts never clash.
SLUG_SUFFIX_LENGTH = 6
SLUG_STEM_LENGTH = Cast._meta.get_field("slug").max_length - SLUG_SUFFIX_LENGTH - 1
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o or 1/l: a link read aloud stays right
SLUG_ATTEMPTS = 3

# The outcomes of save_builtin_cast.
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _symbol_of(find: Callable[[str], tuple[Gene, str] | None]) -> Callable[[str], str | None]:
    def resolve(name: str) -> str | None:
        found = find(name)
        return None if found is None else found[0].symbol

    return resolve


def _approved_if_needed(spec: CastSpec) -> Sequence[str]:
    """Every approved symbol, read only when the cast has a family range to expand."""
    if not any(is_range(name) for side in spec.sides for name in side.names):
        return ()
    return list(Gene.objects.values_list("symbol", flat=True))


def resolve_builtin(spec: CastSpec) -> ResolvedCast:
    """A scenario's names as the site's genes, by the exact name rule (``find_gene``, as the command line resolves them)."""
    return resolve_cast(spec, _symbol_of(find_gene), _approved_if_needed(spec))


def _write_sides(cast: Cast, sides: Sequence[tuple[str, Sequence[Gene]]]) -> None:
    cast.sides.all().delete()
    for position, (name, genes) in enumerate(sides):
        side = CastSide.objects.create(cast=cast, position=position, name=name)
        CastMember.objects.bulk_create(
            CastMember(side=side, gene=gene, position=number) for number, gene in enumerate(genes)
        )


def _stored_sides(cast: Cast) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (side.name, tuple(member.gene.symbol for member in side.members.all()))
        for side in cast.sides.prefetch_related("members__gene")
    ]


def _genes_by_symbol(symbols: Sequence[str]) -> dict[str, Gene]:
    return Gene.objects.in_bulk(list(symbols), field_name="symbol")


@transaction.atomic
def save_builtin_cast(resolved: ResolvedCast) -> tuple[Cast, str]:
    """Create or update the built-in cast of a scenario (slug = scenario id) to match the data; CREATED,
    UPDATED or UNCHANGED. Running it again with the same data writes nothing; user casts are never touched.

    Raises ValidationError when a user's cast already holds the slug.
    """
    spec = resolved.spec
    cast = Cast.objects.select_for_update().filter(slug=spec.id).first()
    if cast is not None and not cast.builtin:
        raise ValidationError(f"the slug {spec.id!r} belongs to a user's cast, not a built-in one")
    wanted_sides = [(side.name, side.symbols) for side in resolved.sides]
    fields = {"title": spec.title, "description": spec.description, "public": True, "owner": None}
    if cast is None:
        cast = Cast.objects.create(slug=spec.id, builtin=True, **fields)
        outcome = CREATED
    elif all(getattr(cast, name) == value for name, value in fields.items()) and _stored_sides(cast) == wanted_sides:
        return cast, UNCHANGED
    else:
        for name, value in fields.items():
            setattr(cast, name, value)
        cast.save()
        outcome = UPDATED
    genes = _genes_by_symbol(resolved.symbols)
    _write_sides(cast, [(side.name, [genes[symbol] for symbol in side.symbols]) for side in resolved.sides])
    return cast, outcome


def _checked_sides(sides: Sequence[SideSpec]) -> list[tuple[str, list[Gene]]]:
    """The sides as genes by the rule for typed names; ValidationError naming every name that is no gene, and the limits."""
    problems = []
    if not sides:
        problems.append("A cast needs at least one side.")
    if len(sides) > MAX_SIDES:
        problems.append(f"A cast has at most {MAX_SIDES} sides (this one has {len(sides)}).")
    named = sum(len(side.names) for side in sides)
    if named > MAX_GENES:
        problems.append(f"A cast has at most {MAX_GENES} genes (this one names {named}).")
    for side in sides:
        if not side.name.strip():
            problems.append("Every side needs a name.")
        elif len(side.name) > MAX_SIDE_NAME:
            problems.append(f"Side names are at most {MAX_SIDE_NAME} characters ('{side.name[:40]}…').")
        if not side.names:
            problems.append(f"Side '{side.name}' has no genes.")
    if problems:
        raise ValidationError({"sides": problems})
    spec = CastSpec(id="", title="", description="", sides=tuple(sides))
    try:
        resolved = resolve_cast(spec, _symbol_of(find_typed_gene), _approved_if_needed(spec))
    except RangeError as exc:
        raise ValidationError({"sides": [f"{exc}."]}) from exc
    problems = [
        f"No genes are in the range {name} (in side '{side}')."
        if is_range(name)
        else f"No gene is called {name} (in side '{side}')."
        for side, name in resolved.unresolved
    ]
    count = len(resolved.symbols)
    if count > MAX_GENES:
        problems.append(f"A cast has at most {MAX_GENES} genes (this one has {count}).")
    if problems:
        raise ValidationError({"sides": problems})
    genes = _genes_by_symbol(resolved.symbols)
    return [(side.name, [genes[symbol] for symbol in side.symbols]) for side in resolved.sides]


def _text_problems(title: str, description: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = ["A cast needs a title."]
    elif len(title) > MAX_TITLE:
        problems["title"] = [f"Titles are at most {MAX_TITLE} characters."]
    if len(description) > MAX_DESCRIPTION:
        problems["description"] = [f"Descriptions are at most {MAX_DESCRIPTION} characters."]
    return problems


def _validated(title: str, description: str, sides: Sequence[SideSpec] | None) -> list[tuple[str, list[Gene]]] | None:
    """The sides as genes (None when not given); one ValidationError with every problem of every field."""
    problems = _text_problems(title, description)
    checked = None
    try:
        checked = None if sides is None else _checked_sides(sides)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    return checked


def new_slug(title: str) -> str:
    """A slug for a user cast: the title's words and a short random suffix (``my-apoptosis-k3v9qa``)."""
    stem = slugify(title)[:SLUG_STEM_LENGTH].strip("-") or "cast"
    return f"{stem}-{''.join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))}"


def create_cast(owner, *, title: str, description: str, public: bool, sides: Sequence[SideSpec]) -> Cast:
    """A user's new cast. Names resolve by the rule for typed names (aliases and any case allowed, stored
    as the approved gene; ranges like WNT1..WNT11 expand). ValidationError by field (``title``,
    ``description``, ``sides``) listing every problem: each unknown name with its side, the limits."""
    checked = _validated(title, description, sides)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                cast = Cast.objects.create(
                    slug=new_slug(title),
                    title=title.strip(),
                    description=description.strip(),
                    public=public,
                    owner=owner,
                )
                _write_sides(cast, checked)
                return cast
        except IntegrityError:
            # Another cast drew the same slug (about one chance in a billion): draw again.
            if attempt == SLUG_ATTEMPTS - 1:
                raise


def can_edit(cast: Cast, user) -> bool:
    """Only a user cast's owner edits it; nobody edits a built-in one through the site (the data file does)."""
    return not cast.builtin and user is not None and user.is_authenticated and cast.owner_id == user.pk


def update_cast(
    cast: Cast,
    editor,
    *,
    title: str | None = None,
    description: str | None = None,
    public: bool | None = None,
    sides: Sequence[SideSpec] | None = None,
) -> Cast:
    """Change what is given of a user's cast (None keeps it); the slug stays, so shared links keep working.

    PermissionDenied unless ``editor`` owns it; ValidationError as for :func:`create_cast`.
    """
    if not can_edit(cast, editor):
        raise PermissionDenied("Only the cast's owner can edit it.")
    title = cast.title if title is None else title
    description = cast.description if description is None else description
    checked = _validated(title, description, sides)
    with transaction.atomic():
        cast.title, cast.description = title.strip(), description.strip()
        if public is not None:
            cast.public = public
        cast.save()
        if checked is not None:
            _write_sides(cast, checked)
    return cast
