"""Who originally made a claim when the speaker reports someone else's words.

"Dario Amade, the chief executive of Anthropic, said on Wednesday that …" is
spoken by Ranjan Roy but claimed by Dario Amodei. Only the name as written is
found here; the importer resolves it to a Person by name or alias, so a
misspelling resolves once an editor records it as an alias.

Three shapes are read: "Name[, who they are,] said/told/estimates …" at the
start, "…, Name said." or "…, said Name." at the end, and "according to
Name". ``is_reported_speech`` is looser: any subject but "I", "we" or "you"
before a reporting verb ("The company said", "He told Reuters"), which is
what scoring needs.
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
# Connectives, adverbs and time phrases that open a sentence before the
# name ("Meanwhile Sam Altman told investors …", "And Lisa Su said …",
# "Earlier this week, Tim Cook said …"): skipped, never part of the name.
_TIME_NOUN = (
    r"(?:week|month|year|quarter|morning|afternoon|evening|night|weekend|decade"
    r"|spring|summer|fall|autumn|winter|time|Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August"
    r"|September|October|November|December|\d{4})"
)
_LEAD_WORD = (
    r"(?:And|But|So|Or|Also|Still|However|Meanwhile|Then|Now|Yet|Plus|Indeed"
    r"|Moreover|Furthermore|Besides|Instead|Nonetheless|Nevertheless|Today"
    r"|Yesterday|Tonight|Recently|Lately|Earlier|Later|Last|This|Next|Well"
    r"|Actually|Separately|Similarly|Likewise|Finally|Again|Eventually|Ultimately"
    r"|Notably|Interestingly|Importantly|Oh|Okay|Look|Remember|Basically"
    r"|Apparently|Reportedly|Initially|Previously|Originally|Anyway|Additionally"
    r"|Afterwards|Subsequently|Back|Even|Thus|Hence|Therefore|Consequently"
    r"|Overnight|Famously|Publicly|Privately|Once|In|On|During|By|Since)"
)
_LEADING = re.compile(
    rf"^\W*(?:{_LEAD_WORD}\b(?:\s+(?:(?:this|last|next|that|the|on|in|earlier"
    rf"|later)\s+)?{_TIME_NOUN}\b)?(?:\s+(?:then|again|too|also|though)\b)?"
    r"\s*,?\s*)+"
)
_ACCORDING_TO = re.compile(rf"\b(?i:according\s+to)\s+(?P<name>{_NAME})")
# "…, Sam Altman said." / "…, said Sam Altman." at the end of the passage.
_TRAILING = re.compile(
    rf"[,—–]\s*(?:(?P<name>{_NAME})\s+{_VERB}|{_VERB}\s+(?P<name2>{_NAME}))"
    r"(?:\s+(?:on|in|last|this)\s+\w+)?\W*$"
)
# A reporting verb after anyone but the speaker and the listener. Narrower
# than _VERB: "expects" and "notes" are seldom someone's reported words.
_REPORTING = re.compile(
    r"(?<!\bI )(?<!\bwe )(?<!\bWe )(?<!\byou )(?<!\bYou )"
    r"\b(?:said|says|told|tells|stated|claimed|claims|wrote|announced|reported"
    r"|insisted|insists|warned|argued|estimated|predicted|testified|confirmed)\b"
    r"|\b(?i:according\s+to)\b"
)
# Capitalised sentence openers that are not names ("The Company said").
_NOT_NAMES = frozenset(
    {"The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I"}
    | {"You", "A", "An", "And", "But", "So", "When", "If", "As", "In", "On", "At"}
)


def reported_speaker(text: str) -> str | None:
    """The name of the person whose words ``text`` reports, as written."""
    opener = _LEADING.match(text)
    start = text[opener.end() :] if opener else text
    for pattern, within in (
        (_REPORTED, start),
        (_ACCORDING_TO, text),
        (_TRAILING, text),
    ):
        match = pattern.search(within)
        if match is None:
            continue
        name = match["name"] or match.groupdict().get("name2")
        if name and name.split()[0] not in _NOT_NAMES:
            return " ".join(name.split()).rstrip(".")
    return None


_REPORTING_WORDS = frozenset(
    "said says told tells stated claimed claims wrote announced reported insisted"
    " insists warned argued estimated predicted testified confirmed according".split()
)


def is_reported_speech(text: str, *, words: frozenset[str] | None = None) -> bool:
    """Does ``text`` report what someone other than the speaker said?

    ``words`` (its lower-case words) lets a caller skip the search.
    """
    if words is not None and words.isdisjoint(_REPORTING_WORDS):
        return False
    return _REPORTING.search(text) is not None
