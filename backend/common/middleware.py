"""Input refused before any view runs, and the API's errors always JSON.

``RequestHygieneMiddleware`` (right after Django's SecurityMiddleware):

- a NUL byte in the path or the query string is a 400: no gene, user or search has one, and
  PostgreSQL refuses it in a text parameter (a 500 from every view that looked a name up);
- a body declared larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (multipart uploads excepted: their
  files do not count) is a 413 before it is read; DRF's JSON parser reads the stream without that
  limit, and Django's own check answers 400 with an HTML page;
- under ``/api/``, an error response that is not JSON and not DRF's (an unknown path, Django's
  400/403/500 pages, in DEBUG too) becomes ``{"detail": …}`` with the same status and headers.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.html import escape
from rest_framework.response import Response

from .errors import body_too_large, is_api, json_error, reason

NUL = "\x00"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Cache-Control")


def error_page(request, status: int, detail: str) -> HttpResponse:
    """A short error answer: JSON under /api/, a plain page elsewhere."""
    if is_api(request):
        return json_error(status, detail)
    title = f"{status} {reason(status).capitalize()}"
    body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{escape(detail)}</p>"
    return HttpResponse(body, status=status)


def has_nul(request) -> bool:
    return NUL in request.path or NUL in unquote(request.META.get("QUERY_STRING", ""))


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    return declared_length(request) > limit


def as_json(request, response):
    """An API error response that is not JSON, as ``{"detail": …}`` (DRF's own answers are left to DRF:
    a browser asking for HTML gets the browsable API)."""
    if response.status_code < 400 or not is_api(request) or isinstance(response, Response):
        return response
    if "json" in response.get("Content-Type", ""):
        return response
    if response.status_code == 404:
        detail = f"not found: no API endpoint at {request.path} (the endpoints are listed at /api/schema/)"
    else:
        detail = reason(response.status_code)
    converted = json_error(response.status_code, detail)
    for header in KEPT_HEADERS:
        if header in response:
            converted[header] = response[header]
    for cookie in response.cookies.values():
        converted.cookies[cookie.key] = cookie
    return converted


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return error_page(request, 400, "bad request: a NUL character is not allowed in a URL")
        if too_large(request):
            return error_page(request, 413, body_too_large())
        return as_json(request, self.get_response(request))

    def process_exception(self, request, exception):
        # A view that read an over-limit body itself (request.body, request.POST): 413, not 400.
        if isinstance(exception, RequestDataTooBig):
            return error_page(request, 413, body_too_large())
        return None
