"""Fixed vocabularies of the showcase listing, so the public directory can filter on exact values.

ShowcaseListing stores them as comma-separated codes ("flex,segment"); countries as ISO 3166-1
alpha-2 codes ("US,GB"), like Partner.country.
"""

from django.utils.translation import gettext_lazy

# Product names are Twilio's own and stay as they are in every language.
PRODUCTS = [
    ("flex", "Flex"),
    ("segment", "Segment"),
    ("messaging", "Messaging"),
    ("voice", "Voice"),
    ("video", "Video"),
    ("verify", "Verify"),
    ("sendgrid", "SendGrid email"),
    ("conversations", "Conversations"),
    ("studio", "Studio"),
    ("frontline", "Frontline"),
]

INDUSTRIES = [
    ("financial-services", gettext_lazy("Financial services")),
    ("healthcare", gettext_lazy("Healthcare")),
    ("retail", gettext_lazy("Retail and e-commerce")),
    ("public-sector", gettext_lazy("Public sector")),
    ("education", gettext_lazy("Education")),
    ("technology", gettext_lazy("Technology")),
    ("travel", gettext_lazy("Travel and hospitality")),
    ("media", gettext_lazy("Media and entertainment")),
    ("manufacturing", gettext_lazy("Manufacturing")),
    ("telecom", gettext_lazy("Telecommunications")),
]

PRODUCT_NAMES = dict(PRODUCTS)
INDUSTRY_NAMES = dict(INDUSTRIES)


def split_codes(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def join_codes(codes):
    return ",".join(codes)


def names(value, vocabulary):
    return [vocabulary.get(code, code) for code in split_codes(value)]
