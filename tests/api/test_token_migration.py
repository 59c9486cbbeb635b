"""Migration api 0002: tokens made before keys were hashed keep working,
and their plain-text keys leave the database."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.exceptions import AuthenticationFailed

from api.authentication import HashedTokenAuthentication

BEFORE = ("api", "0001_api_token")
AFTER = ("api", "0002_hash_existing_tokens")
KEY = "9a69ed52" + "0" * 32


# serialized_rollback: as tests/test_history_migration.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_old_token_is_hashed_and_keeps_working(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    User = old.apps.get_model("auth", "User")
    Token = old.apps.get_model("authtoken", "Token")
    editor = User.objects.create(username="old-script", is_active=True)
    Token.objects.create(key=KEY, user=editor)
    made = Token.objects.get().created

    new = migrator.apply_tested_migration(AFTER)
    assert not new.apps.get_model("authtoken", "Token").objects.exists()
    token = new.apps.get_model("api", "ApiToken").objects.get()
    assert (token.user_id, token.prefix, token.created) == (editor.pk, "9a69ed", made)
    assert token.digest == hashlib.sha256(KEY.encode()).hexdigest()
    # The API's check of a key (the migrator leaves only these apps'
    # tables, so it is asked directly, not through a request).
    user, _token = HashedTokenAuthentication().authenticate_credentials(KEY)
    assert user.username == "old-script"
    with pytest.raises(AuthenticationFailed):
        HashedTokenAuthentication().authenticate_credentials(KEY[:-1] + "1")

    # Back: the digests cannot give the keys back; the tokens go.
    back = migrator.apply_tested_migration(BEFORE)
    assert not back.apps.get_model("api", "ApiToken").objects.exists()
