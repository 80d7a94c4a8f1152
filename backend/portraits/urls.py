"""Page routes of the portraits app; included at the site root (``path("", include("backend.portraits.urls"))``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("genes/<str:symbol>/print.png", views.print_copy, name="gene-print"),
    path("portraits/<int:pk>/vote/", views.vote, name="portrait-vote"),
    path("portraits/<int:pk>/transfer/", views.transfer, name="portrait-transfer"),
]
