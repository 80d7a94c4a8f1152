"""What the gene page's forms post to (votes, transfers, portrait requests), and the print copy download."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from backend.genes.selectors import find_typed_gene
from backend.portraits import selectors, services
from backend.portraits.models import Portrait
from backend.portraits.serializers import TransferInputSerializer, VoteInputSerializer
from backend.studio.copies import SameGeneError, print_copy as draw_print_copy, transfer_portrait
from backend.studio.serializers import RequestCreateInput
from backend.studio.services import request_create

from .views import gene_or_404, gene_page_write, gene_url, render_gene_page

VOTE_DONE = {
    1: "You voted +1 on candidate #{pk}.",
    -1: "You voted −1 on candidate #{pk}.",
    0: "Your vote on candidate #{pk} is cleared.",
}


def public_portrait_or_404(pk: int) -> Portrait:
    portrait = selectors.public_portrait(pk)
    if portrait is None:
        raise Http404(f"no portrait #{pk}")
    return portrait


@require_POST
def vote(request, pk: int):
    portrait = public_portrait_or_404(pk)
    data, refused = gene_page_write(
        request, portrait.gene, limit="vote", what="votes", action="vote", serializer=VoteInputSerializer
    )
    if refused:
        return refused
    value = int(data["value"])
    try:
        services.vote(request.user, portrait.pk, value)
    except Portrait.DoesNotExist:  # hidden by moderation since the page was read
        raise Http404(f"no portrait #{pk}") from None
    messages.success(request, VOTE_DONE[value].format(pk=pk))
    return redirect(gene_url(portrait.gene, f"candidate-{pk}"))


@require_POST
def transfer(request, pk: int):
    """Copy a candidate to the gene named in ``to``; problems re-show the page with the typed name kept."""
    portrait = public_portrait_or_404(pk)
    gene = portrait.gene
    kept = {"transfer_portrait": pk, "transfer_to": request.POST.get("to", "")}
    data, refused = gene_page_write(
        request,
        gene,
        limit="transfer",
        what="transfers",
        action="copy the portrait",
        serializer=TransferInputSerializer,
        kept=kept,
    )
    if refused:
        return refused
    found = find_typed_gene(data["to"])
    if found is None:
        error = f"Could not copy the portrait: no gene is called “{data['to']}”."
        return render_gene_page(request, gene, status=400, error=error, kept=kept)
    target = found[0]
    try:
        new, created = transfer_portrait(portrait, target, request.user)
    except SameGeneError:
        error = f"Could not copy the portrait: candidate #{pk} already belongs to {gene.symbol}; name another gene."
        return render_gene_page(request, gene, status=400, error=error, kept=kept)
    if created:
        messages.success(request, f"Copied candidate #{pk} of {gene.symbol} to {target.symbol} as candidate #{new.pk}.")
    else:
        messages.info(request, f"{target.symbol} already has this image, as candidate #{new.pk}.")
    return redirect(gene_url(target, f"candidate-{new.pk}"))


@require_GET
def print_copy(request, symbol: str):
    """The 1536×2048 PNG print copy of the gene's canonical portrait (or of ``?portrait=ID``, one of its candidates)."""
    gene, matched_by = gene_or_404(symbol)
    if matched_by != "symbol":
        return redirect("gene-print", gene.symbol)
    wanted = request.GET.get("portrait")
    if wanted:
        if not (wanted.isascii() and wanted.isdigit()):  # isdigit() alone accepts "²", which int() refuses
            raise Http404("no such portrait")
        portrait = selectors.candidates(gene).filter(pk=int(wanted)).select_related("gene").first()
    else:
        portrait = selectors.canonical_portrait(gene)
    if portrait is None:
        raise Http404(f"{gene.symbol} has no portrait yet")
    response = HttpResponse(draw_print_copy(portrait), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{gene.symbol}-print.png"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_POST
def gene_request(request, symbol: str):
    """Queue a new portrait of the gene in the chosen emulsion; problems re-show the page with the choice kept."""
    gene, _ = gene_or_404(symbol)
    kept = {"emulsion_id": request.POST.get("emulsion_id", "")}
    data, refused = gene_page_write(
        request,
        gene,
        limit="request",
        what="portrait requests",
        action="request a portrait",
        serializer=RequestCreateInput,
        kept=kept,
    )
    if refused:
        return refused
    # requests are drawn by the procedural renderer: it never pretends to draw a diffusion-only style
    emulsion = selectors.usable_emulsion(data["emulsion_id"], procedural=True)
    if emulsion is None:
        error = (
            "Could not request a portrait: that emulsion is unknown or was withdrawn, or needs a diffusion model;"
            " please pick another."
        )
        return render_gene_page(request, gene, status=400, error=error, kept=kept)
    queued = request_create(user=request.user, gene=gene, emulsion=emulsion)
    messages.success(request, f"Request #{queued.pk} queued: {gene.symbol} in {emulsion.name}.")
    return redirect(gene_url(gene, "request"))
