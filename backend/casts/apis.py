"""The casts JSON API: list and read casts, compose and edit your own. Thin: rules live in services/selectors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied, ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.common.errors import error_response
from backend.common.ratelimit import check_rate

from . import selectors, services
from .models import Cast
from .serializers import CastDetailSerializer, CastInputSerializer, CastSummarySerializer


class ReadOrSignedIn(BasePermission):
    """Anyone reads; writing needs a signed-in user (a token, or a session with its CSRF token)."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or IsAuthenticated().has_permission(request, view)


def cast_or_404(slug: str, user) -> Cast:
    cast = selectors.visible_cast(slug, user)
    if cast is None:
        raise NotFound(f"no cast {slug!r}")
    return cast


def detail(cast: Cast, request) -> dict:
    return CastDetailSerializer(selectors.cast_with_genes(cast), context={"request": request}).data


# What a numbered error inside a list field is called ("side 2: genes: gene 3: ...").
ITEM_NOUNS = {"sides": "side", "genes": "gene"}


def _messages(problems, noun: str = "item", where: str = ""):
    if isinstance(problems, dict):
        for key, value in problems.items():
            numbered = str(key).isdigit()
            label = f"{noun} {int(key) + 1}" if numbered else str(key)
            yield from _messages(value, noun if numbered else ITEM_NOUNS.get(str(key), "item"), f"{where}{label}: ")
    elif isinstance(problems, list):
        for problem in problems:
            yield from _messages(problem, noun, where)
    else:
        yield f"{where}{problems}"


def valid_input(payload: CastInputSerializer) -> dict:
    """The payload's data; a 400 otherwise, with one flat list of messages per field (the schema's 400
    shape), a side's problems naming the side (``side 2: genes: This list may not be empty.``)."""
    if not payload.is_valid():
        raise ValidationError(
            {
                field: list(_messages(problems, ITEM_NOUNS.get(field, "item")))
                for field, problems in payload.errors.items()
            }
        )
    return payload.validated_data


def saved(write) -> Cast:
    """Run a service write; its ValidationError as a 400 listing each problem by field, a refusal as a 403."""
    try:
        return write()
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class CastListApi(APIView):
    permission_classes = [ReadOrSignedIn]

    @extend_schema(
        summary="The listed casts: built-in, public, and (signed in) your own",
        responses=CastSummarySerializer(many=True),
    )
    def get(self, request):
        casts = selectors.with_gene_counts(selectors.listed_casts(request.user))
        return Response(CastSummarySerializer(casts, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Compose a cast. Names resolve like typed names (aliases, any case; ranges like WNT1..WNT11); "
        "a 400 names every one that is no gene, with its side",
        request=CastInputSerializer,
        responses={201: CastDetailSerializer, 401: error_response(401)},
    )
    def post(self, request):
        check_rate("cast", request)
        fields = valid_input(CastInputSerializer(data=request.data))
        cast = saved(lambda: services.create_cast(request.user, **fields))
        return Response(detail(cast, request), status=status.HTTP_201_CREATED)


class CastDetailApi(APIView):
    permission_classes = [ReadOrSignedIn]

    @extend_schema(
        summary="A cast: its sides, each with its genes' symbols and colours", responses=CastDetailSerializer
    )
    def get(self, request, slug: str):
        return Response(detail(cast_or_404(slug, request.user), request))

    def _change(self, request, slug: str, partial: bool):
        check_rate("cast", request)
        cast = cast_or_404(slug, request.user)
        if not services.can_edit(cast, request.user):
            raise PermissionDenied("only the cast's owner can edit it (built-in casts are edited in their data file)")
        fields = valid_input(CastInputSerializer(data=request.data, partial=partial))
        cast = saved(lambda: services.update_cast(cast, request.user, **fields))
        return Response(detail(cast, request))

    @extend_schema(
        summary="Replace your cast's title, description, public flag and sides (owner only)",
        request=CastInputSerializer,
        responses={200: CastDetailSerializer, 401: error_response(401), 403: error_response(403)},
    )
    def put(self, request, slug: str):
        return self._change(request, slug, partial=False)

    @extend_schema(
        summary="Change some of your cast's fields (owner only); the link stays the same",
        request=CastInputSerializer(partial=True),
        responses={200: CastDetailSerializer, 401: error_response(401), 403: error_response(403)},
    )
    def patch(self, request, slug: str):
        return self._change(request, slug, partial=True)
