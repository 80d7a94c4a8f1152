"""Account and discovery endpoints: thin wrappers around services and selectors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.common.ratelimit import check_rate, sign_in_attempt
from backend.genes.models import Gene

from . import selectors, services
from .models import Preferences


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class RegisterApi(APIView):
    """Create an account; answers with its API token (for the extension)."""

    authentication_classes: list = []
    permission_classes: list = []

    class RegisterInputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
        email = serializers.EmailField(required=False, allow_blank=True, default="")

    class RegisterOutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        token = serializers.CharField()

    @extend_schema(request=RegisterInputSerializer, responses={201: RegisterOutputSerializer})
    def post(self, request):
        check_rate("register", request)
        serializer = self.RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.register_user(**serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        token, _ = Token.objects.get_or_create(user=user)
        data = {"username": user.username, "token": token.key}
        return Response(self.RegisterOutputSerializer(data).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    """Exchange a username and password for the user's API token.

    Failed attempts are limited per username and per address (429 + Retry-After), checked
    before the password is hashed; a good password does not count.
    """

    authentication_classes: list = []
    permission_classes: list = []

    class TokenInputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: inline_serializer("TokenOutput", {"token": serializers.CharField()})},
    )
    def post(self, request):
        serializer = self.TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attempt = sign_in_attempt(request, serializer.validated_data["username"])
        try:
            key = services.issue_token(**serializer.validated_data)
        except services.BadCredentials as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        attempt.succeeded()
        return Response({"token": key})


class DiscoveredGeneSerializer(serializers.Serializer):
    symbol = serializers.CharField(source="gene.symbol")
    name = serializers.CharField(source="gene.name")
    color_hex = serializers.CharField(source="gene.color_hex")
    text_color_hex = serializers.CharField(source="gene.text_color_hex")
    discovered_at = serializers.DateTimeField()


class MyDiscoveriesApi(APIView):
    """The signed-in user's discovered genes (GET) and merging new ones (POST)."""

    permission_classes = [IsAuthenticated]

    class MyDiscoveriesListOutputSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        total = serializers.IntegerField()
        genes = DiscoveredGeneSerializer(many=True)

    class MyDiscoveriesInputSerializer(serializers.Serializer):
        symbols = serializers.ListField(
            child=serializers.CharField(max_length=64), allow_empty=True, max_length=services.MAX_DISCOVERY_SYMBOLS
        )

    class MyDiscoveriesAddOutputSerializer(serializers.Serializer):
        added = serializers.ListField(child=serializers.CharField())
        already = serializers.ListField(child=serializers.CharField())
        unknown = serializers.ListField(child=serializers.CharField())
        count = serializers.IntegerField()
        total = serializers.IntegerField()

    @extend_schema(responses={200: MyDiscoveriesListOutputSerializer})
    def get(self, request):
        discoveries = list(selectors.user_discoveries(request.user))
        data = {"count": len(discoveries), "total": Gene.objects.count(), "genes": discoveries}
        return Response(self.MyDiscoveriesListOutputSerializer(data).data)

    @extend_schema(request=MyDiscoveriesInputSerializer, responses={200: MyDiscoveriesAddOutputSerializer})
    def post(self, request):
        check_rate("discovery", request)
        serializer = self.MyDiscoveriesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.record_discoveries(user=request.user, names=serializer.validated_data["symbols"])
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        data = {
            "added": result.added,
            "already": result.already,
            "unknown": result.unknown,
            "count": selectors.user_discoveries(request.user).count(),
            "total": Gene.objects.count(),
        }
        return Response(self.MyDiscoveriesAddOutputSerializer(data).data)


class PreferencesSerializer(serializers.Serializer):
    share_discoveries = serializers.BooleanField(
        help_text="list your discoveries (username, gene, when) in others' discoveries and /api/discoveries/; "
        "off until you turn it on"
    )


class MyPreferencesApi(APIView):
    """The signed-in user's preferences: read them (GET) or change them (PUT)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your preferences (discoveries are private unless you share them)", responses=PreferencesSerializer
    )
    def get(self, request):
        return Response(PreferencesSerializer(Preferences.of(request.user)).data)

    @extend_schema(
        summary="Change your preferences", request=PreferencesSerializer, responses={200: PreferencesSerializer}
    )
    def put(self, request):
        payload = PreferencesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        preferences = Preferences.set_for(request.user, **payload.validated_data)
        return Response(PreferencesSerializer(preferences).data)


class PublicDiscoveriesApi(APIView):
    """The latest discoveries of users who share theirs, and the genes most of them have found (discoveries
    are private by default: ``PUT /api/me/preferences/`` with ``share_discoveries``)."""

    permission_classes: list = []

    class PublicDiscoveriesRecentSerializer(serializers.Serializer):
        username = serializers.CharField(source="user.username")
        symbol = serializers.CharField(source="gene.symbol")
        color_hex = serializers.CharField(source="gene.color_hex")
        discovered_at = serializers.DateTimeField()

    class PublicDiscoveriesTopGeneSerializer(serializers.Serializer):
        symbol = serializers.CharField()
        name = serializers.CharField()
        color_hex = serializers.CharField()
        text_color_hex = serializers.CharField()
        discoverers = serializers.IntegerField()

    @extend_schema(
        responses={
            200: inline_serializer(
                "PublicDiscoveries",
                {
                    "recent": PublicDiscoveriesRecentSerializer(many=True),
                    "top_genes": PublicDiscoveriesTopGeneSerializer(many=True),
                },
            )
        }
    )
    def get(self, request):
        recent = selectors.recent_discoveries(exclude_user=request.user)
        top = selectors.top_discovered_genes()
        return Response(
            {
                "recent": self.PublicDiscoveriesRecentSerializer(recent, many=True).data,
                "top_genes": self.PublicDiscoveriesTopGeneSerializer(top, many=True).data,
            }
        )
