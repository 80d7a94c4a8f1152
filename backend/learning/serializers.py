"""Request and response shapes of the review API (no rules here: those are in services, selectors and questions)."""

from __future__ import annotations

from datetime import UTC

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .questions import CHOICE_IDS
from .scheduler import GRADES
from .services import MAX_STUDY_GENES

MAX_NEXT = 20


class SummarySerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="cards due now, today's new cards included")
    new = serializers.IntegerField(help_text="new cards available today (at most 20 a day are introduced)")
    reviewed_today = serializers.IntegerField(help_text="answers since midnight UTC")
    streak_days = serializers.IntegerField(help_text="consecutive UTC days with a review, up to today or yesterday")
    retention_30d = serializers.FloatField(allow_null=True, help_text="share of right answers over 30 days")


class NextQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_NEXT, default=10, help_text="questions wanted, 1-20")


def absolute(request, url: str | None) -> str | None:
    return None if url is None else request.build_absolute_uri(url)


class ChoiceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="a, b, c or d")
    label = serializers.CharField(help_text='the symbol or value; "Portrait 1"-"Portrait 4" for image choices')
    image_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, choice) -> str | None:
        return absolute(self.context["request"], choice.image_url)


class PromptSerializer(serializers.Serializer):
    symbol = serializers.CharField(source="prompt_symbol", allow_null=True)
    image_url = serializers.SerializerMethodField()
    color_hex = serializers.CharField(source="prompt_color_hex", allow_null=True)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, question) -> str | None:
        return absolute(self.context["request"], question.prompt_image_url)


class QuestionSerializer(serializers.Serializer):
    card = serializers.IntegerField(source="card.pk")
    kind = serializers.CharField(source="card.kind")
    question = serializers.CharField(source="text")
    prompt = PromptSerializer(source="*")
    choices = ChoiceSerializer(many=True)
    showing = serializers.CharField(help_text="opaque signed token: send it back with the answer")


class NextSerializer(serializers.Serializer):
    due = serializers.IntegerField()
    new = serializers.IntegerField()
    items = QuestionSerializer(many=True)


class AnswerInputSerializer(serializers.Serializer):
    card = serializers.IntegerField(min_value=1)
    showing = serializers.CharField(max_length=512)
    choice = serializers.ChoiceField(
        choices=CHOICE_IDS, error_messages={"invalid_choice": "choice must be one of a, b, c, d (a choice's id)"}
    )
    grade = serializers.ChoiceField(
        choices=list(GRADES),
        help_text="1 Again, 2 Hard, 3 Good, 4 Easy (a wrong choice is recorded as 1 whatever is sent)",
        error_messages={"invalid_choice": "grade must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"},
    )
    elapsed_ms = serializers.IntegerField(min_value=0, max_value=24 * 3600 * 1000, required=False)


class AnswerLabelSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()


class AnswerResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    answer = AnswerLabelSerializer()
    fact = serializers.CharField(
        help_text='the molecular fact behind the answer, e.g. "TP53 weight: 43.7 kg ← 43.7 kDa"'
    )
    grade = serializers.IntegerField(help_text="the grade recorded")
    next_due = serializers.DateTimeField(default_timezone=UTC)
    interval_days = serializers.FloatField()
    due = serializers.IntegerField(help_text="cards still due now")


class StudyInputSerializer(serializers.Serializer):
    cast = serializers.SlugField(max_length=80, required=False, help_text="a cast's slug")
    genes = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        allow_empty=False,
        max_length=MAX_STUDY_GENES,
        help_text=f"symbols, previous symbols or aliases (at most {MAX_STUDY_GENES})",
    )

    def validate(self, data):
        if ("cast" in data) == ("genes" in data):
            raise serializers.ValidationError('send either "cast" (a slug) or "genes" (a list of symbols)')
        return data


class StudyResultSerializer(serializers.Serializer):
    cards_added = serializers.IntegerField()
    due = serializers.IntegerField()
    new = serializers.IntegerField()
