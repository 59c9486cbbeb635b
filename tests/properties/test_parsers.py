"""Property-based: every parser, on any text or bytes, either parses or
refuses with a ParseError that names the problem; never another exception.
And an import of any bytes either imports or writes nothing."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.ingest import ImportRefused, import_episode, plan_import
from claims.models import Claim
from episodes.models import Episode, Show
from episodes.parsers import FORMATS, ParseError, decode, parse
from people.models import Person

# Shapes the parsers look for, mixed with anything at all, so the examples
# reach deep into each parser rather than failing its first check.
FRAGMENTS = [
    "WEBVTT\n\n",
    "00:00:01.000 --> 00:00:04.000\n",
    "00:00:01,000 --> 00:00:04,000\n",
    "1\n",
    "<v Ranjan Roy>",
    "[00:12:31] Ranjan Roy: ",
    "Ranjan Roy: ",
    "Recorded May 8, 2026\n",
    "Guest: topics | Big Technology\n",
    "May 8, 2026\n",
    "Key takeaways\n",
    "-\n",
    "— Ranjan Roy\n",
    "It grew 80 times to $6,000,000,000 by 2028.",
    "\n",
    "\r\n",
    "\x00",
    "\ufeff",
]
texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=30
).map("".join)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(text=texts, fmt=st.sampled_from([None, *sorted(FORMATS)]))
def test_each_parser_parses_or_refuses_any_text(text, fmt):
    try:
        parsed = parse(text, fmt)
    except ParseError as error:
        assert str(error).strip()
    else:
        assert parsed.format in FORMATS
        for item in parsed.items:
            # Every item points into the source it came from.
            assert parsed.source_text[item.start : item.end] == item.text


@SETTINGS
@given(data=st.one_of(st.binary(max_size=400), texts.map(str.encode)))
def test_decoding_then_planning_any_bytes_refuses_or_plans(data):
    try:
        decoded = decode(data)
    except ParseError:
        return
    assert isinstance(decoded.text, str)
    try:
        plan = plan_import(data, name="any.txt", show_name="Any Show")
    except ImportRefused as error:
        assert str(error).strip()
    else:
        assert plan.text == plan.parsed.source_text


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Show, Episode, Person, Claim))


@pytest.mark.django_db
@SETTINGS
@given(data=st.one_of(st.binary(max_size=300), texts.map(str.encode)))
def test_an_import_of_any_bytes_imports_or_writes_nothing(data):
    before = counts()
    # Each example in its own savepoint, undone after, so examples do not
    # see each other's rows.
    try:
        with transaction.atomic():
            try:
                result = import_episode(data, name="any.txt", show_name="Any Show")
            except ImportRefused:
                assert counts() == before
            else:
                assert result.episode is not None
            raise _Undo
    except _Undo:
        pass


class _Undo(Exception):
    pass
