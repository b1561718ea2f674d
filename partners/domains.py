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


def outside_company_domain(email, company_domain):
    """True when ``email`` is not at the company's domain or one of its subdomains (inviting someone outside
    the company is allowed, once confirmed: contractors and agencies have their own addresses)."""
    address_domain = normalise_domain((email or "").rsplit("@", 1)[-1])
    company = normalise_domain(company_domain)
    if not address_domain or not company:
        return False
    return not (address_domain == company or address_domain.endswith("." + company))
