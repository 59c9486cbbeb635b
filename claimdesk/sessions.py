"""Django's database sessions, each request's session read by one fixed
SQL string rather than a queryset built and compiled per request.

Every signed-in request reads its session first. ``Session.objects.get(
session_key=…, expire_date__gt=now)`` built and compiled that query each
time (about 0.3 ms of Python on the two-core VM of docs/performance.md,
for one row by its primary key). The row, the expiry test and the decoding
are Django's (``SessionStore.load``, 5.2); writes are Django's, unchanged.
"""

from __future__ import annotations

import functools

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseStore):
    def _validate_session_key(self, key):
        # Django's test (a key of 8 characters or more), and only the
        # characters Django makes keys of: any other cookie is no session,
        # as a wrong key is. A NUL byte in it was a 500 on every page (the
        # database refuses NUL in text), with Django's own store too.
        return super()._validate_session_key(key) and not key.strip(VALID_KEY_CHARS)

    @classmethod
    @functools.cache
    def _load_sql(cls) -> str:
        model = cls.get_model_class()
        quote = connections[router.db_for_read(model)].ops.quote_name
        return (
            f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )

    def load(self):
        # Django's load: the session's data if it has not expired; otherwise
        # no key (a new one is made if the session is written) and no data.
        using = router.db_for_read(self.model)
        with connections[using].cursor() as cursor:
            cursor.execute(self._load_sql(), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
