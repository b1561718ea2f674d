"""The catalogs are complete: every string marked in the code is in each language's catalog, and each catalog
has no untranslated or fuzzy entry (msgfmt --statistics --check). A new string cannot ship untranslated.

Until the first catalogs exist (locale/<lang>/LC_MESSAGES/django.po, made by ``make makemessages``) these
tests are skipped; from then on they check every run."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "ja", "pt_BR", "es"]
NO_CATALOGS = not (ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po").exists()
pytestmark = pytest.mark.skipif(NO_CATALOGS, reason="no catalogs yet: `make makemessages` creates them")


def catalogs(domain="django"):
    return [ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po" for language in LANGUAGES]


def makemessages_options():
    """The Makefile's MAKEMESSAGES_OPTIONS: the test extracts exactly what `make makemessages` extracts."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if line.startswith("MAKEMESSAGES_OPTIONS"))
    return line.split(":=", 1)[1].split()


def entries(path):
    """(context, msgid) of each live entry of a catalog (obsolete #~ entries are not entries)."""
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    return {(message.context, message.id[0] if isinstance(message.id, tuple) else message.id)
            for message in catalog if message.id}


def require_gettext():
    if shutil.which("msgfmt") is None or shutil.which("xgettext") is None:
        pytest.fail("msgfmt and xgettext are missing: install Debian's gettext (scripts/test.sh does when it can)")


def extracted(tmp_path, domain="django"):
    """Run makemessages over a copy of the project without its catalogs: every msgid the code marks."""
    require_gettext()
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "staticfiles", "media", "artifacts", "__pycache__", "*.po", "*.mo", "*.pot"))
    (copy / "locale").mkdir(exist_ok=True)
    options = makemessages_options()
    if domain == "djangojs":  # the scripts' own extension instead of the templates' and Python's
        options = [o for i, o in enumerate(options) if o != "-e" and (i == 0 or options[i - 1] != "-e")] + ["-e", "js"]
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", domain, *options]
    done = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=600)  # noqa: S603 - our own manage.py
    assert done.returncode == 0, done.stderr
    catalog = copy / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    return entries(catalog) if catalog.exists() else set()  # makemessages writes no file when nothing is marked


def describe(missing):
    return "\n".join(f"  {msgid!r}" + (f" (context {context!r})" if context else "")
                     for context, msgid in sorted(missing, key=lambda e: (e[1], e[0] or "")))


def test_every_marked_string_is_in_every_catalog(tmp_path):
    marked = extracted(tmp_path)
    assert marked, "makemessages found no marked string"
    problems = []
    for path in catalogs():
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
            continue
        missing = marked - entries(path)
        if missing:
            problems.append(f"{path.relative_to(ROOT)} lacks {len(missing)} msgid(s) (run `make makemessages` and "
                            f"translate them):\n{describe(missing)}")
    assert not problems, "\n".join(problems)


def test_every_javascript_string_is_in_every_catalog(tmp_path):
    """The portal's scripts show no text of their own today, so there is no djangojs catalog; the moment one
    marks a string, this fails until the catalogs exist and hold it."""
    present = [path for path in catalogs("djangojs") if path.exists()]
    marked = extracted(tmp_path, "djangojs")
    if not present:
        assert not marked, f"scripts mark strings but no djangojs catalog exists:\n{describe(marked)}"
        return
    problems = [f"{path.relative_to(ROOT)} lacks:\n{describe(marked - entries(path))}"
                for path in present if marked - entries(path)]
    assert not problems, "\n".join(problems)


def statistic(text, what):
    """A figure of msgfmt --statistics ("12 translated messages, 1 fuzzy translation, 3 untranslated messages.")."""
    match = re.search(rf"(\d+) {what}", text)
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize("path", [*catalogs(), *[p for p in catalogs("djangojs") if p.exists()]],
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_a_catalog_has_no_untranslated_or_fuzzy_entry(path):
    require_gettext()
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    msgfmt = shutil.which("msgfmt") or "msgfmt"
    done = subprocess.run([msgfmt, "--statistics", "--check", "-o", "/dev/null", str(path)],  # noqa: S603 - a catalog path
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    translated = statistic(done.stderr, "translated message")
    fuzzy, untranslated = statistic(done.stderr, "fuzzy translation"), statistic(done.stderr, "untranslated message")
    assert translated and (fuzzy, untranslated) == (0, 0), f"{path.relative_to(ROOT)}: {done.stderr.strip()}"
