"""Anki deck downloads, mounted under /decks/."""

from django.urls import path

from . import deck_views

urlpatterns = [
    path("mine.apkg", deck_views.MyDeckView.as_view(), name="deck-mine"),
    path("genes.apkg", deck_views.GeneSetDeckView.as_view(), name="deck-genes"),
    path("casts/<slug:slug>.apkg", deck_views.CastDeckView.as_view(), name="deck-cast"),
]
