"""The error responses each kind of endpoint documents, all with the one
error body (``ErrorSerializer``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from api.serializers import ErrorSerializer


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


THROTTLED = error(
    "Too many requests: from this address (anonymous clients) or from this "
    "user (a token or a session). Retry-After says when to try again."
)
READ_ERRORS = {
    400: error("A query parameter is refused: the body names it."),
    401: error("The token is not valid (reading needs none)."),
    429: THROTTLED,
}
NOT_FOUND = {404: error("No such claim, or not one you may see.")}


def step_errors(*, version: bool) -> dict[int, OpenApiResponse]:
    responses = {
        400: error("The body is not a JSON object."),
        401: error("No token or session, or an invalid one."),
        403: error(
            "Refused for the user's role (another user's would do): "
            "not_reviewer, not_editor, four_eyes, published; or a browser "
            "session without its CSRF token."
        ),
        404: error("No such claim, or not one you may see."),
        413: error("The body is larger than 2.5 MB (too_large)."),
        415: error("The body is not JSON."),
        422: error(
            "The step does not apply to the claim as it is, or the input is "
            "refused: the workflow's or the form's code."
        ),
        429: THROTTLED,
    }
    if version:
        responses[409] = error(
            "The claim changed since `version` (stale): `current_version` says "
            "what it is now. Nothing was written."
        )
    return responses
