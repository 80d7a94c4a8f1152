"""Request and response shapes of the casts API (the rules live in services)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.genes.models import Gene
from pipeline.casts import SideSpec

from .models import Cast, CastSide
from .services import MAX_DESCRIPTION, MAX_GENES, MAX_SIDE_NAME, MAX_SIDES, MAX_TITLE


class CastSummarySerializer(serializers.ModelSerializer):
    """A cast as listed: ``gene_count`` comes from ``selectors.with_gene_counts``."""

    owner = serializers.CharField(source="owner.get_username", default=None, read_only=True)
    gene_count = serializers.IntegerField(read_only=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Cast
        fields = ["slug", "title", "description", "builtin", "public", "owner", "gene_count", "page_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, cast: Cast) -> str:
        url = reverse("cast-detail", args=[cast.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CastGeneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gene
        fields = ["symbol", "name", "color_hex", "text_color_hex", "color_name", "faction"]
        read_only_fields = fields


class CastSideSerializer(serializers.ModelSerializer):
    genes = serializers.SerializerMethodField()

    class Meta:
        model = CastSide
        fields = ["name", "genes"]
        read_only_fields = fields

    @extend_schema_field(CastGeneSerializer(many=True))
    def get_genes(self, side: CastSide) -> list[dict]:
        return CastGeneSerializer([member.gene for member in side.members.all()], many=True).data


class CastDetailSerializer(CastSummarySerializer):
    sides = CastSideSerializer(many=True, read_only=True)

    class Meta(CastSummarySerializer.Meta):
        fields = [*CastSummarySerializer.Meta.fields, "sides"]
        read_only_fields = fields


class SideInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=MAX_SIDE_NAME)
    genes = serializers.ListField(
        child=serializers.CharField(max_length=64),
        allow_empty=False,
        max_length=MAX_GENES,
        help_text="gene names as typed: symbols, previous symbols, aliases, any case; ranges like WNT1..WNT11",
    )

    def to_internal_value(self, data) -> SideSpec:
        values = super().to_internal_value(data)
        return SideSpec(values["name"], tuple(values["genes"]))


class CastInputSerializer(serializers.Serializer):
    """A cast to create (every field but ``description`` and ``public`` required) or change (PATCH: any subset)."""

    title = serializers.CharField(max_length=MAX_TITLE)
    description = serializers.CharField(max_length=MAX_DESCRIPTION, allow_blank=True, required=False, default="")
    public = serializers.BooleanField(required=False, default=False)
    sides = SideInputSerializer(many=True, allow_empty=False, max_length=MAX_SIDES)
