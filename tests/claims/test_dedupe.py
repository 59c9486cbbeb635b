"""When two passages state the same fact: a shared quantity and shared words."""

import pytest

from claims.extraction.dedupe import MIN_OVERLAP, content_words, overlap
from claims.extraction.quantities import find_quantities


def same_fact(a: str, b: str) -> bool:
    """The rule ``dedupe`` applies to two passages of one speaker."""
    qa, qb = find_quantities(a), find_quantities(b)
    shared = {(q.kind, q.unit, q.low, q.high) for q in qa} & {
        (q.kind, q.unit, q.low, q.high) for q in qb
    }
    words_a = content_words(a, [q.text for q in qa])
    words_b = content_words(b, [q.text for q in qb])
    return bool(shared) and overlap(words_a, words_b) >= MIN_OVERLAP


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The data center that they are gonna be able to lease from Elon Musk is "
            "a 5 to $6,000,000,000 data center that’s fully built right… this "
            "changes that significantly.",
            "Anthropic will lease a $5–6B data center from SpaceX.",
        ),
        (
            "Dario Amade, the chief executive of Anthropic, said on Wednesday that "
            "his artificial intelligence company had planned for growing about 10 "
            "times as big this year.",
            "Anthropic had planned for 10x growth this year.",
        ),
        (
            "We now have 12 million paying subscribers.",
            "Again, 12 million paying subscribers, that's the number.",
        ),
        ("Revenue will double by 2028.", "We think revenue doubles by 2028."),
        (
            "The campus will draw 3 gigawatts when it is finished.",
            "Its 3 GW campus is the biggest anywhere.",
        ),
    ],
)
def test_restatements_share_a_quantity_and_enough_words(a, b):
    assert same_fact(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Revenue grew 10% last year.", "Margins are around 10%."),
        ("We have 5,000 employees.", "About 5,000 customers signed up in March."),
        (
            "The plant will produce 3 gigawatts by 2028.",
            "The company will double its revenue by 2028.",
        ),
        ("Usage doubled in a year.", "The price of a chip doubled since 2020."),
        ("Anthropic raised $5 billion.", "OpenAI lost $5 billion last year."),
        # Same words, different figures: two facts.
        ("Revenue grew 10% last year.", "Revenue grew 12% last year."),
        # A loose paraphrase shares too few words (0.14) and stays apart.
        (
            "I hope that 80 times growth doesn’t continue because that’s just crazy.",
            "Anthropic’s usage grew 80 times, a pace the guest hopes will slow.",
        ),
    ],
)
def test_the_same_figure_about_something_else_is_another_fact(a, b):
    assert not same_fact(a, b)


def test_content_words_leave_out_quantities_stopwords_and_endings():
    words = content_words(
        "They planned for 12 million paying subscribers.", ["12 million"]
    )
    assert words == {"plan", "pay", "subscriber"}


def test_a_new_facts_words_are_read_once(monkeypatch):
    """Counted, not timed: a candidate with amounts that starts a group of its
    own has its content words read once, for the comparison and the group."""
    from claims.extraction import candidates, dedupe
    from claims.extraction.dedupe import group_restatements
    from episodes.parsers import parse

    text = (
        "Facts\nRecorded May 8, 2026\nShow: Signal Check\n\n"
        "Ana: Revenue grew 45% to $2.5 billion in 2025.\n"
        "Ben: Costs fell 10% to $400 million.\n"
        "Ana: Revenue grew 45% to $2.5 billion last year, she said.\n"
    )
    found = candidates._all_candidates(parse(text).items, None, 0.0)
    calls = []
    real = dedupe.content_words

    def counting(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(dedupe, "content_words", counting)
    groups = group_restatements(found)
    assert [len(others) for _, others in groups] == [1, 0]
    assert sorted(calls) == sorted(c.quote for c in found)
