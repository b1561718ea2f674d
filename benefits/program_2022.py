"""The 2022 program year, transcribed from ../shared/program-guide-2022.txt (version 3.0, May 2022).

Plain data; `load_program_year` writes it idempotently. A data migration and `manage.py load_program`
both call it, so the rules are rows a program admin can copy and edit for the next year. The texts in the
program's other languages are in program_2022_translations.
"""

import datetime
from decimal import Decimal

from . import program_2022_translations as translations

YEAR = 2022

PROGRAM_YEAR = {
    "name": "2022 program year",
    "starts_on": datetime.date(2022, 1, 1),
    "ends_on": datetime.date(2022, 12, 31),
}

# "Requirements by tier" (guide p.10); Global Strategic is a designation with no published requirements.
TIERS = [
    {"level": "registered", "name": "Registered", "rank": 1, "min_certified_technical": 0, "min_sales_trained": 0,
     "min_revenue_usd": Decimal("0"), "is_designation": False,
     "description": "The entry point for all new partners: accept the partner agreement."},
    {"level": "bronze", "name": "Bronze", "rank": 2, "min_certified_technical": 3, "min_sales_trained": 1,
     "min_revenue_usd": Decimal("20000"), "is_designation": False, "description": ""},
    {"level": "silver", "name": "Silver", "rank": 3, "min_certified_technical": 10, "min_sales_trained": 5,
     "min_revenue_usd": Decimal("200000"), "is_designation": False, "description": ""},
    {"level": "gold", "name": "Gold", "rank": 4, "min_certified_technical": 15, "min_sales_trained": 10,
     "min_revenue_usd": Decimal("1000000"), "is_designation": False, "description": ""},
    {"level": "global_strategic", "name": "Global Strategic", "rank": 5, "min_certified_technical": 15,
     "min_sales_trained": 10, "min_revenue_usd": Decimal("1000000"), "is_designation": True,
     "description": "A designation given by the program; it has no published requirements."},
]

I, V = "included", "invite_only"  # noqa: E741 - short names keep the table readable
LEVELS = ["registered", "bronze", "silver", "gold", "global_strategic"]

# "Benefits by tier" (guide p.6), cell by cell: (code, name, [Registered, Bronze, Silver, Gold, Global Strategic]).
BENEFITS_BY_TIER = [
    ("build-community", "Access to Build community", [I, I, I, I, I]),
    ("deal-registration", "Deal registration", [I, I, I, I, I]),
    ("certification-training", "Certification & training program", [I, I, I, I, I]),
    ("delivery-assurance-discounts", "Partner delivery assurance discounts", [I, I, I, I, I]),
    ("digital-marketing", "Digital marketing", [None, I, I, I, I]),
    ("showcase-listing", "Showcase listing", [None, I, I, I, I]),
    ("virtual-event-toolkit", "Virtual event toolkit", [None, I, I, I, I]),
    ("tier-badge", "Build tier badge", [None, I, I, I, I]),
    ("joint-account-mapping", "Joint account mapping", [None, I, I, I, I]),
    ("flex-implementation-offering", "Flex implementation offering", [None, I, I, I, I]),
    ("poc-cofunding", "Eligible for POC co-funding", [None, V, I, I, I]),
    ("mdf-cofunding", "Eligible for MDF co-funding", [None, V, I, I, I]),
    ("demo-environment", "Twilio demo environment access", [None, V, I, I, I]),
    ("global-events", "Twilio-led global events", [None, I, I, I, I]),
    ("partner-account-manager", "Partner account manager", [None, None, I, I, I]),
    ("contact-center-licenses", "Partner contact center licenses", [None, None, I, I, I]),
    ("managed-services", "Eligible for managed services program", [None, None, I, I, I]),
    ("early-beta-access", "Early Beta access to twilio products", [None, None, I, I, I]),
    ("jumpstart-demo-kit", "Partner jumpstart demo kit", [None, None, I, I, I]),
    ("partner-solution-architect", "Partner solution architect", [None, None, V, I, I]),
    ("resell-program", "Eligible for resell program", [None, None, V, V, V]),
    ("engagement-center", "Access to Twilio engagement center", [None, None, None, I, I]),
    ("business-plan", "Business plan", [None, None, None, V, I]),
    ("executive-sponsor", "Twilio executive sponsor", [None, None, None, None, I]),
]

# Partner contact-centre licences: "allocation determined by tier level" — the guide gives no numbers,
# so these defaults are the program admin's to edit (TierBenefit.quantity).
CONTACT_CENTER_LICENSES = {"silver": 5, "gold": 10, "global_strategic": 25}

# Programs in the glossary only, gated by an agreement and/or certification rather than a tier.
GATED_BENEFITS = [
    ("partner-support-program", "Partner support program", "support_addendum"),
    ("segment-promotion", "Promoting Segment services", "segment"),
]

# "{quantity}" is replaced by the cell's TierBenefit.quantity (benefits/rules.py: quantity_text).
QUANTITY_NOTES = {
    "flex-implementation-offering": "Up to {quantity} free Flex licences per customer implementation",
    "contact-center-licenses": "{quantity} free named-user Flex licences for internal use",
}

# Benefits with a tier cell that also need an agreement (Benefit.gate); the rest are gated by tier only.
TIER_CELL_GATES = {"resell-program": "resell_addendum"}

GLOSSARY = {
    "build-community": "Resources and tools for each stage of the partner journey: certification courses, deal "
    "registration, Twilio opportunity management and go-to-market materials.",
    "deal-registration": "Rewards partners that proactively bring net-new opportunities and accounts to Twilio, "
    "aligning them with Twilio sales, technical specialists and professional services.",
    "certification-training": "Online, self-paced Twilio Build certification and training programs for sales, "
    "engineering, developer and support team members; access to content is gated by tier.",
    "delivery-assurance-discounts": "A discounted partner delivery assurance package: expert resources from "
    "Twilio's professional services team to identify and mitigate integration risks.",
    "digital-marketing": "Promote a Twilio service or solution through blogs, email campaigns, partner-led events "
    "or social media promotion.",
    "showcase-listing": "Bronze, Silver, Gold and Global Strategic partners are invited to create a Twilio "
    "showcase listing to market their services and products to potential customers.",
    "virtual-event-toolkit": "A comprehensive kit based on successful Twilio-led campaigns to run virtual events.",
    "tier-badge": "Promote your Build tier badge on your website and other marketing assets, following the "
    "partner branding guidelines.",
    "joint-account-mapping": "Joint account mapping via Crossbeam: cross-reference your customer relationships "
    "with Twilio sales opportunities, by speaking with a partner account manager.",
    "flex-implementation-offering": "Up to five free Flex licences for partner use when a customer uses the "
    "partner's professional services to implement Flex.",
    "poc-cofunding": "The proof-of-concept program co-invests cash in strategic customer projects built on "
    "Twilio. Silver and above nominate a project; Bronze partners in select regions by invitation.",
    "mdf-cofunding": "Market development funds co-invest in marketing activities that create customer interest, "
    "drive partnership awareness and build pipeline.",
    "demo-environment": "A \"demo like Twilio\" learning adventure series and use of Twilio's internal demo "
    "environment during business development; speak with your PAM.",
    "global-events": "Participate in Twilio events (Engage Everywhere, Twilio Talks, SIGNAL) and invite customers.",
    "partner-account-manager": "A PAM is your primary point of contact and helps with business planning and "
    "supporting sales opportunities.",
    "contact-center-licenses": "Free named-user Flex licences for internal use; the allocation is determined by "
    "tier and evaluated at the new program year.",
    "managed-services": "Eligibility for the managed services program.",
    "early-beta-access": "Early beta access to Twilio products to stay ahead of the curve.",
    "jumpstart-demo-kit": "Create an internal demo environment (UI front ends, Flex plugins, CRM integration, SSO, "
    "Studio, TaskRouter, Functions, Autopilot) to showcase Twilio-based solutions.",
    "partner-solution-architect": "Select Silver, Gold and Global Strategic partners get a partner solution "
    "architect from the partner practice development team.",
    "resell-program": "Invite-only: end-to-end ownership of Twilio customers' lifecycle with resell terms, "
    "customer pricing and tools; requires the resell addendum.",
    "engagement-center": "Twilio's executive briefing center in San Francisco for high-value customer meetings.",
    "business-plan": "A joint business plan with activities, revenue targets and investments in joint goals.",
    "executive-sponsor": "An executive sponsor who aligns Twilio's sales teams and gives an executive-level "
    "feedback loop.",
    "partner-support-program": "Provide front-line technical support to end customers; requires the Partner "
    "Support Addendum to the Master Partner Agreement.",
    "segment-promotion": "Promoting Twilio's Segment services requires the Segment sales certification and "
    "acceptance of the Segment Partner Program Agreement.",
}

AGREEMENTS = [
    ("partner", "2022.1", "Partner agreement",
     "The partner baseline agreement governs the overall cooperative business relationship between Twilio and "
     "your organisation: the terms governing the management of the relationship and other relevant aspects of "
     "the arrangement. Every partner signs it to join the program."),
    ("resell_addendum", "2022.1", "Resell addendum",
     "Partners qualified and invited to the resell program sign this addendum to complete the resell program "
     "requirements."),
    ("support_addendum", "2022.1", "Partner support addendum",
     "An addendum to the Master Partner Agreement that stipulates all requirements of the partner support "
     "program (front-line technical support to end customers)."),
    ("segment", "2022.1", "Segment partner program agreement",
     "Required in 2022 to gain access to Segment's platform and set up a demonstration account. Demonstration "
     "accounts must not be used for production and only with non-production dummy data. Segment's partner "
     "terms are subordinate to the Twilio Partner Terms of Service."),
]


def _translated(model, field, english, texts):
    """The per-language columns of ``field`` (django-modeltranslation): English and each translation in
    ``texts`` ({language: text}). Nothing for a model without them: the migrations before benefits 0010
    load the year with models that have one column per text."""
    columns = {f.name for f in model._meta.fields}  # forward fields only: the reverse ones re-render a migration's models
    values = {translations.column(field, "en"): english,
              **{translations.column(field, language): text for language, text in texts.items()}}
    return {name: value for name, value in values.items() if name in columns}


def _in_each_language(table, key, index=None):
    """{language: text} of one key of a translations table (``index`` picks from a (name, text) pair)."""
    found = {}
    for language in translations.LANGUAGES:
        value = table.get(language, {}).get(key)
        if value is not None:
            found[language] = value if index is None else value[index]
    return found


def load_program_year(*, ProgramYear, Tier, Benefit, TierBenefit, Agreement):
    """Write the 2022 program year. Safe to run again: rows are matched by their natural keys."""
    year, _ = ProgramYear.objects.update_or_create(year=YEAR, defaults=PROGRAM_YEAR)
    for row in TIERS:
        description = _translated(Tier, "description", row["description"],
                                  _in_each_language(translations.TIER_DESCRIPTIONS, row["level"]))
        Tier.objects.update_or_create(program_year=year, level=row["level"], defaults={**row, **description})
    position = 0
    for code, name, cells in BENEFITS_BY_TIER:
        position += 1
        benefit, _ = Benefit.objects.update_or_create(
            program_year=year, code=code,
            defaults={"name": name, "glossary": GLOSSARY[code], "gate": TIER_CELL_GATES.get(code, "tier"),
                      "position": position,
                      "quantity_note": QUANTITY_NOTES.get(code, ""),
                      **_benefit_texts(Benefit, code, name)},
        )
        for level, availability in zip(LEVELS, cells, strict=True):
            if availability is None:
                TierBenefit.objects.filter(benefit=benefit, tier=level).delete()
                continue
            quantity = CONTACT_CENTER_LICENSES.get(level) if code == "contact-center-licenses" else None
            if code == "flex-implementation-offering":
                quantity = 5
            TierBenefit.objects.update_or_create(
                benefit=benefit, tier=level, defaults={"availability": availability, "quantity": quantity}
            )
    for code, name, gate in GATED_BENEFITS:
        position += 1
        Benefit.objects.update_or_create(
            program_year=year, code=code,
            defaults={"name": name, "glossary": GLOSSARY[code], "gate": gate, "position": position,
                      **_benefit_texts(Benefit, code, name)},
        )
    for kind, version, title, body in AGREEMENTS:
        if not Agreement.objects.filter(kind=kind, version=version).exists():
            Agreement.objects.filter(kind=kind, is_current=True).update(is_current=False)
            Agreement.objects.create(
                kind=kind, version=version, title=title, body=body, published_on=datetime.date(2022, 1, 1),
                is_current=True,
                **_translated(Agreement, "title", title, _in_each_language(translations.AGREEMENTS, kind, 0)),
                **_translated(Agreement, "body", body, _in_each_language(translations.AGREEMENTS, kind, 1)),
            )
    return year


def _benefit_texts(Benefit, code, name):
    """A benefit's name, glossary text and quantity note in every language the program speaks."""
    return {
        **_translated(Benefit, "name", name, _in_each_language(translations.BENEFITS, code, 0)),
        **_translated(Benefit, "glossary", GLOSSARY[code], _in_each_language(translations.BENEFITS, code, 1)),
        **_translated(Benefit, "quantity_note", QUANTITY_NOTES.get(code, ""),
                      _in_each_language(translations.QUANTITY_NOTES, code)),
    }
