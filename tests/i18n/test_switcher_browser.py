"""The language switcher in Debian's Chromium, under the Content-Security-Policy: with JavaScript picking a
language is enough (static/js/language.js), without it the submit input sends the form."""

import pytest

from tests.browser.conftest import browser, language, log_in, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _policy_violations(page):  # noqa: F811 - the fixture's name
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    return found


def test_picking_a_language_on_the_login_page_reloads_it_in_that_language(page):  # noqa: F811
    violations = _policy_violations(page)
    page.goto("/accounts/login/")
    assert page.get_attribute("html", "lang") == "en"
    switcher = page.locator("form[data-language-switcher]")
    assert not switcher.locator("[type=submit]").is_visible()  # JavaScript sends the form on change
    with page.expect_navigation():
        page.select_option("#language-switcher", "ja")
    page.wait_for_url("**/accounts/login/")
    assert page.get_attribute("html", "lang") == "ja"
    assert page.locator("#language-switcher option:checked").inner_text() == "日本語"
    assert not violations, violations


def test_the_switcher_works_without_javascript(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.select_option("#language-switcher", "es")
        with page.expect_navigation():
            page.click("form[data-language-switcher] [type=submit]")
        assert page.get_attribute("html", "lang") == "es"
    finally:
        context.close()


def test_a_signed_in_partner_keeps_the_choice_on_the_profile(page, partner_admin):  # noqa: F811
    log_in(page, partner_admin.email, "pw-for-tests-123")
    page.wait_for_url("**/partner/**")
    with page.expect_navigation():
        page.select_option("#language-switcher", "fr")
    assert page.get_attribute("html", "lang") == "fr"
    partner_admin.refresh_from_db()
    assert partner_admin.language == "fr"
