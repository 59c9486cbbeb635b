"""The API's one parser: DRF's JSON parser, with a body nested too deeply
for Python's JSON decoder refused as any other malformed body.

``json.load`` decodes nested arrays and objects by recursion: about a
thousand levels (2 KB of ``[``) exhaust the interpreter's stack and raise
``RecursionError``, which DRF's parser does not catch (a 500). It is a
``parse_error`` (400) here, like any body that is not the JSON asked for.
"""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                "JSON parse error - the body is nested too deeply; send a JSON "
                "object of the fields the step takes."
            ) from None
