"""The review API, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("review/summary/", apis.ReviewSummaryApi.as_view(), name="api-review-summary"),
    path("review/next/", apis.ReviewNextApi.as_view(), name="api-review-next"),
    path("review/answers/", apis.ReviewAnswerApi.as_view(), name="api-review-answers"),
    path("review/study/", apis.ReviewStudyApi.as_view(), name="api-review-study"),
]
