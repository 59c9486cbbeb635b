"""Addresses worked out once per process: ``{% url %}`` (claimdesk.urltag),
the static files' storages (claimdesk.staticfiles) and the pages' script
and stylesheet tags (claimdesk.media). Each gives what Django's own gives,
for the same settings, and follows a change of them."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms import Media, Script
from django.template import Context, Template, engines
from django.template.loader import get_template
from django.test import override_settings
from django.urls import NoReverseMatch, include, path, reverse, set_script_prefix

from claimdesk.media import RenderedMedia, remembered
from claimdesk.staticfiles import HashedStaticFilesStorage, LocalStaticFilesStorage
from claimdesk.urltag import REMEMBERED, RememberedURLNode, _reverse


def page(request):  # pragma: no cover (never called: only reversed)
    raise AssertionError


# Another URL configuration, with a claims:claim_list of its own.
urlpatterns = [
    path(
        "elsewhere/",
        include(([path("<int:n>/", page, name="claim_list")], "claims")),
    )
]


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_every_templates_url_tag_is_the_remembering_one():
    # The builtin is installed after Django's own, so it wins; Django's
    # admin templates, which load nothing for {% url %}, get it too.
    engine = engines["django"].engine
    assert engine.template_builtins[-1].tags["url"].__module__ == "claimdesk.urltag"
    nodes = get_template("admin/base.html").template.nodelist.get_nodes_by_type(
        RememberedURLNode
    )
    assert {node.view_name.token for node in nodes} >= {
        "'admin:index'",
        "'admin:logout'",
    }


def test_the_tag_gives_djangos_addresses():
    assert render("{% url 'admin:index' %}") == reverse("admin:index")
    assert render("{% url 'claims:claim_detail' 7 %}") == reverse(
        "claims:claim_detail", args=[7]
    )
    assert render("{% url 'claims:claim_detail' pk=7 %}") == reverse(
        "claims:claim_detail", kwargs={"pk": 7}
    )
    assert render("{% url 'admin:app_list' app_label='claims' %}") == reverse(
        "admin:app_list", kwargs={"app_label": "claims"}
    )
    # Asked twice, the second from the memo: the same address.
    assert render("{% url 'admin:index' as home %}{{ home }}") == reverse("admin:index")
    # Another app's namespace.
    assert render("{% url 'people:detail' 'a-b' %}") == reverse(
        "people:detail", args=["a-b"]
    )


def test_an_address_that_does_not_reverse_raises_djangos_error_each_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch, match="'no-such-page' not found"):
            render("{% url 'no-such-page' %}")
    # With "as", nothing: as Django's admin asks for admindocs' address.
    assert render("{% url 'no-such-page' as docs %}[{{ docs }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'claims:claim_detail' 'not-an-id' %}")


def test_an_argument_that_is_no_key_is_reversed_each_time():
    assert render("{% url 'claims:claim_detail' ids.0 %}", ids=[5]) == reverse(
        "claims:claim_detail", args=[5]
    )

    class Unhashable(int):
        __hash__ = None

    assert render("{% url 'claims:claim_detail' n %}", n=Unhashable(9)) == reverse(
        "claims:claim_detail", args=[9]
    )


def test_the_memo_follows_the_url_configuration_and_the_script_prefix():
    before = render("{% url 'claims:claim_list' %}")
    with override_settings(ROOT_URLCONF=__name__):
        assert render("{% url 'claims:claim_list' 3 %}") == "/elsewhere/3/"
        with pytest.raises(NoReverseMatch):
            render("{% url 'admin:index' %}")
    assert render("{% url 'claims:claim_list' %}") == before
    set_script_prefix("/desk/")
    try:
        assert render("{% url 'claims:claim_list' %}") == "/desk" + before
    finally:
        set_script_prefix("/")
    assert render("{% url 'claims:claim_list' %}") == before


def test_the_memo_is_bounded():
    assert _reverse.cache_info().maxsize == REMEMBERED
    for n in range(REMEMBERED + 10):
        render("{% url 'claims:claim_detail' n %}", n=n)
    assert _reverse.cache_info().currsize <= REMEMBERED


def test_the_local_storage_gives_djangos_addresses_and_remembers_them():
    assert isinstance(staticfiles_storage._wrapped, LocalStaticFilesStorage)
    assert staticfiles_storage.url("css/site.css") == "/static/css/site.css"
    assert staticfiles_storage.url("css/a b.css") == "/static/css/a%20b.css"
    assert ("css/site.css", False) in staticfiles_storage._remembered_urls
    assert render("{% load static %}{% static 'css/site.css' %}") == (
        "/static/css/site.css"
    )
    # Another STATIC_URL: Django makes a new storage, with an empty memo.
    with override_settings(STATIC_URL="/assets/"):
        assert staticfiles_storage.url("css/site.css") == "/assets/css/site.css"
    assert staticfiles_storage.url("css/site.css") == "/static/css/site.css"


def test_the_hashed_storage_gives_the_manifests_addresses(tmp_path, settings):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "hash": "0",
                "paths": {"css/site.css": "css/site.0123456789ab.css"},
            }
        )
    )
    storage = HashedStaticFilesStorage(location=tmp_path, base_url="/static/")
    for _ in range(2):
        assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    # DEBUG serves the files under their own names: not the memo's.
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
    settings.DEBUG = False
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    # A file the manifest lacks is an error each time, never remembered.
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")
    assert ("css/gone.css", False) not in storage._remembered_urls
    # collectstatic's own look-ups (force) are Django's, unremembered.
    assert storage.url("css/site.css", force=True) == (
        "/static/css/site.0123456789ab.css"
    )


def test_a_remembered_media_writes_what_djangos_writes():
    media = Media(
        css={"all": ["claims/admin.css"], "print": ["css/print.css"]},
        js=["admin/js/core.js", "https://cdn.example.org/x.js"],
    ) + Media(js=["admin/js/actions.js", "admin/js/core.js"])
    kept = remembered(media)
    assert isinstance(kept, RenderedMedia)
    for _ in range(2):
        assert str(kept) == str(media)
        assert str(kept["js"]) == str(media["js"])
        assert str(kept["css"]) == str(media["css"])
    # The same lists again: the same object, written once.
    assert remembered(media + Media()) is kept
    # Added to, it is a plain Media of both, as Django's.
    more = kept + Media(js=["admin/js/urlify.js"])
    assert str(more) == str(media + Media(js=["admin/js/urlify.js"]))
    # Another STATIC_URL: other addresses, not the memo's.
    with override_settings(STATIC_URL="/assets/"):
        elsewhere = remembered(media)
        assert elsewhere is not kept
        assert 'src="/assets/admin/js/core.js"' in str(elsewhere)


def test_a_media_with_more_than_file_names_is_not_remembered():
    media = Media(js=[Script("admin/js/core.js", defer=True)])
    assert remembered(media) is media


def test_the_claim_pages_write_their_media_as_django_does(client, editor, claim):
    client.force_login(editor)
    for url in (
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
    ):
        first = client.get(url)
        media = first.context["media"]
        assert isinstance(media, RenderedMedia)
        html = first.content.decode()
        assert str(media["js"]) in html
        assert str(media["css"]) in html
        # Written as Django writes the same lists.
        plain = Media()
        plain._css_lists, plain._js_lists = media._css_lists, media._js_lists
        assert str(media) == str(plain)
        assert client.get(url).context["media"] is media
