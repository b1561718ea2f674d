"""A strict Content-Security-Policy on every page: scripts and styles from this site only, no inline
script or style attribute, no CDN, no framing. The API docs page (Swagger UI from the sidecar package)
still works under it."""

import re
from pathlib import Path

import pytest
import requests

from .http import logged_in

ROOT = Path(__file__).resolve().parents[2]
# Email templates (templates/notifications/) are no page: no browser applies the policy to them, and mail
# clients drop style sheets, so they carry inline styles.
TEMPLATES = sorted(t for t in (ROOT / "templates").rglob("*.html")
                   if t.relative_to(ROOT / "templates").parts[0] != "notifications")
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"(src|href)=\"(https?:)?//", re.I), "a resource from another site"),
]


def _directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("template", TEMPLATES, ids=[str(t.relative_to(ROOT)) for t in TEMPLATES])
def test_templates_have_nothing_inline(template):
    text = template.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{template.relative_to(ROOT)} has {', '.join(found)}: move it to a static file"


@pytest.mark.django_db(transaction=True)
def test_every_page_has_a_strict_policy(live_server, people):
    base = live_server.url
    anonymous = requests.Session()
    answers = [anonymous.get(f"{base}{url}", timeout=10) for url in ("/", "/accounts/login/", "/apply/", "/directory/",
                                                                    "/no-such-page/")]
    staff = logged_in(live_server, people.program_admin)
    answers += [staff.get(f"{base}{url}", timeout=10) for url in ("/staff/", "/staff/audit/", "/api/v1/docs/")]
    partner = logged_in(live_server, people.partner_admin)
    answers += [partner.get(f"{base}{url}", timeout=10) for url in ("/partner/", "/badge/", "/api-tokens/")]
    for answer in answers:
        policy = _directives(answer.headers.get("Content-Security-Policy", ""))
        assert policy.get("script-src") == ["'self'"], (answer.url, policy)
        assert policy.get("style-src") == ["'self'"], (answer.url, policy)
        assert policy.get("default-src") == ["'self'"]
        assert policy.get("frame-ancestors") == ["'none'"]
        assert policy.get("object-src") == ["'none'"]
        assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]
