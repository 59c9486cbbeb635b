"""The API's one parser: DRF's JSON parser, with a body nested too deeply
for Python's JSON decoder, or a number too long for it, refused as any other
malformed body, in words that name the body's problem.

``json.load`` decodes nested arrays and objects by recursion: about a
thousand levels (2 KB of ``[``) exhaust the interpreter's stack and raise
``RecursionError``, which DRF's parser does not catch (a 500). It is a
``parse_error`` (400) here, like any body that is not the JSON asked for.
"""

from __future__ import annotations

import sys

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
