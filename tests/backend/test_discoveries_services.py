"""Discovery services and selectors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backend.accounts import selectors, services
from backend.accounts.models import Discovery, Preferences

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
    for sharer in (ada, bo, cy, gone):
        Preferences.set_for(sharer, share_discoveries=True)
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


def test_public_selectors_skip_users_who_do_not_share():
    """Issue 12, defect 9: private by default (no Preferences row), or by choice."""
    tp53 = make_gene("TP53")
    never, no, yes = make_user("never"), make_user("no"), make_user("yes")
    Preferences.set_for(no, share_discoveries=False)
    Preferences.set_for(yes, share_discoveries=True)
    for finder in (never, no, yes):
        Discovery.objects.create(user=finder, gene=tp53)
    assert [d.user.username for d in selectors.recent_discoveries()] == ["yes"]
    assert [(g.symbol, g.discoverers) for g in selectors.top_discovered_genes()] == [("TP53", 1)]
    assert [selectors.shares_discoveries(u) for u in (never, no, yes)] == [False, False, True]
