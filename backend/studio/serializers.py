"""Input and output shapes of the generation-request and bring-your-own-key APIs."""

from __future__ import annotations

from rest_framework import serializers

from .models import ProviderKey


class RequestCreateInput(serializers.Serializer):
    emulsion_id = serializers.CharField(max_length=8)


class GenerationRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    gene = serializers.CharField(source="gene.symbol")
    emulsion_id = serializers.CharField(source="emulsion.emulsion_id")
    emulsion_name = serializers.CharField(source="emulsion.name")
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    portrait_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


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


class CandidateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    gene = serializers.CharField(source="gene.symbol")
    image = serializers.SerializerMethodField()
    blot = serializers.SerializerMethodField()
    renderer = serializers.CharField()
    model = serializers.CharField()
    emulsion_id = serializers.CharField(source="emulsion.emulsion_id", allow_null=True, default=None)
    prompt = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    origin = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_image(self, portrait) -> str:
        return portrait.image.url if portrait.image else ""

    def get_blot(self, portrait) -> str:
        return portrait.blot.url if portrait.blot else ""
