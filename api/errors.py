"""One shape for every error the API answers, and the workflow's refusals
as HTTP statuses.

Every error body is ``{"code": …, "detail": …}``, with ``errors`` (field →
[{code, message}]) when there are several, and ``current_version`` on a
conflict. ``code`` is the workflow's own code for a refused step (the one
its tests match on), a form's (``invalid_choice``, ``search_too_long``) or
DRF's (``not_found``, ``not_authenticated``, ``throttled``…).

A refused step:

- **409** ``stale``: the claim changed since the version the client sent;
  the body carries ``current_version`` (nothing was written).
- **403**: the user's role does not allow it, though someone else's would:
  ``not_reviewer``, ``not_editor``, ``four_eyes`` (an editor may not approve
  the verdict they proposed: another editor may), ``published`` (what a
  published verdict rates is changed by editors only). ``ROLE_CODES``.
- **422**: the step does not apply to the claim as it is, or the input is
  refused: every other code (``bad_transition``, ``evidence_required``,
  ``note_required``, ``already_approved``, ``no_change``, ``bad_url``, a
  form's ``required`` or ``invalid_choice``…).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

ROLE_CODES = frozenset({"not_reviewer", "not_editor", "four_eyes", "published"})
UNPROCESSABLE = 422


def status_for(code: str | None) -> int:
    """The HTTP status of a refusal with the workflow's ``code``."""
    if code == "stale":
        return status.HTTP_409_CONFLICT
    if code in ROLE_CODES:
        return status.HTTP_403_FORBIDDEN
    return UNPROCESSABLE


def _items(error: DjangoValidationError) -> list[dict[str, str]]:
    """Each message of ``error`` with its code (a dict of them flattened)."""
    lists = (
        error.error_dict.values()
        if hasattr(error, "error_dict")
        else [error.error_list]
    )
    return [
        {"code": item.code or "invalid", "message": " ".join(item.messages)}
        for errors in lists
        for item in errors
    ]


def refusal_body(error: DjangoValidationError, **extra: Any) -> dict[str, Any]:
    """``{"code", "detail", …}`` of a workflow refusal."""
    first = _items(error)[0]
    return {"code": first["code"], "detail": first["message"], **extra}


def refusal_response(error: DjangoValidationError, **extra: Any) -> Response:
    body = refusal_body(error, **extra)
    return Response(body, status=status_for(body["code"]))


def form_errors_response(form) -> Response:
    """A step form that refused its input: 422, every field's errors, the
    first one as ``code`` and ``detail`` (prefixed with its field's name)."""
    errors = {
        field: [
            {"code": error.code or "invalid", "message": " ".join(error.messages)}
            for error in error_list.as_data()
        ]
        for field, error_list in form.errors.items()
    }
    field, items = next(iter(errors.items()))
    where = "" if field == "__all__" else f"{field}: "
    return Response(
        {
            "code": items[0]["code"],
            "detail": where + items[0]["message"],
            "errors": errors,
        },
        status=UNPROCESSABLE,
    )


def _flatten(detail: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(field, ErrorDetail) pairs of a DRF error detail, nested or not."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            pairs.extend(_flatten(value, name))
        return pairs
    if isinstance(detail, list):
        return [pair for item in detail for pair in _flatten(item, prefix)]
    return [(prefix, detail)]


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with every body in the API's one shape."""
    if isinstance(exc, DjangoValidationError):
        return refusal_response(exc)
    if isinstance(exc, RequestDataTooBig):
        # Django's bound on a form post (DATA_UPLOAD_MAX_MEMORY_SIZE), which
        # DRF's JSON parser meets when it reads the body.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {
                "code": "too_large",
                "detail": f"The body is larger than {limit:,} bytes; no step "
                "needs that much. Send less (a shorter excerpt or note).",
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(
            "No claim, episode or person here, or not one you may see."
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        pairs = _flatten(exc.detail)
        field, first = pairs[0]
        errors: dict[str, list] = {}
        for name, detail in pairs:
            errors.setdefault(name or "__all__", []).append(
                {"code": getattr(detail, "code", "invalid"), "message": str(detail)}
            )
        where = f"{field}: " if field and field != "non_field_errors" else ""
        response.data = {
            "code": getattr(first, "code", None) or "invalid",
            "detail": f"{where}{first}",
            "errors": errors,
        }
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"code": code, "detail": str(detail)}
    return response
