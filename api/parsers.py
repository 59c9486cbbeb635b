"""The API's one parser: DRF's JSON parser, with a body nested too deeply
for Python's JSON decoder, or a number too long for it, refused as any other
malformed body, in words that name the body's problem; so is a string
holding half of a UTF-16 surrogate pair.

``json.load`` decodes nested arrays and objects by recursion: about a
thousand levels (2 KB of ``[``) exhaust the interpreter's stack and raise
``RecursionError``, which DRF's parser does not catch (a 500). It is a
``parse_error`` (400) here, like any body that is not the JSON asked for.
"""

from __future__ import annotations

import re
import sys

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Half of a UTF-16 pair, which JSON may write ("\ud800") and Python decodes,
# but which is no character: PostgreSQL refused it (a 500 from the audit
# log's JSON), and Django's debug page took seconds failing to encode it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(data) -> bool:
    """Whether any key or string value of a parsed body holds one (walked
    without recursion: the body may be nested as deep as the decoder allows)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if LONE_SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = self._parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            raise ParseError(
                "JSON parse error - a string in the body holds half of a UTF-16 "
                "surrogate pair (\\ud800 to \\udfff) alone, which is not a "
                "character; send the text as it reads, in UTF-8."
            )
        return data

    def _parse(self, stream, media_type, parser_context):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                "JSON parse error - the body is nested too deeply; send a JSON "
                "object of the fields the step takes."
            ) from None
        except ParseError as error:
            # Python refuses to read an integer of more than 4,300 digits, and
            # DRF passed on its advice to call sys.set_int_max_str_digits().
            if "set_int_max_str_digits" in str(error.detail):
                raise ParseError(
                    "JSON parse error - a number in the body has more than "
                    f"{sys.get_int_max_str_digits():,} digits; send the fields "
                    "the step takes, with numbers as numbers people write."
                ) from None
            raise
