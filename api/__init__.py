"""The JSON API (Django REST framework): reads of claims, episodes and
people, the workflow's steps as POST endpoints, tokens for scripts, the
OpenAPI schema and its documentation page. A surface like the pages and the
admin: it renders and calls the workflow, never decides (docs/architecture.md).
"""
