"""Request checks that hold for every page, the admin and the API."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from claimdesk.limits import PARAMETER_MAX_CHARS

# Form fields that hold writing (a quote, a note, a source): their own
# forms and models bound them.
LONG_FIELDS = frozenset(
    {"text", "quote", "note", "body", "excerpt", "source_text", "rationale"}
)


# The surfaces whose views take parameters straight into queries (Django's
# admin filters and lookups). The pages validate every parameter in their
# own forms and answer with form errors.
GUARDED_PREFIXES = ("/admin/", "/api/")


class BoundedParametersMiddleware:
    """Refuse, with a 400 that says what to fix, a parameter PostgreSQL
    cannot take (a NUL character) or no person types (thousands of
    characters), before any admin view builds a query from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        guarded = request.path_info.startswith(GUARDED_PREFIXES)
        try:
            problem = self._problem(request, guarded=guarded)
        except TooManyFieldsSent:
            # Raised by Django when the query or form is parsed; left to the
            # view, it was Django's bare 400 on the pages and the API alike
            # (and, with DEBUG on, a debug page that took 12 s to render).
            problem = (
                "The address or form has more than "
                f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} parameters."
            )
        if problem:
            message = (
                f"{problem} Nothing was changed; correct the address or the "
                "form and try again."
            )
            if request.path_info.startswith("/api/"):
                # The API's one error shape (api/errors.py).
                return JsonResponse(
                    {"code": "bad_parameter", "detail": message}, status=400
                )
            # A page, for the person who followed or typed the address: the
            # message and a way back (the path without its parameters).
            return render(
                request,
                "400.html",
                # A NUL in a parameter's name is shown as U+FFFD, as HTML has it.
                {"message": message.replace("\x00", "\ufffd"), "back": request.path},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _problem(request: HttpRequest, *, guarded: bool) -> str | None:
        if not guarded:
            request.GET  # noqa: B018 (parsed here, so a flood of fields is refused here)
            return None
        params = [("query", request.GET)]
        if request.method == "POST" and not request.content_type.startswith(
            "multipart/"
        ):
            params.append(("form", request.POST))
        for where, values in params:
            for name, value in values.lists():
                for item in [name, *value]:
                    if "\x00" in item:
                        return (
                            f"The {where} parameter “{name[:40]}” holds a NUL "
                            "character."
                        )
                # The admin's date drill-down (date_hierarchy) turns these
                # into a date, and a year past 9999 is an OverflowError there;
                # as a lookup (created_at__year=0), year 0 a ValueError when
                # the query is run.
                if name.endswith(("__year", "__month", "__day")) and not all(
                    item.isascii() and item.isdigit() and 1 <= int(item) <= 9999
                    for item in value
                ):
                    return (
                        f"The {where} parameter “{name[:40]}” is not a year, "
                        "month or day."
                    )
                # Inline forms prefix their fields ("notes-0-body").
                if name.rsplit("-", 1)[-1] not in LONG_FIELDS and any(
                    len(item) > PARAMETER_MAX_CHARS for item in value
                ):
                    return (
                        f"The {where} parameter “{name[:40]}” is longer than "
                        f"{PARAMETER_MAX_CHARS:,} characters."
                    )
        return None
