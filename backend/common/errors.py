"""Every API error as JSON with a human-readable ``detail``, and the error responses in the schema.

- ``json_exception_handler``: DRF's errors, always a ``{"detail": …}`` object (or field errors).
- ``ErrorsAutoSchema``: every operation in ``/api/schema/`` lists the errors it can answer with,
  derived from the view (body → 400/413, path parameter → 404, authentication → 401, POST → 429),
  so no endpoint repeats them; an endpoint's own ``extend_schema(responses=…)`` wins.
- ``bad_request``: Django's 400 handler; an over-limit body is a 413 (JSON under ``/api/``).

``backend.common.middleware`` answers the errors Django raises outside the API views in the same shape;
``backend.common.parsers`` makes JSON nested too deeply a 400 (not a RecursionError).
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import exception_handler

API_PREFIX = "/api/"
# Paths that answer as the API does (token or session, JSON errors) outside /api/: the Anki deck downloads.
API_PREFIXES = (API_PREFIX, "/decks/")


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIXES)


def json_error(status: int, detail: str, **headers: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, headers=headers or None)


def body_too_large() -> str:
    return f"request body too large: the limit is {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes"


def json_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None and not isinstance(response.data, dict):
        response.data = {"detail": response.data}
    return response


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """Django's 400 view (DEBUG off), but a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413, and /api/ is JSON."""
    if isinstance(exception, RequestDataTooBig):
        if is_api(request):
            return json_error(413, body_too_large())
        response = defaults.bad_request(request, exception, template_name)
        response.status_code = 413
        return response
    if is_api(request):
        return json_error(400, "bad request")
    return defaults.bad_request(request, exception, template_name)


# ---------------------------------------------------------------- the schema


class ErrorSerializer(serializers.Serializer):
    """Every API error: a human-readable ``detail`` (validation errors name the fields instead)."""

    detail = serializers.CharField()


ERROR_DESCRIPTIONS = {
    400: "Invalid input: `detail`, or one list of messages per field",
    401: "Not signed in: send `Authorization: Token <key>` (see `WWW-Authenticate`) or a session cookie",
    403: "Signed in, but not allowed (or a session request without its CSRF token)",
    404: "No such object (the `detail` names it)",
    413: "Request body over the upload limit",
    429: "Rate-limited: try again after `Retry-After` seconds",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}
# A 400 is either ``{"detail": "…"}`` or DRF's field errors: a list of messages per field (an object of
# such lists for list and nested fields).
MESSAGES = {"type": "array", "items": {"type": "string"}}
INVALID_INPUT_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"oneOf": [MESSAGES, {"type": "object", "additionalProperties": MESSAGES}]},
}


def error_response(status: int | None = None, description: str = "") -> OpenApiResponse:
    """The schema of an error answer, for ``extend_schema(responses={404: error_response(404, "…")})``."""
    default = ERROR_DESCRIPTIONS.get(status, "JSON error with a human-readable `detail`")
    body = INVALID_INPUT_SCHEMA if status == 400 else ErrorSerializer
    return OpenApiResponse(body, description=description or default)


class ErrorsAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error responses each operation can give added (DRY: one place)."""

    def error_codes(self) -> list[int]:
        codes = []
        if self.method in BODY_METHODS:
            codes += [400, 413]
        if any(isinstance(permission, IsAuthenticated) for permission in self.view.get_permissions()):
            codes.append(401)
        if "{" in self.path:
            codes.append(404)
        if self.method == "POST":  # every rate-limited write is a POST
            codes.append(429)
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(error_response(code), str(code))
        return dict(sorted(responses.items()))


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"
