"""File bytes → the text the parsers read, or ``ParseError`` saying why not.

- UTF-8 is expected; a byte-order mark is dropped. A UTF-16 file with its
  byte-order mark (Windows Notepad's "Unicode") is read as UTF-16.
- Anything else is read as cp1252 (Windows Western, the usual non-UTF-8
  export, and a superset of Latin-1's printable characters), or as Latin-1
  where cp1252 has no character for a byte, with a warning to check the
  accented characters. A fixed fallback rather than a guessing library: on
  a short file a detector's guess is often wrong (cp1250, MacRoman), and a
  predictable reading is easier to check.
- Empty, whitespace-only and binary files (NUL bytes, or more than one
  control character in a hundred) are refused.
- CRLF and lone CR line endings become "\\n", so offsets and line numbers
  are the same whichever system wrote the file; the importer stores this
  text (or the transcript a caption parser renders from it).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from episodes.parsers.base import ParseError

# Control characters (Unicode category Cc) but tab, line breaks, form feed and
# \x1a, the DOS end-of-file mark.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_EMPTY = "the file is empty; export the episode again"
_BINARY = "save the episode as UTF-8 text and import that"


@dataclass(frozen=True)
class Decoded:
    text: str  # line endings normalised to "\n", no byte-order mark
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252" or "latin-1"
    warnings: tuple[str, ...] = ()


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise ParseError(
                f"the file starts like UTF-16 text but is not; {_BINARY}"
            ) from None
    if b"\x00" in data:
        raise ParseError(
            "the file is binary (it contains NUL bytes), not a text export; "
            f"{_BINARY} (UTF-16 text without a byte-order mark also shows as "
            "NUL bytes)",
            line=_line_of(data, data.index(b"\x00")),
        )
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data.decode("utf-8-sig"), "utf-8-sig", []
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as error:
        bad_line = _line_of(data, error.start)
    for fallback in ("cp1252", "latin-1"):
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        return (
            text,
            fallback,
            [
                f"not UTF-8 (the first byte that is not is on line {bad_line}); "
                f"read as {fallback} — check accented characters and quotes"
            ],
        )
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def decode(data: bytes) -> Decoded:
    """Decode ``data`` as described above; ``ParseError`` if it is not text."""
    if not data.strip():
        raise ParseError(_EMPTY)
    text, encoding, warnings = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = [match.start() for match in _CONTROL.finditer(text)]
    if len(controls) > len(text) // 100:
        raise ParseError(
            f"the file looks binary ({len(controls)} control "
            f"character{'s' if len(controls) > 1 else ''}), not a text export; "
            f"{_BINARY}",
            line=text.count("\n", 0, controls[0]) + 1,
        )
    if not text.strip():
        raise ParseError(_EMPTY)
    if replaced := text.count("\ufffd"):
        warnings.append(
            f"the text holds {replaced} “\ufffd” (a character lost in an earlier "
            "conversion); check the source file"
        )
    return Decoded(text, encoding, tuple(warnings))
