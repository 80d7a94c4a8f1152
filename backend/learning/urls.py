"""The review pages, mounted under /review/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.review_page, name="review"),
    path("stats/", views.review_stats, name="review-stats"),
    path("stats/plot.svg", views.review_plot, name="review-plot"),
    path("casts/<slug:slug>/study/", views.cast_study, name="cast-study"),
]
