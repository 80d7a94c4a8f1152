"""The portraits JSON API: a gene's card and batch cards, its candidates, votes, the emulsions. Thin: rules live in
services/selectors. Error responses in the schema come from ``backend.common.errors.ErrorsAutoSchema``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.common.errors import error_response
from backend.common.ratelimit import check_rate
from backend.genes.apis import gene_or_404, unknown_gene
from backend.genes.models import Gene
from backend.genes.selectors import find_gene, find_typed_gene

from . import selectors, services
from .cards import build_card, card_body, card_stamp, card_state
from .first_look import first_portrait_on_demand
from .models import Portrait
from .serializers import (
    CandidateSerializer,
    EmulsionPublicSerializer,
    GeneCandidatesSerializer,
    VoteInputSerializer,
)

# Any error an endpoint names itself (the schema lists the usual ones for every endpoint already).
ERROR = error_response()


def portrait_or_404(pk: int) -> Portrait:
    portrait = selectors.public_portrait(pk)
    if portrait is None:
        raise NotFound(f"no portrait #{pk}")
    return portrait


def candidate_context(request, gene: Gene, portraits) -> dict:
    return {
        "request": request,
        "canonical_id": selectors.canonical_id(gene),
        "my_votes": selectors.user_votes(request.user, portraits),
    }


class GeneCandidatesApi(APIView):
    @extend_schema(
        summary="A gene's public candidate portraits, best score first",
        responses=GeneCandidatesSerializer,
    )
    def get(self, request, symbol: str):
        gene, _ = gene_or_404(symbol)
        portraits = list(selectors.candidates(gene).select_related("gene", "transferred_from__gene"))
        context = candidate_context(request, gene, portraits)
        data = {
            "symbol": gene.symbol,
            "canonical_id": context["canonical_id"],
            "candidates": CandidateSerializer(portraits, many=True, context=context).data,
        }
        return Response(data)


class PortraitVoteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Vote on a candidate: 1 up, -1 down, 0 clears (one vote per user and candidate)",
        request=VoteInputSerializer,
        responses={200: CandidateSerializer, 403: error_response(403)},
    )
    def post(self, request, pk: int):
        check_rate("vote", request)
        payload = VoteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            voted = services.vote(request.user, pk, int(payload.validated_data["value"]))
        except DjangoValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
        except Portrait.DoesNotExist:
            raise NotFound(f"no portrait #{pk}") from None
        # The outcome already says what the answer shows: no query for the canonical or the user's vote.
        context = {
            "request": request,
            "canonical_id": voted.canonical_id,
            "my_votes": {} if voted.my_vote is None else {voted.portrait.pk: voted.my_vote},
        }
        return Response(CandidateSerializer(voted.portrait, context=context).data)


MAX_BATCH = 100


class GeneCardView(APIView):
    @extend_schema(
        summary="A gene's character card (aliases and previous symbols resolve to the gene, and so does a name "
        "in another case when only one gene has it: matched_by says how, e.g. symbol_case)",
        responses={200: dict, 304: None},
    )
    def get(self, request, symbol: str):
        # An approved symbol as written takes one query (the fast path); any other name is looked up
        # by the one rule for typed names.
        stamp, matched_by = card_stamp(symbol), "symbol"
        if stamp is None:
            found = find_typed_gene(symbol)
            if found is None:
                raise unknown_gene(symbol)
            gene, matched_by = found
            stamp = card_stamp(gene.symbol)
        # a gene nobody has drawn yet gets its face now, not a coloured block
        if stamp.portrait_id is None and (drawn := first_portrait_on_demand(stamp.gene_id)) is not None:
            stamp = card_stamp(drawn.gene.symbol)
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
    @extend_schema(summary=f"Cards for up to {MAX_BATCH} symbols", request=BatchSerializer, responses={200: dict})
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


class EmulsionListApi(APIView):
    @extend_schema(
        summary="The emulsions a portrait request may name (id and name; withdrawn ones left out)",
        responses=EmulsionPublicSerializer(many=True),
    )
    def get(self, request):
        return Response(EmulsionPublicSerializer(selectors.public_emulsions(), many=True).data)
