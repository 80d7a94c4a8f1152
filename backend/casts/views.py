"""Cast pages: browse, one cast's line-up, compose and edit (writes go through services)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.exceptions import Throttled

from backend.common.ratelimit import check_rate, throttled_page

from . import selectors, services
from .forms import CastForm


def cast_or_404(slug: str, user):
    cast = selectors.visible_cast(slug, user)
    if cast is None:
        raise Http404(f"No cast at /casts/{slug}/")
    return cast


@require_GET
def cast_list(request):
    """Built-in casts first, then the user's own, then those others share."""
    context = {
        "builtin": selectors.cast_previews(selectors.with_gene_counts(selectors.builtin_casts())),
        "own": selectors.cast_previews(selectors.with_gene_counts(selectors.own_casts(request.user))),
        "shared": selectors.cast_previews(selectors.with_gene_counts(selectors.shared_casts(request.user))),
    }
    return render(request, "casts/list.html", context)


@require_GET
def cast_detail(request, slug: str):
    cast = cast_or_404(slug, request.user)
    context = {
        "cast": cast,
        "lineup": selectors.cast_lineup(cast),
        "can_edit": services.can_edit(cast, request.user),
        "share_url": request.build_absolute_uri(request.path),
    }
    return render(request, "casts/detail.html", context)


def _saved_or_form(request, form: CastForm, save, template_context: dict):
    """Rate limit, validate, save; the form again with every problem (and what was typed) when any."""
    template = "casts/compose.html"
    context = {**template_context, "form": form}
    try:
        check_rate("cast", request)
    except Throttled as exc:
        return throttled_page(request, template, context, exc)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cast = save(
                title=data["title"], description=data["description"], public=data["public"], sides=data["sides"]
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return redirect("cast-detail", cast.slug)
    return render(request, template, context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def cast_new(request):
    if request.method != "POST":
        return render(request, "casts/compose.html", {"form": CastForm()})

    def save(**fields):
        return services.create_cast(request.user, **fields)

    return _saved_or_form(request, CastForm(request.POST), save, {})


@login_required
@require_http_methods(["GET", "POST"])
def cast_edit(request, slug: str):
    cast = cast_or_404(slug, request.user)
    if not services.can_edit(cast, request.user):
        raise PermissionDenied("Only the cast's owner can edit it.")
    if request.method != "POST":
        return render(request, "casts/compose.html", {"form": CastForm.for_cast(cast), "cast": cast})

    def save(**fields):
        return services.update_cast(cast, request.user, **fields)

    return _saved_or_form(request, CastForm(request.POST), save, {"cast": cast})
