"""Check-worthiness by rules: how much a sentence is worth a fact-checker's time.

``score(sentence, speaker=…)`` returns the rule score (0..1) and the reasons
behind it, in words a reviewer reads in the admin. The importer ranks by the
trained model (``claims.extraction.model.rank``), which takes these signals
(``signals``, ``score_signals``) as part of its input and keeps what they keep.

How the rule score is made. Each sign of a checkable fact removes a fixed
share of the remaining doubt, starting from 0.1 (noisy-OR), so reasons add up
but never pass 1; each sign against then scales the result down::

    score = (1 - 0.9 × Π(1 - weight of each sign for)) × Π(factor of each sign against)

==============================================  ======  =========================
reason                                          weight  fires on
==============================================  ======  =========================
a money amount / a percentage                   0.55    "$2.5 billion", "40%",
                                                        "one in five"
a growth multiple / a count / a power figure    0.50    "10x", "doubled",
                                                        "12 million", "3 GW"
a deal                                          0.50    "acquired", "signed a
                                                        … contract", "valued at"
an amount (energy and other units)              0.45    "5 TWh"
a deed                                          0.45    "sued", "fired", "banned",
                                                        "passed X to become"
a law or a vote                                 0.45    "passed … law", "voted
                                                        against", "into law"
a share said in words                           0.45    "most of", "three quarters
                                                        of", "half a million"
a negation of record                            0.40    "has never turned a
                                                        profit", "has not passed"
a superlative or record                         0.40    "the largest", "record",
                                                        "the first … to", "the
                                                        most valuable"
a number                                        0.35    "2 data centers", "five
                                                        engineers" (no unit)
a forecast with a date                          0.35    "will … by 2028",
                                                        "planned … this year"
a vague amount                                  0.35    "dozens of", "millions of"
a duration                                      0.30    "five to seven years"
a comparison                                    0.30    "more than", "faster
                                                        than" (not "than expected")
reported speech                                 0.30    "X said that", "according
                                                        to" (not the speaker)
a date                                          0.25    "June 2027", "in 2023"
a change (rose, fell, grew)                     0.20    "revenue fell"
a business or economic term                     0.20    revenue, valuation, jobs
a forecast                                      0.15    "will", "plans to"
names a person or organisation                  0.15    "Nvidia", "OpenAI", "Lisa Su"
a cause and effect                              0.15    "because", "led to"
filler or a greeting (lowers)                   ×0.15   "Thanks for having me"
a question (lowers)                             ×0.50   ends in "?"
too short to check (lowers)                     ×0.50   under three words
an opinion marker (lowers)                      ×0.70   "I think", "should", "vibes"
a hedge (lowers)                                ×0.85   "maybe", "might", "kind of"
==============================================  ======  =========================

So one hard figure or one deal clears the default threshold of 0.5 on its own
("It cost $5 billion." → 0.595), two medium signs together do ("more than it
made in all of 2023": a comparison and a date → 0.527), and reported speech,
a forecast or a named company alone do not ("Sam Altman said the vibes are
off." → 0.325). An opinion marker keeps a lone figure under the line ("I think
it cost $5 billion." → 0.416) unless more backs it, and pushes the rest well
below ("I just think the vibes are off." → 0.07). The weights were set by hand
on the fixtures in ``tests/claims`` (the summary sample's vague bullets all
stay under 0.5). They were never tuned on CLEF: ranked by this score alone,
the 19 CLEF-2019 training transcripts get a mean average precision of 0.200
(random order 0.066; docs/extraction.md).

The importer ranks by the trained model (``claims.extraction.model``), which
reads these flags and this score as features, and keeps every sentence these
rules put at or above the threshold.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from claims.extraction.attribution import is_reported_speech, reported_speaker
from claims.extraction.dates import absolute_dates, relative_periods
from claims.extraction.forecasts import Forecast, find_forecast
from claims.extraction.quantities import find_quantities, words_of
from claims.extraction.types import QuantityData, QuantityKind

BASE = 0.1
THRESHOLD = 0.5

# name: (reason shown to reviewers, weight). Signs for a checkable fact.
FOR: dict[str, tuple[str, float]] = {
    "money": ("a money amount", 0.55),
    "percent": ("a percentage", 0.55),
    "multiplier": ("a growth multiple", 0.5),
    "count": ("a count", 0.5),
    "power": ("a power figure", 0.5),
    "deal": ("a deal", 0.5),
    "deed": ("a deed (sued, fired, banned, signed …)", 0.45),
    "law": ("a law or a vote", 0.45),
    "share": ("a share said in words", 0.45),
    "never": ("a negation of record (has never, has not …)", 0.4),
    "other_amount": ("an amount (energy and other units)", 0.45),
    "number": ("a number", 0.35),
    "dated_forecast": ("a forecast with a date", 0.35),
    "duration": ("a duration", 0.3),
    "vague_amount": ("a vague amount", 0.35),
    "comparison": ("a comparison", 0.3),
    "superlative": ("a superlative or record", 0.4),
    "reported": ("reported speech", 0.3),
    "date": ("a date", 0.25),
    "change": ("a change (rose, fell, grew)", 0.2),
    "business": ("a business or economic term", 0.2),
    "forecast": ("a forecast", 0.15),
    "named": ("names a person or organisation", 0.15),
    "causal": ("a cause and effect", 0.15),
}
# name: (reason, factor). Signs against: the score is multiplied by the factor.
AGAINST: dict[str, tuple[str, float]] = {
    "filler": ("filler or a greeting (lowers)", 0.15),
    "question": ("a question (lowers)", 0.5),
    "short": ("too short to check (lowers)", 0.5),
    "opinion": ("an opinion marker (lowers)", 0.7),
    "hedge": ("a hedge (lowers)", 0.85),
}
FEATURE_NAMES: tuple[str, ...] = (*FOR, *AGAINST)

_KIND_FEATURES = {
    QuantityKind.MONEY: "money",
    QuantityKind.PERCENT: "percent",
    QuantityKind.MULTIPLIER: "multiplier",
    QuantityKind.COUNT: "count",
    QuantityKind.POWER: "power",
    QuantityKind.DURATION: "duration",
    QuantityKind.DATE: "date",
    QuantityKind.OTHER: "other_amount",
}
_HARD = frozenset({"money", "percent", "multiplier", "count", "power", "other_amount"})
# Any day: scoring only asks whether a relative period is named at all.
_ANY_DAY = datetime.date(2000, 1, 1)

_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty"
    " seventy eighty ninety hundred thousand million billion trillion dozen"
    " half third quarter".split()
)
_VAGUE = frozenset(
    "dozens hundreds thousands millions billions trillions tens scores majority"
    " minority handful".split()
)
_DIGITS = re.compile(r"(?<![\w.])\d(?:[\d,.]*\d)?")
_YEAR = re.compile(r"(?<![\w$.,])(?:19|20)\d\d(?![\d%,.]\d|\s*%)")
_DEAL = re.compile(
    r"\b(?:acquired|acquires|acquiring|acquisition\s+of|bought|buys|merged\s+with"
    r"|merger|invested\s+in|invests\s+in|went\s+public|valued\s+at|raised"
    r"|filed\s+(?:for|to)\s+(?:an\s+)?IPO|sold\s+(?:its|their|the)"
    r"|agreed\s+to\s+(?:buy|acquire|merge|pay|invest|lease|sell|supply)"
    r"|(?:signed|struck|inked|closed|announced)\s+(?:an?\s+|the\s+|its\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:deal|contract|agreement|lease))\b",
    re.IGNORECASE,
)
# Deeds a fact-checker can look up: who sued, fired, banned or signed what.
_DEED = re.compile(
    r"\b(?:sued|sues|suing|fired|banned|bans|vetoed|vetoes|indicted|convicted"
    r"|fined|sanctioned|invaded|founded|co-founded|laid\s+off|shut\s+down"
    r"|pulled\s+out\s+of|withdrew\s+from|overtook|overtakes|recalled|settled\s+with"
    r"|released|launched|appointed|nominated|deported|pardoned|expelled|cut\s+ties"
    r"|passed\s+(?:[\w’'-]+\s+){1,4}?to\s+become"
    r"|signed\s+(?:the|a|an|into|off\s+on|an?\s+executive)\b(?!\s+up\b))\b",
    re.IGNORECASE,
)
# Laws and votes: "Congress has not passed a federal privacy law", "voted against".
_LAW = re.compile(
    r"\b(?:passed|pass|passes|signed|vetoed|enacted|repealed|ratified|approved"
    r"|blocked|overturned|struck\s+down|introduced|rejected)\s+(?:[\w’'-]+\s+){0,5}?"
    r"(?:law|laws|bill|bills|legislation|act|treaty|ban|amendment|order|regulation"
    r"|regulations|budget|resolution)\b"
    r"|\bvoted\s+(?:for|against|to|in\s+favou?r|down|no|yes|twice)\b"
    r"|\b(?:Congress|Senate|House|Parliament|lawmakers|legislature|Supreme\s+Court"
    r"|court|voters)\s+(?:has\s+|have\s+|had\s+)?(?:not\s+|never\s+)?"
    r"(?:passed|ruled|voted|approved|blocked|rejected|struck|upheld)\b"
    r"|\binto\s+law\b",
    re.IGNORECASE,
)
# Shares said in words: "most of the electricity", "three quarters of", "a majority of".
_SHARE = re.compile(
    r"\b(?:most|half|nearly\s+all|almost\s+all|the\s+bulk|(?:a|one|two)\s+thirds?"
    r"|(?:a|one|three)\s+quarters?|(?:a|the)\s+(?:large\s+|small\s+|vast\s+|slim\s+)?"
    r"(?:majority|minority)|(?:a\s+)?(?:large|small|tiny)\s+(?:share|fraction))\s+of"
    r"(?!\s+(?:the\s+time|them|us|you|it|my|our|your|his|her|their)\b)\b"
    r"|\bhalf\s+an?\s+(?:million|billion|trillion|dozen)\b",
    re.IGNORECASE,
)
# A record stated by its absence: "has never turned a profit", "has not passed".
_NEVER = re.compile(
    r"(?<!\bI )(?<!\byou )(?<!\bYou )(?<!\bwe )(?<!\bWe )"
    # One run of spaces, never two side by side: "has" and 20,000 spaces
    # took a minute to try every split of them (found in review).
    r"\b(?:has|have|had|hasn[’']t|haven[’']t|hadn[’']t)\s++"
    r"(?:(?:never|not|yet\s+to)\s*+)?(?:once\s+|ever\s+|yet\s+)?(?:turned|made|paid|won|passed|released|reported"
    r"|posted|earned|delivered|filed|signed|built|shipped|disclosed|published"
    r"|produced|held|raised|cut|lost|returned|recovered|met|hit|reached)\b"
    r"|(?<!\bI )(?<!\byou )(?<!\bYou )(?<!\bwe )(?<!\bWe )"
    r"\b(?:never|not\s+once|did\s+not|didn[’']t)\s+(?:once\s+)?(?:turned|turn|made"
    r"|make|paid|pay|won|win|passed|pass|released|release|reported|report|posted"
    r"|post|earned|earn|delivered|deliver|filed|file|signed|sign|built|build|shipped"
    r"|ship|disclosed|disclose|published|publish|produced|produce|held|hold|raised"
    r"|raise|returned|return|voted|vote|met|meet|hit|reached|reach)\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower|bigger|smaller|larger|faster"
    r"|slower|cheaper|costlier|better|worse|richer|poorer|older|newer|longer"
    r"|shorter|stronger|weaker|ahead)\s+than\b"
    # Against expectations or feelings is no checkable comparison.
    r"(?!\s+(?:expected|anticipated|thought|predicted|planned|hoped|imagined|ever"
    r"|before|usual|normal|I|we|you|they|people|most|anyone)\b)"
    r"|\bas\s+(?:much|many|big|large|fast|high|low|little|few)\s+as\b"
    r"|\bcompared\s+(?:to|with)\b|\b(?:outpaced|outsold|outgrew|overtook|surpassed"
    r"|exceeded|exceeds|outnumber(?:s|ed)?)\b",
    re.IGNORECASE,
)
_SUPERLATIVE = re.compile(
    r"\b(?:largest|biggest|smallest|highest|lowest|fastest|slowest|oldest|newest"
    r"|richest|poorest|cheapest|strongest|weakest|longest|shortest|record|all-time"
    r"|ever|in\s+history|in\s+the\s+world|number\s+one|No\.\s*1)\b"
    r"|\b(?:the|its|their)\s+most\s+(?:valuable|popular|profitable|expensive|powerful"
    r"|used|downloaded|visited|watched|common|widely\s+used|advanced|indebted"
    r"|populous|polluting|productive)\b"
    r"|\b(?:second|third|fourth|fifth)[\s-]+(?:largest|biggest|highest|lowest"
    r"|most)\b|\bto\s+become\s+the\b"
    r"|\bthe\s+(?:first|only|last)\s+(?:[\w-]+\s+){0,3}to\b",
    re.IGNORECASE,
)
_CHANGE = frozenset(
    "rose risen rises fell fallen falls grew grown increased increases decreased"
    " decreases declined declines dropped drops jumped jumps surged surges soared"
    " soars plunged plummeted slumped climbed climbs shrank shrunk gained lost"
    " boosted slashed cut tripled doubled halved quadrupled spiked".split()
)
_BUSINESS = frozenset(
    "revenue revenues sales profit profits earnings valuation ipo funding margin"
    " margins subscribers users customers employees workers jobs layoffs"
    " unemployment gdp inflation tax taxes budget deficit debt price prices wages"
    " salary salaries stock shares investors capex economy".split()
)
# A capitalised word after a lower-case one, or a name-shaped one anywhere
# ("OpenAI", "SpaceX", "IBM"); a sentence's first word counts unless it is a
# common opener ("The", "But", "Yesterday").
_NAMED = re.compile(
    r"(?<=[a-z,;:’'] )(?!I\b|I[’']m\b|I[’']ve\b|I[’']d\b|I[’']ll\b)[A-Z]\w+"
    r"|\b[A-Z][a-z]*[A-Z]\w*"
)
_FIRST_WORD = re.compile(r"\W*([A-Z][a-z]+)\b")
_OPENERS = frozenset(
    "the a an this that these those there here it its he she they we you i his her"
    " their our my your and but or so yet if when while as in on at for from with by"
    " to of after before since because although though however also still then now"
    " well yes no not one some many most all every each both few more what why how"
    " who which where whatever let look think maybe perhaps just even only again"
    " today yesterday tomorrow tonight last next first second finally actually"
    " basically obviously clearly honestly frankly really right okay sure great"
    " thanks thank welcome hello hi hey good people everyone everybody nobody"
    " someone something nothing anything everything do does did is are was were"
    " be been have has had can could will would should may might must our"
    " over under about around between into through during without within against"
    " among until unless whether once like such other another same much less"
    " lots plenty".split()
)
_CAUSAL = re.compile(
    r"\b(?:because|due\s+to|leads?\s+to|led\s+to|caused|causes|results?\s+in"
    r"|resulted\s+in|driven\s+by|thanks\s+to)\b",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(?:I|we)\s+(?:just\s+|really\s+|do\s+|don[’']t\s+|personally\s+|honestly\s+)?"
    r"(?:think|believe|feel|hope|guess|suppose|wish|love|hate|worry|fear|bet)\b"
    r"|\bin\s+my\s+(?:view|opinion)\b|\bto\s+me\b|\bshould\b|\bmust\b|\bought\s+to\b"
    r"|\b(?:vibes?|crazy|amazing|awesome|terrible|ridiculous|insane|incredible"
    r"|fantastic|mind-blowing|shocking|wonderful|horrible|nonsense|honestly"
    r"|frankly|obviously|clearly)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|might|could|possibly|probably|kind\s+of|sort\s+of"
    r"|seems?|seemed|appears?\s+to)\b",
    re.IGNORECASE,
)
_MAY = re.compile(r"\bmay\b")  # lower case: "May" is also a month
_FILLER_PHRASE = re.compile(
    r"\b(?:welcome\s+(?:back\s+)?to\s+(?:the|our)\s+(?:show|podcast|program)"
    r"|welcome\s+back|thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:having|joining"
    r"|coming|listening|being)|(?:good|great|glad|nice)\s+to\s+(?:be\s+here|have\s+you"
    r"|see\s+you)|we[’']ll\s+be\s+right\s+back|be\s+right\s+back|stay\s+with\s+us"
    r"|after\s+the\s+break|(?:take|taking)\s+a\s+(?:quick\s+|short\s+)?break"
    r"|let[’']s\s+(?:get\s+into\s+it|dive\s+in|get\s+started|jump\s+in)"
    r"|(?:great|good)\s+question|(?:great|good)\s+point|rate\s+and\s+review"
    r"|brought\s+to\s+you\s+by|sponsored\s+by|see\s+you\s+next|talk\s+soon"
    r"|that[’']s\s+all\s+(?:for|the\s+time))\b",
    re.IGNORECASE,
)
_FILLER_WORDS = frozenset(
    "hi hello hey welcome thanks thank you good morning evening afternoon yeah yes"
    " yep no nope okay ok right sure exactly absolutely totally wow oh um uh so well"
    " great cool anyway and but i mean like agreed true definitely indeed".split()
)


# Each pattern can only match if the sentence has one of its words; checking
# the word set first skips most searches (most sentences are conversation).
_DEAL_WORDS = frozenset(
    "acquired acquires acquiring acquisition bought buys merged merger invested"
    " invests public valued raised ipo sold agreed signed struck inked closed"
    " announced".split()
)
_COMPARISON_WORDS = frozenset(
    "than as compared outpaced outsold outgrew overtook surpassed exceeded exceeds"
    " outnumber outnumbers outnumbered".split()
)
_SUPERLATIVE_WORDS = frozenset(
    "largest biggest smallest highest lowest fastest slowest oldest newest richest"
    " poorest cheapest strongest weakest longest shortest record all ever history"
    " world number no first only last most second third fourth fifth become".split()
)
_DEED_WORDS = frozenset(
    "sued sues suing fired banned bans vetoed vetoes indicted convicted fined"
    " sanctioned invaded founded laid shut pulled withdrew overtook"
    " overtakes recalled settled released launched appointed nominated deported"
    " pardoned expelled cut passed signed".split()
)
_LAW_WORDS = frozenset(
    "law laws bill bills legislation act treaty ban amendment order regulation"
    " regulations budget resolution voted congress senate house parliament"
    " lawmakers legislature court voters".split()
)
_SHARE_WORDS = frozenset(
    "most half all bulk third thirds quarter quarters majority"
    " minority share fraction".split()
)
_NEVER_WORDS = frozenset("never not hasn haven hadn didn yet once".split())
_CAUSAL_WORDS = frozenset(
    "because due leads lead led caused causes result results resulted driven"
    " thanks".split()
)
_OPINION_WORDS = frozenset(
    "think believe feel hope guess suppose wish love hate worry fear bet my me"
    " should must ought vibe vibes crazy amazing awesome terrible ridiculous insane"
    " incredible fantastic blowing shocking wonderful horrible nonsense honestly"
    " frankly obviously clearly".split()
)
_HEDGE_WORDS = frozenset(
    "maybe perhaps might could possibly probably kind sort seem seems seemed appear"
    " appears may".split()
)
_FILLER_PHRASE_WORDS = frozenset(
    "welcome thanks thank good great glad nice back stay break let question point"
    " rate brought sponsored see talk all".split()
)
_FOR_PATTERNS = (
    ("deal", _DEAL_WORDS, _DEAL),
    ("deed", _DEED_WORDS, _DEED),
    ("law", _LAW_WORDS, _LAW),
    ("share", _SHARE_WORDS, _SHARE),
    ("never", _NEVER_WORDS, _NEVER),
    ("comparison", _COMPARISON_WORDS, _COMPARISON),
    ("superlative", _SUPERLATIVE_WORDS, _SUPERLATIVE),
    ("causal", _CAUSAL_WORDS, _CAUSAL),
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Signals:
    """What the rules saw in one sentence; ``candidates`` reuses all of it.

    ``flags`` are the names in ``FOR`` and ``AGAINST`` that fired;
    ``forecast`` is resolved against the episode date given to ``signals``.
    """

    sentence: str
    speaker: str | None
    quantities: tuple[QuantityData, ...]
    forecast: Forecast | None
    claimant: str | None
    flags: frozenset[str]


def signals(
    sentence: str,
    *,
    speaker: str | None = None,
    published_on: datetime.date | None = None,
) -> Signals:
    """Quantities, forecast, claimant and rule flags of ``sentence``."""
    words = words_of(sentence)
    digits = _DIGIT.search(sentence) is not None
    # Amounts and forecasts both read the sentence's dates: found once.
    dates = absolute_dates(sentence)
    quantities = tuple(find_quantities(sentence, words=words, dates=dates))
    flags = {_KIND_FEATURES[q.kind] for q in quantities}
    forecast = find_forecast(sentence, published_on, words=words, dates=dates)
    if forecast is not None:
        dated = forecast.period is not None or (
            published_on is None
            and bool(relative_periods(sentence, _ANY_DAY, words=words))
        )
        flags.add("dated_forecast" if dated else "forecast")
    claimant = reported_speaker(sentence)
    if claimant and speaker and claimant.casefold() == speaker.casefold():
        claimant = None  # the speaker quoting themselves
    elif claimant or is_reported_speech(sentence, words=words):
        flags.add("reported")
    if not flags & _HARD:
        if (
            digits
            and any(not _YEAR.fullmatch(d) for d in _DIGITS.findall(sentence))
            or not words.isdisjoint(_NUMBER_WORDS)
        ):
            flags.add("number")
        if not words.isdisjoint(_VAGUE):
            flags.add("vague_amount")
    if digits and "date" not in flags and _YEAR.search(sentence):
        flags.add("date")
    for name, gate, pattern in _FOR_PATTERNS:
        if not words.isdisjoint(gate) and pattern.search(sentence):
            flags.add(name)
    if not words.isdisjoint(_CHANGE):
        flags.add("change")
    if not words.isdisjoint(_BUSINESS):
        flags.add("business")
    first = _FIRST_WORD.match(sentence)
    if (first is not None and first[1].casefold() not in _OPENERS) or _NAMED.search(
        sentence
    ):
        flags.add("named")
    flags |= _flags_against(sentence, words)
    return Signals(
        sentence=sentence,
        speaker=speaker,
        quantities=quantities,
        forecast=forecast,
        claimant=claimant,
        flags=frozenset(flags),
    )


def _flags_against(sentence: str, words: frozenset[str]) -> set[str]:
    flags = set()
    stripped = sentence.rstrip()
    if (
        not words.isdisjoint(_FILLER_PHRASE_WORDS) and _FILLER_PHRASE.search(sentence)
    ) or (words and words <= _FILLER_WORDS):
        flags.add("filler")
    if stripped.endswith("?"):
        flags.add("question")
    if len(sentence.split()) < 3:
        flags.add("short")
    if not words.isdisjoint(_OPINION_WORDS) and _OPINION.search(sentence):
        flags.add("opinion")
    if not words.isdisjoint(_HEDGE_WORDS) and (
        _HEDGE.search(sentence) or _MAY.search(sentence)
    ):
        flags.add("hedge")
    return flags


def score_signals(found: Signals) -> tuple[float, list[str]]:
    """The rule score and its reasons (strongest first) for computed signals.

    The trained model (``claims.extraction.model``) uses it as a feature and
    as a floor: what it keeps, the importer keeps.
    """
    doubt = 1 - BASE
    reasons_for = sorted(
        (FOR[name] for name in found.flags if name in FOR),
        key=lambda entry: (-entry[1], entry[0]),
    )
    for _, weight in reasons_for:
        doubt *= 1 - weight
    value = 1 - doubt
    reasons_against = sorted(
        (AGAINST[name] for name in found.flags if name in AGAINST),
        key=lambda entry: (entry[1], entry[0]),
    )
    for _, factor in reasons_against:
        value *= factor
    reasons = [reason for reason, _ in (*reasons_for, *reasons_against)]
    return round(min(max(value, 0.0), 1.0), 3), reasons


def score(sentence: str, *, speaker: str | None = None) -> tuple[float, list[str]]:
    """Check-worthiness of ``sentence`` (0..1) and the reasons, strongest first.

    ``speaker`` is the person saying it, when known: reported speech counts
    only when someone else is reported.
    """
    return score_signals(signals(sentence, speaker=speaker))


def score_many(
    sentences: Iterable[str], *, speaker: str | None = None
) -> list[tuple[float, list[str]]]:
    """``score`` for many sentences of one speaker (a model would batch here)."""
    return [score(sentence, speaker=speaker) for sentence in sentences]


def features(sentence: str, *, speaker: str | None = None) -> dict[str, float]:
    """The rule signals as named numbers (``FEATURE_NAMES``, 1.0 when present),
    plus the rule score itself, for a trained model to use as input."""
    found = signals(sentence, speaker=speaker)
    values = {name: float(name in found.flags) for name in FEATURE_NAMES}
    values["quantities"] = float(len(found.quantities))
    values["rule_score"] = score_signals(found)[0]
    return values
