"""Pages (not API) about generation requests: the request form on the gene page posts here."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from rest_framework.exceptions import Throttled

from backend.common.ratelimit import check_rate
from backend.genes.views import first_error, gene_or_404, gene_url, render_gene_page, sign_in_first, throttled_gene_page

from .selectors import usable_emulsion
from .serializers import RequestCreateInput
from .services import request_create


@require_POST
def gene_request(request, symbol: str):
    """Queue a new portrait of the gene in the chosen emulsion; problems re-show the page with the choice kept."""
    gene = gene_or_404(symbol)
    if not request.user.is_authenticated:
        return sign_in_first(request, gene, "request portraits")
    kept = {"emulsion_id": request.POST.get("emulsion_id", "")}
    try:
        check_rate("request", request)
    except Throttled as exc:
        return throttled_gene_page(request, gene, exc, "portrait requests", kept)
    payload = RequestCreateInput(data=request.POST)
    if not payload.is_valid():
        return render_gene_page(request, gene, status=400, error=f"Could not queue the request: {first_error(payload.errors)}", kept=kept)
    emulsion = usable_emulsion(payload.validated_data["emulsion_id"])
    if emulsion is None:
        error = "Could not queue the request: that emulsion is unknown or was withdrawn; please pick another."
        return render_gene_page(request, gene, status=400, error=error, kept=kept)
    queued = request_create(user=request.user, gene=gene, emulsion=emulsion)
    messages.success(request, f"Request #{queued.pk} queued: {gene.symbol} in {emulsion.name}.")
    return redirect(gene_url(gene, "request"))
