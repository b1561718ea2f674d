"""The language switcher on every page, the choice kept on the profile and in the session, the browser's
Accept-Language on a first visit, and the API's language (Accept-Language, then the token user's profile)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from knox.models import AuthToken

from partners.models import User

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "English", "fr": "français", "ja": "日本語", "pt-br": "português (Brasil)", "es": "español"}


def switcher(html):
    """The switcher's form: its action, its options (code → name) and the selected one."""
    match = re.search(r'<form[^>]*action="([^"]+)"[^>]*data-language-switcher>(.*?)</form>', html, re.S)
    assert match, "no language switcher on the page"
    action, body = match.groups()
    options = dict(re.findall(r'<option value="([^"]+)" lang="[^"]+"(?: selected)?>([^<]+)</option>', body))
    selected = re.findall(r'<option value="([^"]+)"[^>]* selected>', body)
    return action, options, selected, body


def test_the_login_page_has_the_switcher_with_the_five_languages_named_in_themselves(client):
    html = client.get(reverse("account_login")).content.decode()
    action, options, selected, body = switcher(html)
    assert action == reverse("set_language")
    assert options == LANGUAGES
    assert selected == ["en"]
    # The submit input sends the form without JavaScript; no inline handler (the CSP forbids inline script).
    assert '<input class="btn btn-sm btn-outline-light" type="submit" value="Change">' in body
    assert "onchange" not in html and "csrfmiddlewaretoken" in body
    assert '<html lang="en">' in html


def test_a_signed_in_page_has_the_switcher(client, partner_admin):
    client.force_login(partner_admin)
    html = client.get(reverse("partner_home")).content.decode()
    action, options, selected, _ = switcher(html)
    assert (action, options, selected) == (reverse("set_language"), LANGUAGES, ["en"])


def test_a_first_visit_follows_accept_language(client):
    answer = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    assert answer["Content-Language"] == "fr"
    html = answer.content.decode()
    assert '<html lang="fr">' in html and switcher(html)[2] == ["fr"]
    # A language the portal does not speak falls back to English.
    assert client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "en"
    assert client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="pt-BR")["Content-Language"] == "pt-br"


def test_choosing_before_signing_in_is_kept_in_the_session(client):
    answer = client.post(reverse("set_language"), {"language": "ja", "next": reverse("account_login")})
    assert answer.status_code == 302 and answer["Location"] == reverse("account_login")
    assert client.session["language"] == "ja"
    # The session's choice wins over the browser's.
    answer = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es")
    assert answer["Content-Language"] == "ja"


def test_choosing_when_signed_in_saves_the_profile_and_the_session(client, partner_admin):
    client.force_login(partner_admin)
    answer = client.post(reverse("set_language"), {"language": "pt-br", "next": reverse("partner_home")})
    assert answer.status_code == 302
    partner_admin.refresh_from_db()
    assert partner_admin.language == "pt-br"
    assert client.session["language"] == "pt-br"
    assert client.get(reverse("partner_home"), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "pt-br"


def test_the_profile_language_follows_the_user_to_a_new_session(client, partner_admin):
    User.objects.filter(pk=partner_admin.pk).update(language="es")
    client.force_login(partner_admin)
    answer = client.get(reverse("partner_home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert answer["Content-Language"] == "es"
    assert '<html lang="es">' in answer.content.decode()


def test_a_blank_profile_language_follows_the_browser(client, partner_admin):
    client.force_login(partner_admin)
    assert client.get(reverse("partner_home"), HTTP_ACCEPT_LANGUAGE="ja")["Content-Language"] == "ja"


def test_an_unknown_language_changes_nothing(client, partner_admin):
    client.force_login(partner_admin)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    partner_admin.refresh_from_db()
    assert partner_admin.language == "" and "language" not in client.session


def test_the_switcher_works_before_the_partner_agreement_is_accepted(client, partner):
    """The agreement gate sends a new partner user to the agreements page: choosing a language there works."""
    from tests.factories import UserFactory

    newcomer = UserFactory(email="new@acme.example", partner=partner, partner_role="member")
    partner.acceptances.all().delete()
    client.force_login(newcomer)
    answer = client.post(reverse("set_language"), {"language": "fr", "next": reverse("partners:agreements")})
    assert answer.status_code == 302 and answer["Location"] == reverse("partners:agreements")
    newcomer.refresh_from_db()
    assert newcomer.language == "fr"


def test_set_language_refuses_get(client):
    assert client.get(reverse("set_language"), {"language": "fr"}).status_code == 405


def _token(user):
    return AuthToken.objects.create(user=user)[1]


def test_a_token_request_follows_accept_language_first_then_the_profile(client, partner_admin):
    User.objects.filter(pk=partner_admin.pk).update(language="ja")
    headers = {"HTTP_AUTHORIZATION": f"Token {_token(partner_admin)}"}
    url = reverse("api:dealreg-registrations")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="es", **headers)["Content-Language"] == "es"
    assert client.get(url, **headers)["Content-Language"] == "ja"
    # A header naming only languages the portal does not speak leaves the profile's.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="de", **headers)["Content-Language"] == "ja"


def test_an_api_400_in_spanish(client, partner_admin):
    """Django's and DRF's own messages ship translated: a required field answers in the Accept-Language."""
    headers = {"HTTP_AUTHORIZATION": f"Token {_token(partner_admin)}"}
    answer = client.post(reverse("api:dealreg-registrations"), {}, content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="es", **headers)
    assert answer.status_code == 400, answer.content
    # Our catalog comes first (LOCALE_PATHS), so the wording is ours where we translate the same msgid.
    with translation.override("es"):
        spanish = str(translation.gettext("This field is required."))
    assert spanish.startswith("Este campo es") and spanish in answer.content.decode()
    english = client.post(reverse("api:dealreg-registrations"), {}, content_type="application/json", **headers)
    assert "This field is required." in english.content.decode()
