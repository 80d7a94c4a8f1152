from django.urls import path

from . import apis

urlpatterns = [
    path("lexicon/", apis.LexiconView.as_view(), name="lexicon"),
    path("lexicon/<str:lexicon_hash>.json", apis.lexicon_file, name="lexicon-file"),
]
