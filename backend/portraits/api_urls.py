from django.urls import path

from .api import GeneCandidatesApi, PortraitTransferApi, PortraitVoteApi

urlpatterns = [
    path("genes/<str:symbol>/candidates/", GeneCandidatesApi.as_view(), name="api-gene-candidates"),
    path("portraits/<int:pk>/vote/", PortraitVoteApi.as_view(), name="api-portrait-vote"),
    path("portraits/<int:pk>/transfer/", PortraitTransferApi.as_view(), name="api-portrait-transfer"),
]
