from django.urls import path

from . import apis

urlpatterns = [
    path("casts/", apis.CastListApi.as_view(), name="api-casts"),
    path("casts/<slug:slug>/", apis.CastDetailApi.as_view(), name="api-cast"),
]
