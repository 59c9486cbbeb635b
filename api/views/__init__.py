"""The JSON API's views.

- ``claims.py``: the claim list, a claim, its history (reads)
- ``steps.py``: the workflow steps (writes, through ``claims.steps``)
- ``directory.py``: episodes and people
- ``docs.py``: the OpenAPI schema and its documentation page
"""
