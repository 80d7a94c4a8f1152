"""Pages: sign-in (Django's, with failed attempts limited), sign-up and settings (sign-out is Django's, see urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import Throttled

from backend.common.ratelimit import SignInUnavailable, check_rate, sign_in_attempt, throttled_page
from backend.studio.keys import provider_key_delete, provider_key_get, provider_key_set
from backend.studio.models import ProviderKey
from backend.studio.serializers import ProviderKeyInput

from . import services
from .forms import SignupForm
from .models import Preferences


class SignInView(auth_views.LoginView):
    """Django's sign-in page; failed attempts are limited per username and per address (429, form shown again)."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        try:
            attempt = sign_in_attempt(request, username)
        except Throttled as exc:
            minutes = max(1, round(int(exc.wait or 1) / 60))
            if isinstance(exc, SignInUnavailable):
                messages.error(request, "Signing in is briefly unavailable; please try again in a minute.")
            else:
                messages.error(
                    request,
                    f"Too many failed sign-ins for this account or from this address; try again in about {minutes} "
                    f"minute{'s' if minutes != 1 else ''}.",
                )
            form = self.get_form_class()(request, initial={"username": username[:150]})
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(int(exc.wait or 1))
            return response
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            attempt.succeeded()
        return response


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
    """The user's settings: whether their discoveries are shared (``form=sharing``), and their provider key
    (shown as provider, model and fingerprint only; set, replace or delete it)."""
    errors, kept = {}, {}
    if request.method == "POST" and request.POST.get("form") == "sharing":
        share = request.POST.get("share_discoveries") == "on"
        Preferences.set_for(request.user, share_discoveries=share)
        messages.success(
            request,
            "Your discoveries are now shared in others' discoveries." if share else "Your discoveries are now private.",
        )
        return redirect("accounts:settings")
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
        "preferences": Preferences.of(request.user),
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
