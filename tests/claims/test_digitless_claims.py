"""Checkable claims without a digit: deeds, rankings, laws and votes, shares said
in words and negations of record are stored; small talk and opinions are not."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.extraction.scoring import THRESHOLD, score
from episodes.models import Episode
from people.loading import load_people

FIXTURE = Path(__file__).parents[1] / "fixtures" / "digitless-claims-interview.txt"

# Every claim of the podcast-interview fixture, by kind. None has a digit.
CLAIMS = {
    "deed": [
        "Epic Games sued Apple over the App Store rules, again.",
        "Google fired the engineers who protested the cloud contract.",
        "The European Union banned TikTok on staff phones.",
    ],
    "ranking": [
        "And in the markets, Nvidia passed Microsoft to become the most valuable "
        "company in the world.",
    ],
    "law or vote": [
        "Meanwhile Congress has not passed a federal privacy law, so the states keep "
        "writing their own.",
        "The Senate voted against the chip export bill.",
    ],
    "share in words": [
        "Most of the electricity in France comes from nuclear power.",
        "Three quarters of the country's reactors are more than thirty years old.",
        "A majority of Americans now use a chatbot at work.",
        "Half a million people signed the petition against the data center.",
    ],
    "negation of record": ["WeWork has never turned a profit."],
}
ALL_CLAIMS = [claim for claims in CLAIMS.values() for claim in claims]
# Small talk and opinions of the same fixture, some with a claim's words in
# them ("the most exciting", "never liked", "never know").
SMALL_TALK = [
    "Welcome back to Signal Check.",
    "It's great to have you both here.",
    "Thanks for having me.",
    "Good to be here, as always.",
    "And honestly, I love a good courtroom drama.",
    "Ha, same here.",
    "That feels like a never-ending story.",
    "I think that's the most exciting part of the whole story.",
    "Wow, I didn't know that.",
    "It's been a wild year, hasn't it?",
    "I just think we should all slow down a little.",
    "That's a great point.",
    "You know, I never liked their phones anyway.",
    "Yeah, you never know with these companies.",
    "That's all for this week.",
]


def test_the_fixture_holds_ten_or_more_digitless_claims_and_its_small_talk():
    text = FIXTURE.read_text("utf-8")
    assert len(ALL_CLAIMS) >= 10
    for sentence in ALL_CLAIMS + SMALL_TALK:
        assert sentence in text, sentence
        assert not any(ch.isdigit() for ch in sentence), sentence


@pytest.mark.django_db
def test_every_digitless_claim_is_stored_by_the_import_and_no_small_talk_is():
    load_people(json.loads((Path(settings.BASE_DIR) / "seeds/people.json").read_text()))
    out = io.StringIO()
    call_command("import_episode", str(FIXTURE), stdout=out, stderr=io.StringIO())
    episode = Episode.objects.get()
    stored = [
        " ".join(quote.split())
        for quote in episode.claims.values_list("quote", flat=True)
    ]
    missing = [claim for claim in ALL_CLAIMS if claim not in stored]
    assert missing == []
    chatter = [s for s in SMALL_TALK if any(s in quote for quote in stored)]
    assert chatter == []


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Epic Games sued Apple over the App Store rules.", "a deed"),
        ("The governor signed the AI safety bill into law.", "a law or a vote"),
        ("Congress has not passed a federal privacy law.", "a law or a vote"),
        ("The Senate voted against the chip export bill.", "a law or a vote"),
        (
            "Nvidia passed Microsoft to become the most valuable company.",
            "a superlative or record",
        ),
        ("Most of the electricity in France comes from nuclear power.", "a share"),
        ("A majority of Americans use a chatbot at work.", "a share"),
        ("WeWork has never turned a profit.", "a negation of record"),
        ("Uber hasn't turned an annual profit.", "a negation of record"),
    ],
)
def test_each_kind_of_digitless_claim_has_its_rule_cue(sentence, reason):
    value, reasons = score(sentence)
    assert value >= THRESHOLD, (value, reasons)
    assert any(r.startswith(reason) for r in reasons), reasons


@pytest.mark.parametrize(
    "sentence",
    [
        "I think that was the most exciting part.",
        "I never liked their phones.",
        "You never know with these companies.",
        "Most of the time I just listen.",
        "I signed up for the beta last week.",
        "I have never seen anything like it.",
        "That is the most interesting question.",
    ],
)
def test_opinions_and_small_talk_with_a_claims_words_stay_below(sentence):
    value, reasons = score(sentence)
    assert value < THRESHOLD, (value, reasons)
