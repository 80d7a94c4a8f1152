"""Pages (not API) about generation requests: the request form on the gene page posts here."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from backend.genes.views import gene_or_404, gene_page_write, gene_url, render_gene_page

from .selectors import usable_emulsion
from .serializers import RequestCreateInput
from .services import request_create


@require_POST
def gene_request(request, symbol: str):
    """Queue a new portrait of the gene in the chosen emulsion; problems re-show the page with the choice kept."""
    gene = gene_or_404(symbol)
    kept = {"emulsion_id": request.POST.get("emulsion_id", "")}
    data, refused = gene_page_write(
        request, gene, limit="request", what="portrait requests", action="request a portrait", serializer=RequestCreateInput, kept=kept,
    )
    if refused:
        return refused
    emulsion = usable_emulsion(data["emulsion_id"])
    if emulsion is None:
        error = "Could not request a portrait: that emulsion is unknown or was withdrawn; please pick another."
        return render_gene_page(request, gene, status=400, error=error, kept=kept)
    queued = request_create(user=request.user, gene=gene, emulsion=emulsion)
    messages.success(request, f"Request #{queued.pk} queued: {gene.symbol} in {emulsion.name}.")
    return redirect(gene_url(gene, "request"))
