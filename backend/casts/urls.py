from django.urls import path

from . import views

urlpatterns = [
    path("", views.cast_list, name="cast-list"),
    path("new/", views.cast_new, name="cast-new"),
    path("<slug:slug>/", views.cast_detail, name="cast-detail"),
    path("<slug:slug>/edit/", views.cast_edit, name="cast-edit"),
]
