"""Fixed vocabularies of the showcase listing, so the public directory can filter on exact values.

ShowcaseListing stores them as comma-separated codes ("flex,segment"); countries as ISO 3166-1
alpha-2 codes ("US,GB"), like Partner.country.
"""

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
    ("financial-services", "Financial services"),
    ("healthcare", "Healthcare"),
    ("retail", "Retail and e-commerce"),
    ("public-sector", "Public sector"),
    ("education", "Education"),
    ("technology", "Technology"),
    ("travel", "Travel and hospitality"),
    ("media", "Media and entertainment"),
    ("manufacturing", "Manufacturing"),
    ("telecom", "Telecommunications"),
]

PRODUCT_NAMES = dict(PRODUCTS)
INDUSTRY_NAMES = dict(INDUSTRIES)


def split_codes(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def join_codes(codes):
    return ",".join(codes)


def names(value, vocabulary):
    return [vocabulary.get(code, code) for code in split_codes(value)]
