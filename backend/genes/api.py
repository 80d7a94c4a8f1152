"""Gene API: cards, batch cards and the lexicon."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from .cards import build_card, card_body, card_stamp, card_state
from .lexicon import current_lexicon
from .selectors import find_gene

MAX_BATCH = 100


def unknown_gene(symbol: str) -> NotFound:
    return NotFound(f"unknown gene: {symbol!r} is not an approved symbol, previous symbol or unambiguous alias")


class GeneCardView(APIView):
    @extend_schema(summary="A gene's character card (aliases and previous symbols resolve to the gene)", responses={200: dict, 304: None, 404: dict})
    def get(self, request, symbol: str):
        stamp, matched_by = card_stamp(symbol), "symbol"
        if stamp is None:
            found = find_gene(symbol)
            if found is None:
                raise unknown_gene(symbol)
            gene, matched_by = found
            stamp = card_stamp(gene.symbol)
        etag = stamp.etag + ("" if matched_by == "symbol" else f";{matched_by}")
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return HttpResponse(card_body(stamp, matched_by, request), content_type="application/json", headers=headers)


class BatchSerializer(serializers.Serializer):
    symbols = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False)

    def validate_symbols(self, value):
        if len(value) > MAX_BATCH:
            raise serializers.ValidationError(f"at most {MAX_BATCH} symbols per batch (got {len(value)})")
        return value


class GeneBatchView(APIView):
    @extend_schema(summary=f"Cards for up to {MAX_BATCH} symbols", request=BatchSerializer, responses={200: dict, 400: dict})
    def post(self, request):
        serializer = BatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cards, missing = {}, []
        for symbol in dict.fromkeys(serializer.validated_data["symbols"]):
            found = find_gene(symbol)
            if found is None:
                missing.append(symbol)
                continue
            gene, matched_by = found
            portrait, count = card_state(gene)
            cards[symbol] = build_card(gene, request, portrait, count, matched_by)
        return Response({"cards": cards, "missing": missing})


class LexiconView(APIView):
    @extend_schema(summary="The current lexicon's hash and URL", responses={200: dict})
    def get(self, request):
        lexicon = current_lexicon()
        url = request.build_absolute_uri(reverse("lexicon-file", args=[lexicon.hash]))
        return Response({"hash": lexicon.hash, "url": url, "genes": lexicon.genes}, headers={"Cache-Control": "no-cache"})


def lexicon_file(request, lexicon_hash: str):
    """The lexicon bytes under their hash: immutable, cacheable forever."""
    lexicon = current_lexicon()
    if lexicon_hash != lexicon.hash:
        return JsonResponse({"detail": f"no lexicon {lexicon_hash}; GET /api/lexicon/ for the current one"}, status=404)
    response = HttpResponse(lexicon.body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = f'"{lexicon.hash}"'
    return response

