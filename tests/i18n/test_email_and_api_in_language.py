"""A notification email in each language, one delivered through a real SMTP server in the recipient's
language; the API's 400 in the language of Accept-Language, with the service's own message."""

from email.header import decode_header, make_header

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from knox.models import AuthToken

from activity import rendering, services
from activity.models import Notification
from tests.factories import UserFactory
from tests.faults.test_email_exactly_once import sink  # noqa: F401 - the SMTP sink (aiosmtpd), a fixture

from .catalog import TRANSLATED, english_left, main_text

pytestmark = pytest.mark.django_db

# A rejected deal registration: words from the templates, the customer and the PAM's reason as written.
KIND = "dealreg_rejected"
PARAMS = {"reference": "DR-00042", "customer": "Globex GmbH", "reject_reason": "duplicate",
          "reason": "Another partner registered Globex first."}
URL = "/deals/42/"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_notification_email_is_written_in_the_language(language):
    english = rendering.render(KIND, PARAMS, URL, "en")
    mail = rendering.render(KIND, PARAMS, URL, language)
    assert mail.subject != english.subject and mail.text != english.text
    # The facts are kept, in the language's sentences; nothing of our English catalog is left.
    for text in (mail.subject, mail.text, main_text(f"<main>{mail.html}</main>")):
        assert "DR-00042" in text or "Globex GmbH" in text
        assert not english_left(text, language), f"{language}: {english_left(text, language)} in {text!r}"
    assert f'<html lang="{language}">' in mail.html
    with translation.override(language):
        assert translation.gettext("Open in Build Portal") in mail.html
    assert PARAMS["reason"] in mail.text  # what the PAM wrote is not translated


def test_the_email_goes_out_in_the_recipients_language(sink):  # noqa: F811
    recipient = UserFactory(email="yuki@partner.example", language="ja")
    [notification] = services.notify(recipients=[recipient], kind=KIND, params=PARAMS, url=URL)
    assert services.notifications_send_email(notification_ids=[notification.pk]) == 1
    [subject] = sink.subjects
    assert str(make_header(decode_header(subject))) == rendering.render(KIND, PARAMS, URL, "ja").subject
    assert Notification.objects.get(pk=notification.pk).emailed_at


def test_an_api_400_is_in_spanish_with_the_services_message(people):
    """A partner admin removing themselves: the service's rule answers 400, in the language asked for."""
    admin = people.partner_admin
    token = AuthToken.objects.create(user=admin)[1]
    url = reverse("api:colleague_remove", kwargs={"pk": admin.pk})
    message = "You cannot remove yourself; ask another partner admin."
    with translation.override("es"):
        spanish = translation.gettext(message)
    assert spanish != message, "the Spanish catalog has no translation of the service's message"
    for language, expected in (("en", message), ("es", spanish)):
        response = Client(HTTP_AUTHORIZATION=f"Token {token}").post(
            url, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert response["Content-Language"] == language
        assert response.json() == {"non_field_errors": [expected]}


def test_an_api_field_error_is_in_spanish(client, people):
    """Django's and DRF's own messages too (their catalogs), next to ours."""
    client.force_login(people.partner_admin)
    response = client.post(reverse("api:person_list"), {}, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    with translation.override("es"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert response.json()["email"] == [required]
