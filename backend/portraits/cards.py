"""The character card: what a gene looks like and which fact each trait encodes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from backend.genes.models import Gene
from pipeline.records import DiscoveryYearSource

from .models import Portrait
from .selectors import candidates, canonical_portrait, card_state_query

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
FACTION_ORIGINS = {
    "pro-growth": "oncogene (OncoKB)",
    "pro-control": "tumour suppressor (OncoKB)",
    "turncoat": "both oncogene and tumour suppressor (OncoKB)",
    "none": "no cancer role (OncoKB)",
}


def _number(value: float | None, digits: int = 2) -> str:
    return "unknown" if value is None else f"{value:.{digits}f}"


def discovery_text(gene: Gene) -> str:
    """Where the age comes from, in plain words: the first publication (exact or estimated year), else the fallback."""
    year, source = gene.discovery_year, gene.discovery_year_source
    if year is None:
        return "no dated publication and no HGNC date: year unknown"
    if source == DiscoveryYearSource.PUBMED and gene.discovery_pmid:
        return f"first described {year} (PMID {gene.discovery_pmid})"
    if source == DiscoveryYearSource.PUBMED_ESTIMATED and gene.discovery_pmid:
        return f"first described ~{year} (PMID {gene.discovery_pmid}, year estimated from the id)"
    if source == DiscoveryYearSource.HGNC_APPROVAL_FLOOR:
        return "no dated publication found: named by HGNC before 1986 (read as 1986)"
    return f"no dated publication found: named by HGNC in {year}"


def discovery_url(gene: Gene) -> str | None:
    """The PubMed record the year comes from, when it comes from one."""
    return PUBMED_URL.format(pmid=int(gene.discovery_pmid)) if gene.discovery_pmid else None


def trait_origins(gene: Gene) -> list[dict]:
    """Each trait with its value and the molecular fact it encodes."""
    membrane = {True: "transmembrane", False: "soluble", None: "membrane status unknown (read as soluble)"}[
        gene.transmembrane
    ]
    kda = (
        "unknown mass"
        if gene.mass_da is None
        else f"{gene.mass_da / 1000:.1f} kDa"
        + (" (estimated from length)" if gene.mass_source == "estimated_from_length" else "")
    )
    clans = ", ".join(gene.clan_names[: len(gene.aesthetic_clans) or 4])
    style_origin = (
        f"Pfam clans {clans}" if not gene.aesthetic_fallback else f"no Pfam clan: family {gene.family} fallback style"
    )
    letter = gene.symbol[:1].upper()
    return [
        {"trait": "sex", "value": gene.sex, "origin": membrane},
        {
            "trait": "weight",
            "value": f"{gene.weight_kg} kg" if gene.weight_kg is not None else "unknown",
            "origin": kda,
        },
        {"trait": "age", "value": gene.age, "origin": discovery_text(gene), "url": discovery_url(gene)},
        {"trait": "aesthetics", "value": gene.aesthetics, "origin": style_origin},
        {
            "trait": "feature",
            "value": gene.feature or "none",
            "origin": f"family {gene.family} ({gene.family_size} member{'s' if gene.family_size != 1 else ''})",
        },
        {
            "trait": "colour",
            "value": f"{gene.color_name} {gene.color_hex}",
            "origin": f"hue ← letter {letter}, saturation ← tau {_number(gene.tau)}, lightness ← LOEUF {_number(gene.loeuf)}",
        },
        {"trait": "faction", "value": gene.faction, "origin": FACTION_ORIGINS.get(gene.faction, gene.cancer_role)},
    ]


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
    """The stamp of the gene with this approved symbol (None for any other name)."""
    with connection.cursor() as cursor:
        cursor.execute(*card_state_query(symbol))
        row = cursor.fetchone()
    return None if row is None else CardStamp(*row)


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
