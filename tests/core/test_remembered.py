"""core's ``{% remembered %}`` tag, and the navigation of every page (templates/base.html) that it keeps: each
reader sees exactly the page rendered afresh, whoever read before them, in whatever language."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cached_db import SessionStore
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from activity.services import notify
from core.templatetags import kept

TEMPLATE = Template('{% load kept %}{% remembered "block" key %}{{ value }}{% endremembered %}')


@pytest.fixture(autouse=True)
def _forget():
    kept._remembered.clear()
    yield
    kept._remembered.clear()


def test_a_block_is_remembered_under_its_key_and_rendered_afresh_without_one():
    assert TEMPLATE.render(Context({"key": "k1", "value": "first"})) == "first"
    assert TEMPLATE.render(Context({"key": "k1", "value": "second"})) == "first"  # remembered
    assert TEMPLATE.render(Context({"key": "k2", "value": "second"})) == "second"
    assert TEMPLATE.render(Context({"key": "", "value": "third"})) == "third"
    assert TEMPLATE.render(Context({"key": None, "value": "fourth"})) == "fourth"


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(kept, "REMEMBERED_MAX", 3)
    for i in range(10):
        TEMPLATE.render(Context({"key": f"k{i}", "value": i}))
    assert len(kept._remembered) <= 3


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(user, path="/directory/?q=x"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    # Each render masks the CSRF token anew: compare everything else.
    return CSRF.sub("csrf", render_to_string("base.html", {}, request))


@pytest.mark.django_db
def test_every_reader_sees_the_navigation_as_rendered_afresh(monkeypatch, people):
    readers = [AnonymousUser(), people.partner_admin, people.partner_member, people.pam, people.psa,
               people.program_admin, people.other_partner_admin, AnonymousUser()]
    notify(recipients=[people.partner_admin], kind="funding_rejected", params={"reference": "R", "reason": "x"})
    remembered = {}
    for language in ("en", "fr", "ja", "en"):
        with translation.override(language):
            for i, user in enumerate(readers):
                remembered[language, i] = _page(user, f"/directory/?q={i}")
    monkeypatch.setattr(kept.RememberedNode, "render", lambda node, context: node.nodelist.render(context))
    for language in ("en", "fr", "ja"):
        with translation.override(language):
            for i, user in enumerate(readers):
                assert remembered[language, i] == _page(user, f"/directory/?q={i}"), (language, i)
    # What differs between readers is still there: their address, their company, their unread count.
    assert people.partner_admin.email in remembered["en", 1] and people.pam.email not in remembered["en", 1]
    assert 'aria-label="1 unread"' in remembered["en", 1] and "unread" not in remembered["en", 2]
    assert 'value="/directory/?q=3"' in remembered["en", 3]
    assert 'lang="fr"' in remembered["fr", 0] and "Se connecter" in remembered["fr", 0]


def test_an_edited_file_under_runserver_forgets_what_was_remembered(tmp_path):
    from django.utils.autoreload import file_changed

    TEMPLATE.render(Context({"key": "k1", "value": "first"}))
    file_changed.send(sender=None, file_path=tmp_path / "base.html")
    assert TEMPLATE.render(Context({"key": "k1", "value": "second"})) == "second"


@pytest.mark.django_db
def test_the_login_page_is_the_page_rendered_afresh(client, monkeypatch, partner_admin):
    """templates/account/login.html remembers what shows no data; a posted form shows its own values and errors."""
    def pages():
        answers = [client.get("/accounts/login/?next=/tier/"), client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr"),
                   client.post("/accounts/login/", {"login": partner_admin.email, "password": "wrong"})]
        return [CSRF.sub("csrf", answer.content.decode()) for answer in answers]

    remembered = pages()
    assert remembered == pages()  # warm
    monkeypatch.setattr(kept.RememberedNode, "render", lambda node, context: node.nodelist.render(context))
    assert remembered == pages()
    first, french, posted = remembered
    assert 'name="next" value="/tier/"' in first and "Forgot your password?" in first
    assert 'lang="fr"' in french
    assert f'value="{partner_admin.email}"' in posted and "alert-danger" in posted


@pytest.mark.django_db
def test_the_directory_search_form_is_the_form_rendered_afresh(client, monkeypatch):
    """Each select of templates/benefits/directory.html is remembered per language and value as sent."""
    searches = ["", "?q=cloud", "?q=x&country=JP", "?country=jp", "?country=", "?country=GB&product=flex&tier=gold",
                "?country=ZZ", "?page=0"]

    def pages():
        answers = [client.get(f"/directory/{search}", HTTP_ACCEPT_LANGUAGE=language)
                   for language in ("en", "fr") for search in searches]
        return [(answer.status_code, CSRF.sub("csrf", answer.content.decode())) for answer in answers]

    remembered = pages()
    assert remembered == pages()  # warm
    monkeypatch.setattr(kept.RememberedNode, "render", lambda node, context: node.nodelist.render(context))
    assert remembered == pages()
    by_search = dict(zip(searches, remembered, strict=False))
    assert '<option value="JP" selected>' in by_search["?q=x&country=JP"][1]
    assert " selected>" not in by_search["?country=jp"][1].split('name="country"')[1].split("</select>")[0]
    assert by_search["?country=ZZ"][0] == 400
