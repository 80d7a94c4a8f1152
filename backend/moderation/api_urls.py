from django.urls import path

from . import apis

urlpatterns = [
    path("artist-optout/", apis.ArtistOptOutApi.as_view(), name="api-artist-optout"),
]
