"""Shared builders for the account, discovery and moderation tests (no tests here)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from backend.genes.models import Gene, GeneName
from backend.portraits.models import Emulsion, Portrait


def make_gene(symbol: str, *, aliases: list[str] = (), previous: list[str] = (), **fields) -> Gene:
    values = dict(
        symbol=symbol, name=f"{symbol} protein", hgnc_id=f"HGNC:T{symbol}",
        mass_source="uniprot", transmembrane_source="uniprot", discovery_year_source="pubmed",
        sex="female", saturation=0.5, lightness=0.5, color_hex="#123456", text_color_hex="#ffffff",
        color_name="ink", faction="order", sample_label="sample", sample="...", tags="", family="solo",
    )
    values.update(fields)
    gene = Gene.objects.create(**values)
    for name in aliases:
        GeneName.objects.create(name=name, gene=gene, kind=GeneName.ALIAS)
    for name in previous:
        GeneName.objects.create(name=name, gene=gene, kind=GeneName.PREVIOUS)
    return gene


def make_user(username: str = "ada", password: str = "a-long-passphrase-9", **fields):
    return get_user_model().objects.create_user(username=username, password=password, **fields)


_emulsions = 0


def make_emulsion(artists: str = "", **fields) -> Emulsion:
    global _emulsions
    _emulsions += 1
    values = dict(
        emulsion_id=f"T{_emulsions:04d}", name=f"Test emulsion {_emulsions}", sampler="euler_a", steps=20,
        guidance=7.0, width=64, height=64, artists=artists,
    )
    values.update(fields)
    return Emulsion.objects.create(**values)


def make_portrait(gene: Gene, emulsion: Emulsion | None = None, prompt: str = "", **fields) -> Portrait:
    values = dict(
        gene=gene, image=f"portraits/{gene.symbol}-{Portrait.objects.count()}.png",
        sha256=f"{Portrait.objects.count():064x}", renderer="procedural", emulsion=emulsion, prompt=prompt,
        width=64, height=64,
    )
    values.update(fields)
    return Portrait.objects.create(**values)


@pytest.fixture
def fresh_rate_limits():
    """Rate-limit counters live in the cache; start each test from zero."""
    cache.clear()
    yield
    cache.clear()
