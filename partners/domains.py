"""Customer and partner web domains, normalised so that one company is one key."""

import re

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_VALID = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalise_domain(value):
    """'HTTPS://www.Example.com/path' -> 'example.com'. Returns '' when nothing usable is left."""
    text = (value or "").strip().lower()
    text = _SCHEME.sub("", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    if text.startswith("www."):
        text = text[4:]
    return text


def is_valid_domain(domain):
    return bool(_VALID.match(domain or ""))
