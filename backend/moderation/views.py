"""The artist opt-out page."""

from __future__ import annotations

from django.shortcuts import render
from rest_framework.exceptions import Throttled

from backend.common.ratelimit import check_rate, throttled_page

from . import services
from .forms import ArtistOptOutForm


def artist_optout(request):
    form = ArtistOptOutForm(request.POST or None)
    if request.method == "POST":
        try:
            check_rate("optout", request)
        except Throttled as exc:
            return throttled_page(request, "moderation/artist_optout.html", {"form": form}, exc)
        if form.is_valid():
            services.submit_optout(**form.cleaned_data)
            return render(request, "moderation/artist_optout.html", {"sent": True}, status=201)
    return render(request, "moderation/artist_optout.html", {"form": form}, status=400 if form.errors else 200)
