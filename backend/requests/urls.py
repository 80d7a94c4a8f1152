"""Page routes of the requests app; included at the site root."""

from django.urls import path

from . import views

urlpatterns = [
    path("genes/<str:symbol>/request/", views.gene_request, name="gene-request"),
]
