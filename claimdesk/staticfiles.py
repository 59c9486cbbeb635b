"""Static-file storages that work out each file's address once per process.

``{% static %}`` and every form's ``Media`` ask the storage for a file's
address on each use. Django's storages compute it every time: the plain one
joins and quotes the name (70 µs a call on the slow two-core VM of
docs/performance.md), the hashed one (production) also looks the name up
in its manifest and splits the address apart and back. An admin list asks
about twenty times a view (its stylesheets, the admin's eight scripts): 1.5
ms of a 26 ms page there. An address depends only on the name, the storage's
settings and, for the hashed storage, on DEBUG (which serves the unhashed
name) and the manifest, which a process loads once at its start; so each
address is kept, per storage instance, as long as the process lives. A
change of STATIC_URL or of the storage setting makes Django build a new
storage (``django.test.signals.static_storage_changed``), with an empty
memo.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrlsMixin:
    # A missing file's error (the hashed storage's ValueError) is raised
    # each time, never kept. The memo holds one entry per static file the
    # templates name: a few dozen.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remembered_urls = {}

    def url(self, name, force=False):
        if force:
            # collectstatic's own look-ups; not what pages ask.
            return super().url(name, force)
        key = (name, settings.DEBUG)
        url = self._remembered_urls.get(key)
        if url is None:
            url = self._remembered_urls[key] = super().url(name)
        return url


class LocalStaticFilesStorage(RememberedUrlsMixin, StaticFilesStorage):
    """The demo's and the tests' storage: the files under their own names."""


class HashedStaticFilesStorage(
    RememberedUrlsMixin, CompressedManifestStaticFilesStorage
):
    """Production's storage: hashed, compressed copies (collectstatic)."""
