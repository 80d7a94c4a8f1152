from django.urls import path

from . import apis

urlpatterns = [
    path("genes/batch/", apis.GeneBatchView.as_view(), name="gene-batch"),
    path("genes/<str:symbol>/", apis.GeneCardView.as_view(), name="gene-card"),
    path("genes/<str:symbol>/candidates/", apis.GeneCandidatesApi.as_view(), name="api-gene-candidates"),
    path("portraits/<int:pk>/vote/", apis.PortraitVoteApi.as_view(), name="api-portrait-vote"),
    path("emulsions/", apis.EmulsionListApi.as_view(), name="api-emulsions"),
]
