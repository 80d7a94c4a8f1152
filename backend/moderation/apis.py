"""The public artist opt-out endpoint."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.common.ratelimit import check_rate

from . import services


class ArtistOptOutInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=254)
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    website = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="leave empty"
    )


class ArtistOptOutApi(APIView):
    """An artist asks not to be imitated. The request is reviewed by a moderator; nothing is published."""

    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        request=ArtistOptOutInputSerializer,
        responses={201: inline_serializer("ArtistOptOutReceived", {"detail": serializers.CharField()})},
    )
    def post(self, request):
        check_rate("optout", request)
        serializer = ArtistOptOutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.submit_optout(**serializer.validated_data)
        # The same answer whether or not the honeypot caught a bot.
        return Response({"detail": "received; a moderator will review your request"}, status=status.HTTP_201_CREATED)
