"""Request and response shapes of the portraits API (no business rules here; artists are never exposed)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Emulsion, Portrait


class EmulsionPublicSerializer(serializers.ModelSerializer):
    """An emulsion as the public sees it: id and name only (never its artists)."""

    id = serializers.CharField(source="emulsion_id")

    class Meta:
        model = Emulsion
        fields = ["id", "name"]


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate portrait. Context: ``request``, ``canonical_id``, ``my_votes`` ({portrait id: value})."""

    image_url = serializers.SerializerMethodField()
    blot_url = serializers.SerializerMethodField()
    emulsion = EmulsionPublicSerializer(allow_null=True, read_only=True)
    is_canonical = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()
    symbol = serializers.CharField(source="gene.symbol", read_only=True)
    copied_from = serializers.SerializerMethodField()

    class Meta:
        model = Portrait
        fields = [
            "id",
            "symbol",
            "image_url",
            "blot_url",
            "emulsion",
            "score",
            "votes_count",
            "is_canonical",
            "my_vote",
            "origin",
            "transferred_from",
            "copied_from",
            "width",
            "height",
            "created_at",
        ]
        read_only_fields = fields

    def _url(self, file) -> str | None:
        if not file:
            return None
        url = file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(serializers.URLField())
    def get_image_url(self, portrait: Portrait) -> str | None:
        return self._url(portrait.image)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_blot_url(self, portrait: Portrait) -> str | None:
        return self._url(portrait.blot)

    @extend_schema_field(
        serializers.DictField(
            allow_null=True,
            help_text="for a transferred candidate (origin transfer): the gene it was copied from (symbol, null when "
            "that portrait is gone) and a notice saying it shows that gene's traits; null for a candidate drawn for "
            "this gene",
        )
    )
    def get_copied_from(self, portrait: Portrait) -> dict | None:
        if portrait.origin != Portrait.TRANSFER:
            return None
        source = portrait.transferred_from
        symbol = None if source is None else source.gene.symbol
        notice = (
            f"copied from {symbol} — drawn with {symbol}'s traits, not {portrait.gene.symbol}'s"
            if symbol
            else f"copied from another gene — drawn with its traits, not {portrait.gene.symbol}'s"
        )
        return {"symbol": symbol, "notice": notice}

    def get_is_canonical(self, portrait: Portrait) -> bool:
        return portrait.pk == self.context.get("canonical_id")

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="1, -1, or null (no vote / guest)"))
    def get_my_vote(self, portrait: Portrait) -> int | None:
        return self.context.get("my_votes", {}).get(portrait.pk)


class GeneCandidatesSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    canonical_id = serializers.IntegerField(allow_null=True)
    candidates = CandidateSerializer(many=True)


class VoteInputSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[1, -1, 0],
        help_text="1 up, -1 down, 0 clears your vote",
        error_messages={"invalid_choice": "value must be 1, -1 or 0 (0 clears your vote)"},
    )


class TransferInputSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=64, help_text="symbol of the gene to copy the portrait to")


class TransferResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text="false when the target gene already had this image")
    portrait = CandidateSerializer()
