"""Pages: sign-up (sign-in and sign-out are Django's auth views, see urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from rest_framework.exceptions import Throttled

from backend.common.ratelimit import check_rate

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
            response = render(request, "accounts/signup.html", {"form": form, "throttled": True}, status=429)
            response["Retry-After"] = str(int(exc.wait or 1))
            return response
        if form.is_valid():
            try:
                user = services.register_user(**form.cleaned_data)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(name if name in form.fields else None, message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)
