"""Discovery services and selectors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backend.accounts import selectors, services
from backend.accounts.models import Discovery

from .factories import make_gene, make_user

pytestmark = pytest.mark.django_db


def test_record_discoveries_resolves_aliases_and_reports_unknown():
    make_gene("TP53", aliases=["p53"])
    make_gene("KRAS", previous=["KRAS2"])
    user = make_user()
    result = services.record_discoveries(user=user, names=["TP53", "KRAS2", "p53", "NOPE1", "  ", "NOPE1"])
    assert result.added == ["KRAS", "TP53"]
    assert result.already == []
    assert result.unknown == ["NOPE1"]
    assert sorted(Discovery.objects.filter(user=user).values_list("gene__symbol", flat=True)) == ["KRAS", "TP53"]


def test_record_discoveries_is_idempotent_and_keeps_first_date():
    make_gene("TP53")
    user = make_user()
    services.record_discoveries(user=user, names=["TP53"])
    first = Discovery.objects.get(user=user).discovered_at
    again = services.record_discoveries(user=user, names=["TP53"])
    assert again.added == [] and again.already == ["TP53"]
    assert Discovery.objects.get(user=user).discovered_at == first


def test_ambiguous_alias_is_unknown():
    make_gene("AAA1", aliases=["SHARED"])
    make_gene("BBB1", aliases=["SHARED"])
    assert services.record_discoveries(user=make_user(), names=["SHARED"]).unknown == ["SHARED"]


def test_record_discoveries_refuses_more_than_the_limit():
    with pytest.raises(ValidationError):
        services.record_discoveries(user=make_user(), names=["X"] * (services.MAX_DISCOVERY_SYMBOLS + 1))


def test_grant_starter_genes_is_idempotent(settings):
    settings.ICONOPLASM_STARTER_GENES = ["TP53", "INS", "HBB"]
    make_gene("TP53")
    make_gene("HBB")
    user = make_user()
    assert services.grant_starter_genes(user) == 2
    services.grant_starter_genes(user)
    assert Discovery.objects.filter(user=user).count() == 2


def test_public_selectors_skip_starters_inactive_users_and_the_viewer():
    tp53, ins, hbb = make_gene("TP53"), make_gene("INS"), make_gene("HBB")
    ada, bo, cy, gone = make_user("ada"), make_user("bo"), make_user("cy"), make_user("gone", is_active=False)
    Discovery.objects.create(user=ada, gene=tp53, starter=True)
    Discovery.objects.create(user=ada, gene=ins)
    Discovery.objects.create(user=bo, gene=ins)
    Discovery.objects.create(user=bo, gene=hbb)
    Discovery.objects.create(user=cy, gene=hbb)
    Discovery.objects.create(user=gone, gene=tp53)
    recent = list(selectors.recent_discoveries(exclude_user=bo))
    assert [(d.user.username, d.gene.symbol) for d in recent] == [("cy", "HBB"), ("ada", "INS")]
    top = list(selectors.top_discovered_genes())
    assert [(g.symbol, g.discoverers) for g in top] == [("HBB", 2), ("INS", 2)]
