"""Writes for accounts: registration, API tokens and discoveries."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from backend.genes.models import Gene
from backend.genes.selectors import find_gene

from .models import Discovery

logger = logging.getLogger(__name__)

MAX_DISCOVERY_SYMBOLS = 500
USERNAME_TAKEN = "A user with that username already exists."


@transaction.atomic
def register_user(*, username: str, password: str, email: str = ""):
    """Create an account (password checked by AUTH_PASSWORD_VALIDATORS) with the starter genes.

    Usernames are unique regardless of case, enforced by the database (a unique index on
    ``lower(username)``, accounts migration 0004): a name taken by a sign-up at the same moment
    gives the same "already exists" error as one taken before. Raises ``ValidationError`` with a
    message per field.
    """
    User = get_user_model()
    username = User.normalize_username(username.strip())
    email = User.objects.normalize_email(email.strip()) if email else ""
    errors: dict[str, list[str]] = {}
    candidate = User(username=username, email=email)
    try:
        candidate.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update({name: list(messages) for name, messages in exc.message_dict.items()})
    if "username" not in errors and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [USERNAME_TAKEN]
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:
        # Another sign-up took the name (in any case) between the check above and this insert.
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": [USERNAME_TAKEN]}) from None
        raise
    grant_starter_genes(user)
    logger.info("registered user %s (id %s)", user.username, user.pk)
    return user


def grant_starter_genes(user) -> int:
    """Give ``user`` the starter genes (settings.ICONOPLASM_STARTER_GENES) present in the database."""
    genes = Gene.objects.filter(symbol__in=settings.ICONOPLASM_STARTER_GENES)
    created = Discovery.objects.bulk_create(
        [Discovery(user=user, gene=gene, starter=True) for gene in genes], ignore_conflicts=True
    )
    return len(created)


class BadCredentials(Exception):
    pass


def issue_token(*, username: str, password: str) -> str:
    """The API token of the user with these credentials (created on first use)."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise BadCredentials("username or password is incorrect")
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


@dataclass
class DiscoveryResult:
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@transaction.atomic
def record_discoveries(*, user, names: list[str]) -> DiscoveryResult:
    """Record the genes ``names`` refer to (symbols, or aliases via find_gene) as discovered by ``user``.

    Idempotent: genes already discovered are left as they were. Names that match no
    gene are returned in ``unknown``; the rest are still recorded. ``added`` lists the genes
    this call recorded, ``already`` those recorded before: the user's row is locked first, so
    that of two concurrent calls naming the same gene only one reports it as added.
    """
    if len(names) > MAX_DISCOVERY_SYMBOLS:
        raise ValidationError({"symbols": [f"at most {MAX_DISCOVERY_SYMBOLS} symbols per call"]})
    wanted = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
    by_symbol = dict(Gene.objects.filter(symbol__in=wanted).values_list("symbol", "id"))
    result = DiscoveryResult()
    gene_ids: dict[int, str] = {}
    for name in wanted:
        if name in by_symbol:
            gene_ids.setdefault(by_symbol[name], name)
            continue
        match = find_gene(name)
        if match is None:
            result.unknown.append(name)
        else:
            gene_ids.setdefault(match[0].pk, match[0].symbol)
    # Serialise this user's discovery writes (other users' and FK checks on the row go on).
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk", flat=True))
    have = set(Discovery.objects.filter(user=user, gene_id__in=gene_ids).values_list("gene_id", flat=True))
    new_ids = [gene_id for gene_id in gene_ids if gene_id not in have]
    Discovery.objects.bulk_create([Discovery(user=user, gene_id=gene_id) for gene_id in new_ids], ignore_conflicts=True)
    symbols = dict(Gene.objects.filter(pk__in=gene_ids).values_list("id", "symbol"))
    result.added = sorted(symbols[gene_id] for gene_id in new_ids)
    result.already = sorted(symbols[gene_id] for gene_id in have)
    return result
