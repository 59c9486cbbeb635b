"""Who originally made a claim when the speaker reports someone else's words.

"Dario Amade, the chief executive of Anthropic, said on Wednesday that …" is
spoken by Ranjan Roy but claimed by Dario Amodei. Only the name as written is
found here; the importer resolves it to a Person by name or alias, so a
misspelling resolves once an editor records it as an alias.
"""

from __future__ import annotations

import re

_NAME = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){1,3}"
_VERB = (
    r"(?:said|says|told|tells|stated|states|claimed|claims|argued|argues|wrote|writes"
    r"|announced|announces|estimated|estimates|predicted|predicts|reported|reports"
    r"|noted|notes|insisted|insists|warned|warns|expects|expected)"
)
# "Name[, who they are,] said …" at the start of the passage.
_REPORTED = re.compile(
    rf"^\W*(?P<name>{_NAME})(?:\s*,\s*[^,]{{2,100}}?,)?"
    rf"\s+(?:has\s+|had\s+|also\s+)?{_VERB}\b"
)
_ACCORDING_TO = re.compile(rf"\b(?i:according\s+to)\s+(?P<name>{_NAME})")
# Capitalised sentence openers that are not names ("The Company said").
_NOT_NAMES = frozenset(
    {"The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I"}
    | {"You", "A", "An", "And", "But", "So", "When", "If", "As", "In", "On", "At"}
)


def reported_speaker(text: str) -> str | None:
    """The name of the person whose words ``text`` reports, as written."""
    for pattern in (_REPORTED, _ACCORDING_TO):
        match = pattern.search(text)
        if match and match["name"].split()[0] not in _NOT_NAMES:
            return " ".join(match["name"].split())
    return None
