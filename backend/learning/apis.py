"""The review JSON API (token or session): today's summary, the next questions, answers, studying genes or a cast.

Thin: enrolment and answers are in services, counts and the due list in selectors, the questions in
questions. Every read first enrols the user's new discoveries (see services). The usual error
responses in the schema come from ``backend.common.errors.ErrorsAutoSchema``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.casts.selectors import visible_cast
from backend.common.errors import error_response
from backend.common.ratelimit import check_rate

from . import selectors, services
from .questions import build_question
from .serializers import (
    AnswerInputSerializer,
    AnswerResultSerializer,
    NextQuerySerializer,
    NextSerializer,
    StudyInputSerializer,
    StudyResultSerializer,
    SummarySerializer,
)

ALREADY_ANSWERED = "this question was already answered"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = ALREADY_ANSWERED
    default_code = "already_answered"


def rejected(message: str) -> ValidationError:
    return ValidationError({"detail": message})


class ReviewSummaryApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Today's review: cards due (new ones included), new cards left today, answers today, streak, retention",
        responses=SummarySerializer,
    )
    def get(self, request):
        services.enrol_discoveries(request.user)
        return Response(SummarySerializer(selectors.summary(request.user)).data)


class ReviewNextApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The next questions to review (due cards first, then today's new ones), each with its showing token",
        parameters=[NextQuerySerializer],
        responses={200: NextSerializer, 400: error_response(400, "`limit` is not a whole number from 1 to 20")},
    )
    def get(self, request):
        query = NextQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        services.enrol_discoveries(user)
        cards = selectors.due_cards(user, limit=query.validated_data["limit"])
        questions = [question for question in map(build_question, cards) if question is not None]
        counts = selectors.due_counts(user)
        data = {"due": counts.due, "new": counts.new, "items": questions}
        return Response(NextSerializer(data, context={"request": request}).data)


class ReviewAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Answer a question: the choice is checked against its showing; a wrong choice is graded 1 (Again)",
        request=AnswerInputSerializer,
        responses={
            200: AnswerResultSerializer,
            409: error_response(409, f"`{ALREADY_ANSWERED}`: this showing was answered before (one review is kept)"),
        },
    )
    def post(self, request):
        check_rate("review", request)
        payload = AnswerInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        given = payload.validated_data
        try:
            result = services.answer(
                request.user,
                card_id=given["card"],
                showing=given["showing"],
                choice=given["choice"],
                grade=given["grade"],
                elapsed_ms=given.get("elapsed_ms"),
            )
        except services.AnswerRejected as exc:
            raise rejected(str(exc)) from None
        except services.AlreadyAnswered:
            raise Conflict() from None
        data = {
            "correct": result.correct,
            "answer": {"id": result.answer_id, "label": result.answer_label},
            "fact": result.fact,
            "grade": result.grade,
            "next_due": result.schedule.due,
            "interval_days": result.interval_days,
            "due": selectors.due_counts(request.user).due,
        }
        return Response(AnswerResultSerializer(data).data)


class ReviewStudyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary='Add genes to review: {"cast": slug} (every gene of the cast) or {"genes": [symbols]} (at most 500)',
        request=StudyInputSerializer,
        responses=StudyResultSerializer,
    )
    def post(self, request):
        check_rate("study", request)
        payload = StudyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        given = payload.validated_data
        if "cast" in given:
            cast = visible_cast(given["cast"], request.user)
            if cast is None:
                raise rejected(f"unknown cast: {given['cast']!r}")
            added = services.study_cast(request.user, cast)
        else:
            try:
                added = services.study_genes(request.user, given["genes"])
            except services.UnknownGenes as exc:
                raise rejected(f"{exc}: nothing was added") from None
        counts = selectors.due_counts(request.user)
        return Response(StudyResultSerializer({"cards_added": added, "due": counts.due, "new": counts.new}).data)
