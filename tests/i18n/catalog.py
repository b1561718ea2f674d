"""Reading our gettext catalogs (locale/<lang>/LC_MESSAGES/django.po) and finding English left on a page.

A small reader of the .po format (no new dependency): the entries' msgctxt, msgid, msgid_plural and msgstr,
the fuzzy flag, and obsolete entries (#~) left out. A page "still speaks English" where a msgid of two words
or more, whose translation is another text, appears verbatim in the page's main content.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.utils.translation import to_locale

LOCALE = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = ("fr", "ja", "pt-br", "es")

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
# Python (%(name)s, %s, %d) and brace placeholders: the text around them is what a page shows.
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfi]|%[sdfi]|\{[^}]*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstrs: dict = field(default_factory=dict)  # index (0 for a singular entry) -> text
    fuzzy: bool = False

    @property
    def translations(self):
        """What gettext would show instead of the msgid: nothing for an empty or fuzzy entry."""
        return [] if self.fuzzy else [text for text in self.msgstrs.values() if text]


def _unquote(line):
    body = line.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def catalog_path(language):
    return LOCALE / to_locale(language) / "LC_MESSAGES" / "django.po"


@cache
def entries(language):
    """Every live entry of a language's catalog but the header (msgid "")."""
    result, entry, key, flags = [], None, None, set()
    for raw in catalog_path(language).read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry is not None:
                result.append(entry)
            entry, key = None, None
            if not line:
                flags = set()
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if entry is not None and key is not None:
                _append(entry, key, _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry is not None and (key or "").startswith("msgstr"):
            result.append(entry)
            entry = None
        if entry is None:
            entry = Entry(fuzzy="fuzzy" in flags)
            flags = set()
        key = keyword
        _append(entry, key, _unquote(rest))
    return [e for e in result if e.msgid]


def _append(entry, key, text):
    if key == "msgid":
        entry.msgid += text
    elif key == "msgid_plural":
        entry.msgid_plural += text
    elif key == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif key.startswith("msgstr"):
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.msgstrs[index] = entry.msgstrs.get(index, "") + text


def _words(text):
    return len(text.split())


def _phrases(source):
    """The English texts a page would show for one msgid: the whole msgid without placeholders, or, with
    placeholders, each literal stretch of three words or more between them (fewer words are too often in
    any text). Markup in a msgid is not what a page's text shows, so such msgids are left out."""
    if "<" in source or ">" in source:
        return []
    text = " ".join(source.split())
    if not _PLACEHOLDER.search(text):
        return [text] if _words(text) >= 2 else []
    parts = (" ".join(part.split()).strip(" ,;:") for part in _PLACEHOLDER.split(text))
    return [part for part in parts if _words(part) >= 3]


@cache
def english_phrases(language):
    """(phrase, msgid) pairs a page in ``language`` must not show: every phrase of our English msgids whose
    translation in that language's catalog is another text (an untranslated entry counts: it shows English)."""
    pairs = []
    for entry in entries("fr"):  # the msgids are the same in every catalog; fr's is the reference
        translated = _translation_of(entry, language)
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            for phrase in _phrases(source):
                if any(phrase in text for text in translated):
                    continue  # kept as is in this language (a product or program name)
                pairs.append((phrase, entry.msgid))
    return pairs


@cache
def _index(language):
    return {(e.msgctxt, e.msgid): e for e in entries(language)}


def _translation_of(entry, language):
    found = _index(language).get((entry.msgctxt, entry.msgid))
    return found.translations if found else []


def english_left(text, language):
    """The msgids (sorted, once each) of which a phrase appears in ``text`` as whole words."""
    found = set()
    for phrase, msgid in english_phrases(language):
        if phrase in text and re.search(_whole_words(phrase), text):
            found.add(msgid)
    return sorted(found)


def _whole_words(phrase):
    """A pattern for the phrase not inside a longer word ("Open deals" is not in "Reopen dealsets")."""
    start = r"(?<!\w)" if phrase[0].isalnum() else ""
    end = r"(?!\w)" if phrase[-1].isalnum() else ""
    return f"{start}{re.escape(phrase)}{end}"


class _MainText(HTMLParser):
    """The text people read in <main>: text nodes, and the attributes that are read too (placeholder,
    title, aria-label, alt, a button's value). Scripts and styles are not read."""

    READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # elements open inside <main>; 0 = outside
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main" and not self.depth:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag not in self.VOID:
            self.depth += 1
            if tag in ("script", "style", "template") or self.skip:
                self.skip += 1
        values = dict(attrs)
        self.parts += [values[name] for name in self.READ_ATTRIBUTES if values.get(name)]
        if tag in ("input", "button") and values.get("type") in ("submit", "button", "reset") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if not self.depth or tag in self.VOID:
            return
        if self.skip:
            self.skip -= 1
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def main_text(html):
    """The page's <main> content as one line of text (whitespace collapsed), attributes included."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    assert parser.parts or "<main" in html, "the page has no <main> element"
    return " ".join(" ".join(parser.parts).split())
