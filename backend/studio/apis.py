"""API views for generation requests, bring-your-own-key and transfers (thin: input → service/selector → output)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.common.ratelimit import check_rate
from backend.genes.apis import gene_or_404
from backend.genes.models import Gene
from backend.portraits.apis import ERROR, candidate_context, portrait_or_404
from backend.portraits.models import Emulsion
from backend.portraits.selectors import usable_emulsion
from backend.portraits.serializers import CandidateSerializer, TransferInputSerializer, TransferResultSerializer

from .byok import ByokError, byok_request
from .copies import SameGeneError, transfer_portrait
from .keys import provider_key_delete, provider_key_get, provider_key_set
from .selectors import user_request, user_requests
from .serializers import (
    ByokGenerateInput,
    GenerationRequestOutput,
    ProviderKeyInput,
    ProviderKeyOutput,
    RequestCreateInput,
)
from .services import request_create

MAX_LISTED = 200


def _gene_and_emulsion(
    request, symbol: str, *, limit: str, payload, procedural: bool = False
) -> tuple[Gene, Emulsion | None]:
    """The checks both portrait-making endpoints make: under rate limit ``limit``, a known gene, valid input,
    and an emulsion that is usable (None when the input names none and may); ``procedural``: one the
    procedural renderer draws (a request's renderer), not a diffusion-only one."""
    check_rate(limit, request)
    gene, _ = gene_or_404(symbol)
    data = payload(data=request.data)
    data.is_valid(raise_exception=True)
    emulsion_id = data.validated_data["emulsion_id"]
    if not emulsion_id:
        return gene, None
    emulsion = usable_emulsion(emulsion_id, procedural=procedural)
    if emulsion is None:
        why = "unknown, withdrawn or diffusion-only" if procedural else "unknown or withdrawn"
        raise ValidationError({"emulsion_id": [f"{why} emulsion {emulsion_id!r}"]})
    return gene, emulsion


class GeneRequestCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RequestCreateInput, responses={201: GenerationRequestOutput})
    def post(self, request, symbol: str):
        gene, emulsion = _gene_and_emulsion(
            request, symbol, limit="request", payload=RequestCreateInput, procedural=True
        )
        created = request_create(user=request.user, gene=gene, emulsion=emulsion)
        return Response(GenerationRequestOutput(created).data, status=status.HTTP_201_CREATED)


class MyRequestsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: inline_serializer("GenerationRequestList", {"results": GenerationRequestOutput(many=True)})}
    )
    def get(self, request):
        requests = user_requests(request.user)[:MAX_LISTED]
        return Response({"results": GenerationRequestOutput(requests, many=True).data})


class MyRequestApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="request_retrieve", responses={200: GenerationRequestOutput, 404: ERROR})
    def get(self, request, pk: int):
        found = user_request(request.user, pk)
        if found is None:
            raise NotFound("no such request of yours")
        return Response(GenerationRequestOutput(found).data)


class ProviderKeyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ProviderKeyOutput, 404: ERROR})
    def get(self, request):
        key = provider_key_get(request.user)
        if key is None:
            raise NotFound("no provider key stored")
        return Response(ProviderKeyOutput(key).data)

    @extend_schema(request=ProviderKeyInput, responses={200: ProviderKeyOutput})
    def put(self, request):
        data = ProviderKeyInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = provider_key_set(user=request.user, **data.validated_data)
        return Response(ProviderKeyOutput(key).data)

    @extend_schema(responses={204: None})
    def delete(self, request):
        provider_key_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ByokGenerateApi(APIView):
    """Queues the generation (the render worker calls the provider, once); answers at once with the request."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Queue a portrait drawn through your own provider key",
        request=ByokGenerateInput,
        responses={
            202: OpenApiResponse(GenerationRequestOutput, description="queued; follow its url for the status"),
            403: ERROR,  # 400, 401, 404 and 429 come from ErrorsAutoSchema
        },
    )
    def post(self, request, symbol: str):
        gene, emulsion = _gene_and_emulsion(request, symbol, limit="byok", payload=ByokGenerateInput)
        try:
            queued = byok_request(user=request.user, gene=gene, emulsion=emulsion)
        except ByokError as exc:
            return Response({"detail": exc.message}, status=exc.status)
        body = GenerationRequestOutput(queued).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class PortraitTransferApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Copy a candidate's image to another gene as a new candidate",
        request=TransferInputSerializer,
        responses={
            201: TransferResultSerializer,
            200: OpenApiResponse(TransferResultSerializer, description="the target gene already had this image"),
            403: ERROR,  # 400, 401, 404 and 429 come from ErrorsAutoSchema
        },
    )
    def post(self, request, pk: int):
        check_rate("transfer", request)
        portrait = portrait_or_404(pk)
        payload = TransferInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target, _ = gene_or_404(payload.validated_data["to"])
        try:
            new, created = transfer_portrait(portrait, target, request.user)
        except SameGeneError as exc:
            raise ValidationError({"to": [str(exc)]}) from exc
        context = candidate_context(request, target, [new])
        body = {"created": created, "portrait": CandidateSerializer(new, context=context).data}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
