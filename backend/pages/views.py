"""Server-rendered pages about genes: home and archive, search, the gene page, the genome stats."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from rest_framework.exceptions import Throttled

from backend.accounts.selectors import recent_discoveries, shares_discoveries, top_discovered_genes, user_discoveries
from backend.common.ratelimit import check_rate
from backend.genes.models import Gene
from backend.genes.selectors import (
    find_typed_gene,
    gene_count,
    gene_table_status,
    genome_plot_path,
    genome_plots,
    suggest_genes,
)
from backend.learning import selectors as review_selectors, services as review_services
from backend.portraits.cards import trait_origins
from backend.portraits.first_look import first_portrait_on_demand
from backend.portraits.selectors import (
    candidates,
    canonical_portrait,
    canonical_portraits,
    procedural_emulsions,
    user_votes,
)
from backend.studio.selectors import user_requests

from .style_samples import stored_samples

ARCHIVE_PAGE_SIZE = 96
GENE_REQUESTS_SHOWN = 20
# Captions for the plots `iconoplasm traits build` writes, in the order the stats page shows them.
PLOT_CAPTIONS = {
    "weight": "Weight: protein mass in kDa read as kilograms.",
    "age": "Age: years since the gene was first described (2020 is zero), by where the year comes from.",
    "sex_ratio": "Sex: transmembrane proteins are male, soluble ones female.",
    "hue_by_letter": "Skin hue: one hue per first letter of the symbol.",
    "saturation": "Skin saturation: tissue specificity (tau).",
    "lightness": "Skin lightness: tolerance to loss of function (LOEUF).",
    "aesthetics_top40": "The forty most worn aesthetics (from Pfam clans).",
}


def _gallery(genes) -> list[dict]:
    """Each gene with its canonical portrait (None: the gallery shows its colour instead)."""
    thumbnails = canonical_portraits(gene.pk for gene in genes)
    return [{"gene": gene, "portrait": thumbnails.get(gene.pk)} for gene in genes]


@require_GET
def home(request):
    """Guests: what Iconoplasm is. Signed in: the archive of discovered genes. ``?view=others``: the finds of
    the users who share theirs (private by default; the settings page changes it)."""
    context = {"status": gene_table_status(), "total_display": f"{gene_count():,}"}
    if request.GET.get("view") == "others":
        # Each top gene carries ``discoverers``, the number of users who found it.
        context.update(
            view="others",
            recent=recent_discoveries(exclude_user=request.user),
            top=_gallery(list(top_discovered_genes())),
            shares=shares_discoveries(request.user),
        )
    elif request.user.is_authenticated:
        page = Paginator(user_discoveries(request.user), ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
        review_services.enrol_discoveries(request.user)  # "N new / M due" counts the genes found since
        context.update(
            view="mine",
            page=page,
            gallery=_gallery([d.gene for d in page]),
            found=f"{page.paginator.count:,}",
            review=review_selectors.due_counts(request.user),
        )
    else:
        context["view"] = "guest"
    return render(request, "home.html", context)


@require_GET
def search(request):
    """A symbol, previous symbol or alias (in any case) → its gene page; otherwise the genes it may mean
    (``suggest_genes``: publication spellings, symbol prefixes, words of gene names), 200; nothing: 404."""
    query = request.GET.get("q", "").strip()
    found = find_typed_gene(query)
    if found is not None:
        return redirect("gene-page", found[0].symbol)
    suggestions = suggest_genes(query) if query else []
    status = 404 if query and not suggestions else 200
    return render(request, "genes/search.html", {"query": query, "suggestions": suggestions}, status=status)


def render_gene_page(
    request, gene: Gene, *, status: int = 200, error: str = "", kept: dict | None = None, headers: dict | None = None
):
    """The gene page; page writes that fail render it again with ``error`` and the input they ``kept``."""
    portraits = list(candidates(gene).select_related("transferred_from__gene"))
    canonical = canonical_portrait(gene)
    votes = user_votes(request.user, portraits)
    context = {
        "gene": gene,
        "traits": trait_origins(gene),
        "canonical": canonical,
        "candidates": [
            {"portrait": p, "my_vote": votes.get(p.pk), "is_canonical": canonical is not None and p.pk == canonical.pk}
            for p in portraits
        ],
        # the request form's picker: styles the renderer draws, with thumbnails where already stored
        "emulsions": stored_samples(procedural_emulsions()),
        "page_error": error,
        "kept": kept or {},
    }
    if request.user.is_authenticated:
        context["my_requests"] = user_requests(request.user).filter(gene=gene)[:GENE_REQUESTS_SHOWN]
    response = render(request, "genes/gene.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def gene_url(gene: Gene, anchor: str = "") -> str:
    return reverse("gene-page", args=[gene.symbol]) + (f"#{anchor}" if anchor else "")


def sign_in_first(request, gene: Gene, action: str):
    """A signed-out page write: ask to sign in, then come back to the gene page."""
    messages.info(request, f"Please sign in to {action}.")
    return redirect_to_login(gene_url(gene))


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


def throttled_gene_page(request, gene: Gene, exc: Throttled, what: str, kept: dict | None = None):
    """429 with Retry-After: the gene page again, saying when ``what`` may be tried again."""
    wait = int(exc.wait or 1)
    error = f"Too many {what} for now: please try again in {wait_text(wait)}."
    return render_gene_page(request, gene, status=429, error=error, kept=kept, headers={"Retry-After": str(wait)})


def first_error(errors: dict) -> str:
    """The first message of a serializer's ``errors`` (page forms have one field each)."""
    problems = next(iter(errors.values()))
    return str(problems[0] if isinstance(problems, list) else problems)


def gene_page_write(request, gene: Gene, *, limit: str, what: str, action: str, serializer, kept: dict | None = None):
    """The checks every write from the gene page makes: signed in, under rate limit ``limit``, valid input.

    Returns ``(validated data, None)`` to go ahead, or ``(None, response)`` to answer with at once.
    """
    if not request.user.is_authenticated:
        return None, sign_in_first(request, gene, action)
    try:
        check_rate(limit, request)
    except Throttled as exc:
        return None, throttled_gene_page(request, gene, exc, what, kept)
    payload = serializer(data=request.POST)
    if not payload.is_valid():
        error = f"Could not {action}: {first_error(payload.errors)}"
        return None, render_gene_page(request, gene, status=400, error=error, kept=kept)
    return payload.validated_data, None


def gene_or_404(symbol: str) -> tuple[Gene, str]:
    """The gene a page URL names, and how it matched (in any case: ``find_typed_gene``); a 404 page otherwise."""
    found = find_typed_gene(symbol)
    if found is None:
        raise Http404(f"unknown gene {symbol}")
    return found


@require_GET
def gene_page(request, symbol: str):
    gene, _ = gene_or_404(symbol)
    if gene.symbol != symbol:
        return redirect("gene-page", gene.symbol)
    first_portrait_on_demand(gene.pk)  # a gene nobody has drawn yet gets its face now, not a coloured block
    return render_gene_page(request, gene)


@require_GET
def stats(request):
    built = genome_plots()
    ordered = [name for name in PLOT_CAPTIONS if name in built] + [name for name in built if name not in PLOT_CAPTIONS]
    plots = [{"name": name, "caption": PLOT_CAPTIONS.get(name, name.replace("_", " "))} for name in ordered]
    return render(request, "genes/stats.html", {"plots": plots, "total_display": f"{gene_count():,}"})


@require_GET
def genome_plot(request, name: str):
    """One plot PNG from the plots folder; any other name is a 404."""
    path = genome_plot_path(name)
    if path is None:
        raise Http404("no such plot")
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response
