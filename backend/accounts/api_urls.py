from django.urls import path

from . import apis

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="api-register"),
    path("auth/token/", apis.TokenApi.as_view(), name="api-token"),
    path("me/discoveries/", apis.MyDiscoveriesApi.as_view(), name="api-my-discoveries"),
    path("me/preferences/", apis.MyPreferencesApi.as_view(), name="api-my-preferences"),
    path("discoveries/", apis.PublicDiscoveriesApi.as_view(), name="api-discoveries"),
]
