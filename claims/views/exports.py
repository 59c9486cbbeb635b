"""The claim list's downloads: ``/claims/export.csv`` and ``.json``.

The same query as the list page (``claim_filterset`` over
``Claim.objects.visible_to``), so a download holds what the visitor sees on
the list, every page of it: published verdicts only for anonymous readers,
everything for reviewers and editors. The body is the export contract
(``claims.export``), streamed a chunk of claims at a time; for readers, with
what the pages and the API do not show them null (``for_readers``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse

from claimdesk.methods import read_only
from claimdesk.roles import is_reviewer
from claims.export import for_readers, streaming_response
from claims.filters import claim_filterset, unknown_parameters
from claims.models import Claim


@read_only
def claim_export(request: HttpRequest, fmt: str) -> HttpResponse:
    visible = Claim.objects.visible_to(request.user)
    reviewer = is_reviewer(request.user)
    filterset = claim_filterset(request.GET, visible, public=not reviewer)
    unknown = unknown_parameters(request.GET, filterset)
    if unknown or not filterset.is_valid():
        problems = "\n".join(
            [
                *(
                    f"- {name}: the claim list has no such filter."
                    for name in unknown[:5]
                ),
                *(
                    f"- {name}: {' '.join(messages)}"
                    for name, messages in filterset.form.errors.items()
                ),
            ]
        )
        return HttpResponseBadRequest(
            "Nothing was exported: some filters could not be used.\n"
            f"{problems}\n"
            f"Correct them on the claim list ({reverse('claims:claim_list')}) "
            "and use its download link again.\n",
            content_type="text/plain; charset=utf-8",
        )
    claims = filterset.qs if reviewer else for_readers(filterset.qs)
    return streaming_response(fmt, claims)
