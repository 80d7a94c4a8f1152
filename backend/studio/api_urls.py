from django.urls import path

from . import apis

urlpatterns = [
    path("genes/<str:symbol>/requests/", apis.GeneRequestCreateApi.as_view(), name="gene-request-create"),
    path("requests/", apis.MyRequestsApi.as_view(), name="my-requests"),
    path("requests/<int:pk>/", apis.MyRequestApi.as_view(), name="my-request"),
    path("me/provider-key/", apis.ProviderKeyApi.as_view(), name="provider-key"),
    path("genes/<str:symbol>/byok-generate/", apis.ByokGenerateApi.as_view(), name="gene-byok-generate"),
    path("portraits/<int:pk>/transfer/", apis.PortraitTransferApi.as_view(), name="api-portrait-transfer"),
]
