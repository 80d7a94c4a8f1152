"""The character card: what a gene looks like and which fact each trait encodes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from backend.common.change_feed import kept_stamps
from backend.genes.models import Gene
from pipeline import card_facts

from .models import Portrait
from .selectors import candidates, canonical_portrait, card_state_query


def discovery_text(gene: Gene) -> str:
    """Where the age comes from, in plain words (the rule: :func:`pipeline.card_facts.discovery_text`)."""
    return card_facts.discovery_text(gene.row())


def discovery_url(gene: Gene) -> str | None:
    """The PubMed record the year comes from, when it comes from one."""
    return card_facts.discovery_url(gene.row())


def trait_origins(gene: Gene) -> list[dict]:
    """Each trait with its value and the molecular fact it encodes (the rule: :mod:`pipeline.card_facts`)."""
    return card_facts.trait_origins(gene.row())


def portrait_summary(portrait, request) -> dict | None:
    if portrait is None:
        return None
    return {
        "id": portrait.pk,
        "image_url": request.build_absolute_uri(portrait.image.url),
        "blot_url": request.build_absolute_uri(portrait.blot.url) if portrait.blot else None,
        "emulsion": None
        if portrait.emulsion is None
        else {"id": portrait.emulsion.emulsion_id, "name": portrait.emulsion.name},
    }


def card_state(gene: Gene) -> tuple:
    """What the card depends on besides the gene row: its canonical portrait and candidate count."""
    portrait = canonical_portrait(gene)
    return portrait, candidates(gene).count()


@dataclass(frozen=True)
class CardStamp:
    """Everything a card's content depends on, read in one query (see :func:`card_stamp`)."""

    gene_id: int
    updated_at: object  # as the database driver returns it: only compared and hashed
    portrait_id: int | None
    candidate_count: int

    @property
    def etag(self) -> str:
        basis = f"{self.gene_id}:{self.updated_at}:{self.portrait_id or 0}:{self.candidate_count}"
        return '"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"'


def card_stamp(symbol: str) -> CardStamp | None:
    """The stamp of the gene with this approved symbol (None for any other name).

    On PostgreSQL a stamp this process read recently is reused while the change feed says it holds.
    """
    kept = kept_stamps()
    if kept is not None and (stamp := kept.get(symbol)) is not None:
        return stamp
    generation = None if kept is None else kept.generation()
    with connection.cursor() as cursor:
        cursor.execute(*card_state_query(symbol))
        row = cursor.fetchone()
    if row is None:
        return None
    stamp = CardStamp(*row)
    if kept is not None:
        kept.keep(symbol, stamp, generation)
    return stamp


# A card body depends only on its stamp (and the host its URLs name), so it can be reused as
# long as the stamp holds; the time limit bounds how long an emulsion's renamed title lingers.
CARD_CACHE_SECONDS = 300


def card_body(stamp: CardStamp, matched_by: str, request) -> bytes:
    """The card as JSON bytes, built once per stamp, lookup kind and host, then served from the cache."""
    key = f"card-body:{stamp.etag}:{matched_by}:{request.scheme}://{request.get_host()}"
    body = cache.get(key)
    if body is None:
        gene = Gene.objects.get(pk=stamp.gene_id)
        portrait = (
            None if stamp.portrait_id is None else Portrait.objects.select_related("emulsion").get(pk=stamp.portrait_id)
        )
        body = JSONRenderer().render(build_card(gene, request, portrait, stamp.candidate_count, matched_by))
        cache.set(key, body, CARD_CACHE_SECONDS)
    return body


def build_card(gene: Gene, request, portrait, candidate_count: int, matched_by: str = "symbol") -> dict:
    return {
        "symbol": gene.symbol,
        "name": gene.name,
        "matched_by": matched_by,
        "color_hex": gene.color_hex,
        "text_color_hex": gene.text_color_hex,
        "color_name": gene.color_name,
        "summary": gene.summary,
        "traits": trait_origins(gene),
        "family": gene.family,
        "feature": gene.feature,
        "faction": gene.faction,
        "sample_label": gene.sample_label,
        "sample": gene.sample,
        "portrait": portrait_summary(portrait, request),
        "candidate_count": candidate_count,
        "page_url": request.build_absolute_uri(reverse("gene-page", args=[gene.symbol])),
    }
