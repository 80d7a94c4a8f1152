"""The portraits JSON API: candidates of a gene, votes, transfers. Thin: rules live in services/selectors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.common.ratelimit import check_rate
from backend.genes.models import Gene
from backend.genes.selectors import find_gene

from . import selectors, services
from .models import Portrait
from .serializers import (
    CandidateSerializer,
    GeneCandidatesSerializer,
    TransferInputSerializer,
    TransferResultSerializer,
    VoteInputSerializer,
)

ERROR = OpenApiResponse(description="JSON error with a human-readable `detail`")


def gene_or_404(symbol: str) -> Gene:
    found = find_gene(symbol)
    if found is None:
        raise NotFound(f"unknown gene {symbol!r}")
    return found[0]


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
        responses={200: GeneCandidatesSerializer, 404: ERROR},
    )
    def get(self, request, symbol: str):
        gene = gene_or_404(symbol)
        portraits = list(selectors.candidates(gene))
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
        responses={200: CandidateSerializer, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR},
    )
    def post(self, request, pk: int):
        check_rate("vote", request)
        portrait = portrait_or_404(pk)
        payload = VoteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            portrait = services.vote(request.user, portrait, int(payload.validated_data["value"]))
        except DjangoValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
        return Response(CandidateSerializer(portrait, context=candidate_context(request, portrait.gene, [portrait])).data)


class PortraitTransferApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Copy a candidate's image to another gene as a new candidate",
        request=TransferInputSerializer,
        responses={
            201: TransferResultSerializer,
            200: OpenApiResponse(TransferResultSerializer, description="the target gene already had this image"),
            400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR,
        },
    )
    def post(self, request, pk: int):
        check_rate("transfer", request)
        portrait = portrait_or_404(pk)
        payload = TransferInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = gene_or_404(payload.validated_data["to"])
        try:
            new, created = services.transfer_portrait(portrait, target, request.user)
        except services.SameGeneError as exc:
            raise ValidationError({"to": [str(exc)]}) from exc
        context = candidate_context(request, target, [new])
        body = {"created": created, "portrait": CandidateSerializer(new, context=context).data}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
