"""Account pages, mounted under /accounts/ (LOGIN_URL is /accounts/login/; sign-in is limited, views.SignInView)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/provider-key/delete/", views.provider_key_remove, name="provider-key-delete"),
]
