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
def token_revoke(*, token: ApiToken, actor) -> bool:
    """Delete ``token``: its key stops working at once. False when it was
    already gone: revoked meanwhile by another request, which logged it (two
    editors, or two tabs, revoking one token at once logged it once each)."""
    if not ApiToken.objects.select_for_update().filter(pk=token.pk).exists():
        return False
    record(
        kind=Kind.TOKEN_REVOKED,
        actor=actor,
        obj=token,
        topic=token.user,
        changes={"prefix": [token.prefix, None]},
    )
    token.delete()
    return True
