"""The OpenAPI schema is one document in the program's source language, whatever the request's language
(docs/api.md): what is translated is the API's answers, not its description."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# A model help text the schema describes a field with (dealreg's domain), translated in every catalog.
HELP_TEXT = "Normalised customer web domain"


def _schema(client, **headers):
    response = client.get(reverse("api:schema"), {"format": "json"}, **headers)
    assert response.status_code == 200
    return response


def test_the_schema_in_japanese_is_the_english_one(client):
    with translation.override("ja"):
        assert translation.gettext(HELP_TEXT) != HELP_TEXT, "the Japanese catalog has no translation of it"
    english = _schema(client, HTTP_ACCEPT_LANGUAGE="en")
    assert HELP_TEXT in english.content.decode()
    for language in ("ja", "fr", "pt-BR", "es"):
        answer = _schema(client, HTTP_ACCEPT_LANGUAGE=language)
        assert answer.json() == english.json(), language
        assert answer["Content-Language"] == "en"


def test_asking_for_a_language_by_parameter_changes_nothing_either(client):
    english = _schema(client).json()
    response = client.get(reverse("api:schema"), {"format": "json", "lang": "ja"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.json() == english


def test_the_api_still_answers_in_the_readers_language(client, partner_admin):
    """Next to the English schema, an answer's words follow Accept-Language (a 400 of DRF's own catalog)."""
    client.force_login(partner_admin)
    response = client.post(reverse("api:dealreg-registrations"), {}, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    with translation.override("ja"):
        assert response.json()["customer_company"] == [translation.gettext("This field is required.")]
