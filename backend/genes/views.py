"""Server-rendered pages about genes."""

from django.http import Http404
from django.shortcuts import redirect, render

from backend.portraits.selectors import candidates

from .cards import trait_origins
from .selectors import find_gene, gene_table_status


def home(request):
    return render(request, "home.html", {"status": gene_table_status()})


def gene_page(request, symbol: str):
    found = find_gene(symbol)
    if found is None:
        raise Http404(f"unknown gene {symbol}")
    gene, matched_by = found
    if matched_by != "symbol":
        return redirect("gene-page", gene.symbol)
    portraits = list(candidates(gene))
    return render(
        request, "genes/gene.html",
        {"gene": gene, "traits": trait_origins(gene), "candidates": portraits, "canonical": getattr(getattr(gene, "canonical", None), "portrait", None)},
    )
