"""Artist names (Emulsion.artists, opt-outs, blocks) never appear in any public response."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from backend.accounts.models import Discovery
from backend.moderation import services

from .factories import make_emulsion, make_gene, make_portrait, make_user

pytestmark = pytest.mark.django_db

SECRET = "Zebulon Quillfeather"


def public_routes() -> list[str]:
    """Every route outside the admin and media, as a pattern string."""
    routes = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return [r for r in routes if not r.startswith(("admin/", "media/")) and "^" not in r and "(?P" not in r]


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: values.get(m.group(2), values.get(m.group(1) or "str", "x")), route
    )


def test_artist_names_are_never_public(settings):
    settings.ICONOPLASM_STARTER_GENES = ["TP53"]
    gene = make_gene("TP53", summary="a gene")
    emulsion = make_emulsion(artists=f"{SECRET}; Other Person", name="Ink Wash")
    portrait = make_portrait(gene, emulsion, prompt="a portrait")
    user = make_user("ada")
    Discovery.objects.create(user=user, gene=gene)
    services.submit_optout(name=SECRET, contact="z@example.org", message=SECRET)

    values = {"symbol": "TP53", "pk": str(portrait.pk), "int": str(portrait.pk), "str": "TP53"}
    routes = public_routes()
    assert "api/me/discoveries/" in routes and "api/artist-optout/" in routes
    anonymous, signed_in = Client(raise_request_exception=False), Client(raise_request_exception=False)
    signed_in.force_login(user)
    checked = 0
    for route in routes:
        for client in (anonymous, signed_in):
            response = client.get(fill(route, values), follow=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET.encode() not in body, route
            assert SECRET.lower().encode() not in body.lower(), route
            checked += 1
    assert checked >= 10

    # The write endpoints of this app echo nothing back either.
    api = APIClient()
    optout = api.post("/api/artist-optout/", {"name": SECRET, "contact": "z@example.org"}, format="json")
    assert optout.status_code == 201 and SECRET.encode() not in optout.content
    api.force_authenticate(user)
    merged = api.post("/api/me/discoveries/", {"symbols": ["TP53", SECRET]}, format="json")
    assert merged.status_code == 200  # the unknown name is the caller's own input, echoed to them only
    for url in ("/api/me/discoveries/", "/api/discoveries/", "/api/genes/TP53/", "/api/genes/TP53/candidates/"):
        assert SECRET.encode() not in api.get(url).content, url

    # Blocking leaves no public trace of the name either.
    services.block_artist(SECRET)
    for route in routes:
        response = anonymous.get(fill(route, values), follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in body, route
