"""Journeys in a real browser: Debian's Chromium driven by Playwright against the live server on PostgreSQL.

Nothing downloads a browser: Playwright launches /usr/bin/chromium (scripts/test.sh installs the
Debian package when it is missing). Screenshots of key pages go to artifacts/screenshots/.

A journey runs in the language its browser asks for: the ``language`` fixture (English unless a journey
parametrizes it) sets the context's locale, so Chromium sends it as Accept-Language; ``t`` gives the words
such a page shows, from our catalogs.
"""

import base64
import hashlib
import hmac
import os
import shutil
import struct
import time
from pathlib import Path

import pytest
from django.db import connections
from django.utils import translation

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# tests/factories.py activate_totp() gives every staff user this authenticator secret.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
PASSWORD = "pw-for-tests-123"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
# The browser's locale per portal language (what Chromium sends as Accept-Language).
LOCALES = {"en": "en-US", "fr": "fr-FR", "ja": "ja-JP", "pt-br": "pt-BR", "es": "es-ES"}


@pytest.fixture
def language():
    """The language a journey's browsers ask for; a journey runs in others with parametrize("language", ...)."""
    return "en"


def t(language, message, context=None, **params):
    """The words a page in ``language`` shows for one of our msgids (with its context and placeholders)."""
    with translation.override(language):
        text = translation.pgettext(context, message) if context else translation.gettext(message)
    return text % params if params else text


def label(language, choice):
    """A model choice's label as a page in ``language`` shows it."""
    with translation.override(language):
        return str(choice.label)


def new_context(browser, live_server, language):
    return browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                               locale=LOCALES[language])


@pytest.fixture
def browser():
    # Function-scoped on purpose: Playwright's sync API runs an event loop in this thread, and while it
    # runs Django hands the test a context-local database connection. A session-scoped browser would
    # start before pytest-django restores the database (serialized rollback) on the original connection,
    # so the restore would be skipped and the test would see an emptied database.
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required for browser journeys (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # That context-local connection is not one pytest-django knows: left open, it outlives the test and
        # holds the test database when the session drops it.
        connections.close_all()


@pytest.fixture
def page(browser, live_server, settings, language):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    context = new_context(browser, live_server, language)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def open_page(browser, live_server, settings, language):
    """open_page() gives another person their own browser (cookies apart), so each stays logged in: a
    staff user logging in twice within one 30-second step could not reuse the code (allauth refuses replays)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    contexts = []

    def make():
        context = new_context(browser, live_server, language)
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_timeout(15000)
        return new_page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shoot(request):
    """shoot(page, "name") saves a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = request.node.name

    def take(page, name):
        path = SCREENSHOTS / f"{prefix}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def totp_code(secret, *, at=None):
    """The current RFC 6238 code (6 digits, 30-second steps, HMAC-SHA-1) of a base32 secret."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def log_in_staff(page, email, password, secret=STAFF_TOTP_SECRET):
    """Staff log in with their password, then the authenticator code on allauth's two-factor page."""
    log_in(page, email, password)
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    # allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE 0): a code typed in the last
    # seconds of its step could expire before the server checks it, so wait for the clock to roll over.
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.1)
    page.fill("input[name=code]", totp_code(secret))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/accounts/" not in page.url, f"two-factor login did not finish: {page.url}"


def log_out(page):
    """Ends the session by dropping its cookies (the next person logs in in the same browser context)."""
    page.context.clear_cookies()
