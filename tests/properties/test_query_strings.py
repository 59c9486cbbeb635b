"""The admin list's links (claimdesk/admin_tools.EncodedLinksMixin): any
parameters, the same query string as Django's ChangeList writes."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.admin.views.main import ChangeList
from hypothesis import example, given
from hypothesis import strategies as st

from claimdesk.admin_tools import EncodedLinksMixin

names = st.sampled_from(["status__exact", "q", "o", "p", "speaker", "ép", "a&b", "x"])
texts = st.text(max_size=12)
# What a request's GET gives (lists of text), and what filters pass in new
# values: text, numbers, booleans (True and 1 encode apart), lists.
values = st.one_of(
    texts, st.integers(), st.booleans(), st.lists(st.one_of(texts, st.integers()))
)
params = st.dictionaries(names, st.lists(texts, max_size=3))
changes = st.dictionaries(names, st.one_of(st.none(), values))
removes = st.lists(st.one_of(names, st.sampled_from(["status", "s", ""])), max_size=3)


@example(filter_params={}, calls=[({"x": True}, []), ({"x": 1}, [])])
@example(filter_params={"x": ["1"]}, calls=[({}, []), ({"x": [1]}, []), ({"x": 1}, [])])
@given(filter_params=params, calls=st.lists(st.tuples(changes, removes), max_size=6))
def test_links_are_djangos(filter_params, calls):
    ours = SimpleNamespace(filter_params=filter_params)
    django = SimpleNamespace(filter_params=filter_params)
    # One view's many links: the same encodings met again and again.
    for new_params, remove in calls:
        assert EncodedLinksMixin.get_query_string(
            ours, new_params, remove
        ) == ChangeList.get_query_string(django, new_params, remove)
    assert filter_params == django.filter_params  # left as it was
