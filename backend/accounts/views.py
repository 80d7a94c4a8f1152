"""Pages: sign-up and settings (sign-in and sign-out are Django's auth views, see urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import Throttled

from backend.common.ratelimit import check_rate, throttled_page
from backend.studio.keys import provider_key_delete, provider_key_get, provider_key_set
from backend.studio.models import ProviderKey
from backend.studio.serializers import ProviderKeyInput

from . import services
from .forms import SignupForm


def signup(request):
    """Create an account and sign in."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        try:
            check_rate("register", request)
        except Throttled as exc:
            return throttled_page(request, "accounts/signup.html", {"form": form}, exc)
        if form.is_valid():
            try:
                user = services.register_user(**form.cleaned_data)
            except ValidationError as exc:
                for name, problems in exc.message_dict.items():
                    for message in problems:
                        form.add_error(name if name in form.fields else None, message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def settings_page(request):
    """The user's provider key: shown as provider, model and fingerprint only; set, replace or delete it."""
    errors, kept = {}, {}
    if request.method == "POST":
        payload = ProviderKeyInput(data=request.POST)
        if payload.is_valid():
            key = provider_key_set(user=request.user, **payload.validated_data)
            messages.success(request, f"Provider key stored ({key.fingerprint}).")
            return redirect("accounts:settings")
        errors = {name: [str(message) for message in problems] for name, problems in payload.errors.items()}
        # The key itself is never written back into the page; provider and model are kept.
        kept = {"provider": request.POST.get("provider", ""), "model": request.POST.get("model", "")}
    context = {
        "key": provider_key_get(request.user),
        "providers": ProviderKey.PROVIDERS,
        "errors": errors,
        "kept": kept,
    }
    return render(request, "accounts/settings.html", context, status=400 if errors else 200)


@login_required
@require_POST
def provider_key_remove(request):
    if provider_key_delete(user=request.user):
        messages.success(request, "Provider key deleted.")
    else:
        messages.info(request, "There was no provider key to delete.")
    return redirect("accounts:settings")
