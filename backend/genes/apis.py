"""Gene API: the lexicon, and the lookup every API view uses for a gene named in a request."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from .lexicon import current_lexicon
from .models import Gene
from .selectors import find_gene


def unknown_gene(symbol: str) -> NotFound:
    return NotFound(f"unknown gene: {symbol!r} is not an approved symbol, previous symbol or unambiguous alias")


def gene_or_404(symbol: str) -> tuple[Gene, str]:
    """The gene a name in a URL or a request body means, and how it matched; a JSON 404 otherwise."""
    found = find_gene(symbol)
    if found is None:
        raise unknown_gene(symbol)
    return found


class LexiconView(APIView):
    @extend_schema(summary="The current lexicon's hash and URL", responses={200: dict})
    def get(self, request):
        lexicon = current_lexicon()
        url = request.build_absolute_uri(reverse("lexicon-file", args=[lexicon.hash]))
        return Response(
            {"hash": lexicon.hash, "url": url, "genes": lexicon.genes}, headers={"Cache-Control": "no-cache"}
        )


def lexicon_file(request, lexicon_hash: str):
    """The lexicon bytes under their hash: immutable, cacheable forever."""
    lexicon = current_lexicon()
    if lexicon_hash != lexicon.hash:
        return JsonResponse({"detail": f"no lexicon {lexicon_hash}; GET /api/lexicon/ for the current one"}, status=404)
    response = HttpResponse(lexicon.body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = f'"{lexicon.hash}"'
    return response
