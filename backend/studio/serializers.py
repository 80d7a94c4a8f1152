"""Input and output shapes of the generation-request and bring-your-own-key APIs."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from .models import ProviderKey


class RequestCreateInput(serializers.Serializer):
    emulsion_id = serializers.CharField(max_length=8)


class GenerationRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    kind = serializers.CharField()
    gene = serializers.CharField(source="gene.symbol")
    # A byok request may have no emulsion.
    emulsion_id = serializers.CharField(source="emulsion.emulsion_id", allow_null=True, default=None)
    emulsion_name = serializers.CharField(source="emulsion.name", allow_null=True, default=None)
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    portrait_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, request) -> str:
        return reverse("my-request", kwargs={"pk": request.pk})


class ProviderKeyInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=[p for p, _ in ProviderKey.PROVIDERS])
    api_key = serializers.CharField(min_length=8, max_length=512, write_only=True, trim_whitespace=True)
    model = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")


class ProviderKeyOutput(serializers.Serializer):
    provider = serializers.CharField()
    model = serializers.CharField()
    fingerprint = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ByokGenerateInput(serializers.Serializer):
    emulsion_id = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
