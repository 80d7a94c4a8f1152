"""Moderation pages, mounted at the site root."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("artist-optout/", views.artist_optout, name="artist-optout"),
]
