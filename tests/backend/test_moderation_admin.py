"""The moderation admin: the "block this artist" action, and escaping of submitted text."""

from __future__ import annotations

import pytest

from backend.moderation import services
from backend.moderation.models import ArtistOptOut, BlockedArtist
from backend.portraits.models import Emulsion, Portrait

from .factories import PASSWORD, make_emulsion, make_gene, make_portrait, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/moderation/artistoptout/"


def test_block_artist_action(admin_client, admin_user):
    gene = make_gene("TP53")
    theirs, other = make_emulsion(artists="Jane Doe"), make_emulsion(artists="John Roe")
    hidden = make_portrait(gene, theirs)
    kept = make_portrait(gene, other)
    optout = services.submit_optout(name="Jane Doe", contact="jane@example.org")
    response = admin_client.post(CHANGELIST, {"action": "block_artist", "_selected_action": [optout.pk]}, follow=True)
    assert response.status_code == 200
    assert b"1 emulsion(s) blocked, 1 portrait(s) hidden" in response.content
    optout.refresh_from_db()
    assert (optout.status, optout.handled_by) == ("blocked", admin_user)
    assert BlockedArtist.objects.get().name == "Jane Doe"
    assert Emulsion.objects.get(pk=theirs.pk).blocked and not Emulsion.objects.get(pk=other.pk).blocked
    assert Portrait.objects.get(pk=hidden.pk).hidden and not Portrait.objects.get(pk=kept.pk).hidden


def test_dismiss_action(admin_client, admin_user):
    optout = services.submit_optout(name="Jane Doe", contact="jane@example.org")
    admin_client.post(CHANGELIST, {"action": "dismiss", "_selected_action": [optout.pk]})
    optout.refresh_from_db()
    assert (optout.status, optout.handled_by) == ("dismissed", admin_user)
    assert not BlockedArtist.objects.exists()


def test_adding_a_blocked_artist_in_the_admin_blocks_them(admin_client):
    emulsion = make_emulsion(artists="Jane Doe")
    response = admin_client.post("/admin/moderation/blockedartist/add/", {"name": "jane doe"}, follow=True)
    assert response.status_code == 200
    assert BlockedArtist.objects.count() == 1
    assert Emulsion.objects.get(pk=emulsion.pk).blocked


def test_submitted_script_is_escaped_on_admin_pages(admin_client):
    payload = "<script>alert('owned')</script>"
    optout = ArtistOptOut.objects.create(name=f"Jane {payload}", contact=payload, message=payload)
    for url in (f"{CHANGELIST}{optout.pk}/change/", CHANGELIST):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert payload.encode() not in response.content
        assert b"&lt;script&gt;" in response.content


def test_moderation_admin_needs_staff(client):
    make_user("ada", PASSWORD)
    client.login(username="ada", password=PASSWORD)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
