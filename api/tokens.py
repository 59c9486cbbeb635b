"""The writes of API tokens: made and revoked here only (the admin calls
these), each with its event in the log, on the timeline of the user whose
token it is. The event names the key by its first characters, never more."""

from __future__ import annotations

from api.models import ApiToken
from audit.log import record, writes
from audit.models import Kind


@writes
def token_issue(*, user, actor) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key (shown once, not stored)."""
    token, key = ApiToken.objects.issue(user)
    record(
        kind=Kind.TOKEN_ISSUED,
        actor=actor,
        obj=token,
        topic=user,
        changes={"prefix": [None, token.prefix]},
    )
    return token, key


@writes
def token_revoke(*, token: ApiToken, actor) -> None:
    """Delete ``token``: its key stops working at once."""
    record(
        kind=Kind.TOKEN_REVOKED,
        actor=actor,
        obj=token,
        topic=token.user,
        changes={"prefix": [token.prefix, None]},
    )
    token.delete()
