from django.urls import path

from . import api

urlpatterns = [
    path("genes/batch/", api.GeneBatchView.as_view(), name="gene-batch"),
    path("genes/<str:symbol>/", api.GeneCardView.as_view(), name="gene-card"),
    path("lexicon/", api.LexiconView.as_view(), name="lexicon"),
    path("lexicon/<str:lexicon_hash>.json", api.lexicon_file, name="lexicon-file"),
]
