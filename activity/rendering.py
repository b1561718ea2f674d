"""A notification's words, rendered from its kind's templates in one language.

A notification stores what happened (``kind``) and its facts (``params``: plain values: names, numbers as
strings, dates in ISO form, URLs), not sentences; the words are rendered in the reader's language when they
are read: in the in-app list in the reader's language, in an email in the recipient's language at send time.
Each kind has templates/notifications/<kind>/subject.txt, body.txt and body.html (the HTML one extends the
one email layout, notifications/email.html).
"""

from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from .models import Notification

TEMPLATE_DIR = "notifications"


class Rendered(NamedTuple):
    subject: str
    text: str  # the plain-text body, without the link back
    html: str  # the whole HTML email, with the link back


def language_of(user: Any) -> str:
    """The language a user reads in: their profile's choice, else the site's default (``language`` is read
    with getattr: not every user model has it)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def link_back(url: str) -> str:
    """The absolute address of a portal page (a notification stores the path)."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def check_kind(kind: str) -> None:
    """TemplateDoesNotExist unless ``kind`` has its three templates."""
    for name in ("subject.txt", "body.txt", "body.html"):
        get_template(f"{TEMPLATE_DIR}/{kind}/{name}")


def render_subject(kind: str, params: dict, language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{TEMPLATE_DIR}/{kind}/subject.txt", _context(params))
    return " ".join(subject.split())  # one line: a mail header has no line breaks


def render_text(kind: str, params: dict, language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string(f"{TEMPLATE_DIR}/{kind}/body.txt", _context(params)).strip()


def render(kind: str, params: dict, url: str = "", language: str | None = None) -> Rendered:
    """Subject, text body and HTML email of one notification in ``language`` (default: the active one)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_subject(kind, params, language)
        context = {**_context(params), "subject": subject, "link": link_back(url) if url else "",
                   "language": translation.get_language()}
        html = render_to_string(f"{TEMPLATE_DIR}/{kind}/body.html", context)
        return Rendered(subject, render_text(kind, params, language), html)


def notification_subject(notification: "Notification", language: str | None = None) -> str:
    """What a reader sees as the subject: rendered from the kind; a notification from before kinds shows as
    it was stored."""
    if not notification.kind:
        return notification.subject
    return render_subject(notification.kind, notification.params, language)


def notification_body(notification: "Notification", language: str | None = None) -> str:
    if not notification.kind:
        return notification.body
    return render_text(notification.kind, notification.params, language)


def _context(params: dict) -> dict:
    return {"p": params}
