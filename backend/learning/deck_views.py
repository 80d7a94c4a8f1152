"""Anki deck downloads (``.apkg``), mounted under /decks/: my discoveries, any gene set, a cast.

Thin: the genes and the file come from :mod:`backend.learning.decks`. Each download is
rate-limited ("deck": a GET, but each one reads and zips images). Token or session, as the API;
errors are JSON with a ``detail`` (or the field's messages), in the OpenAPI schema.
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from backend.casts.selectors import visible_cast
from backend.common.errors import error_response
from backend.common.ratelimit import check_rate
from backend.genes.selectors import find_typed_genes
from pipeline import anki

from . import decks

DECK_FILE = {(200, anki.MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the .apkg file (attachment)")}
THROTTLED = {429: error_response(429)}
# Room for MAX_DECK_GENES names of a typical length, commas included.
MAX_GENES_TEXT = decks.MAX_DECK_GENES * 24


def download(genes, kind: str, title: str, filename: str) -> FileResponse:
    return FileResponse(
        decks.open_deck(genes, kind, title), as_attachment=True, filename=filename, content_type=anki.MEDIA_TYPE
    )


class GeneSetQuery(serializers.Serializer):
    genes = serializers.CharField(
        max_length=MAX_GENES_TEXT,
        help_text=f"comma-separated gene names (aliases, previous symbols and any case accepted), at most "
        f"{decks.MAX_DECK_GENES}",
    )

    def validate_genes(self, value: str) -> list[str]:
        names = list(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
        if not names:
            raise serializers.ValidationError("name at least one gene")
        if len(names) > decks.MAX_DECK_GENES:
            raise serializers.ValidationError(f"at most {decks.MAX_DECK_GENES} genes per deck (got {len(names)})")
        return names


class DeckView(APIView):
    # Errors as JSON whatever the client accepts (a browser following a download link too).
    renderer_classes = [JSONRenderer]


class MyDeckView(DeckView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="An Anki deck of my discoveries: one note per gene (blot, symbol, name, trait ← fact lines, "
        "summary), two cards each; re-importing a newer export updates the same notes",
        responses={**DECK_FILE, **THROTTLED},
    )
    def get(self, request):
        check_rate("deck", request)
        genes = decks.discovered_genes(request.user)
        return download(genes, anki.DISCOVERIES, decks.DISCOVERIES_TITLE, "iconoplasm-discoveries.apkg")


class GeneSetDeckView(DeckView):
    @extend_schema(
        summary=f"An Anki deck of any gene set (at most {decks.MAX_DECK_GENES}); unknown names are a 400 naming them",
        parameters=[GeneSetQuery],
        responses={**DECK_FILE, 400: error_response(400), **THROTTLED},
    )
    def get(self, request):
        check_rate("deck", request)
        query = GeneSetQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        genes, unknown = find_typed_genes(query.validated_data["genes"])
        if unknown:
            raise ValidationError({"genes": [f"unknown gene name(s): {', '.join(unknown)}"]})
        return download(genes, anki.GENES, decks.GENES_TITLE, "iconoplasm-genes.apkg")


class CastDeckView(DeckView):
    @extend_schema(summary="An Anki deck of a cast's genes", responses={**DECK_FILE, **THROTTLED})
    def get(self, request, slug: str):
        check_rate("deck", request)
        cast = visible_cast(slug, request.user)
        if cast is None:
            raise NotFound(f"no cast {slug!r}")
        return download(decks.cast_genes(cast), anki.cast_kind(cast.slug), cast.title, f"iconoplasm-cast-{slug}.apkg")
