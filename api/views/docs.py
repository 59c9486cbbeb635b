"""The OpenAPI schema and its documentation page (Swagger UI).

Swagger UI's files come from the drf-spectacular-sidecar package and are
served by this site, like its own static files: the Content-Security-Policy
allows scripts and styles from this origin only, and none inline. The page
loads its start-up script from its own address (``?script``), not inline
(drf-spectacular's split view), and its template has no inline style.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML, or JSON with ``?format=json``)."""


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "Claimdesk API"
