"""The style gallery: the reference gene in every emulsion the site's renderer offers."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .style_samples import REFERENCE_GENE, ensure_samples, reference_gene


@require_GET
def style_gallery(request):
    """Every procedurally offered emulsion's sample; missing samples are rendered once and stored."""
    gene = reference_gene()
    context = {"samples": ensure_samples(gene), "gene": gene, "reference_symbol": REFERENCE_GENE}
    return render(request, "styles.html", context)
