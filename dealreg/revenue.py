"""Revenue attribution, set-based: one query for any number of partners.

The rule (guide p.10 "Revenue requirements", DESIGN.md §2, docs/dealreg.md "Which revenue counts"), written
once here; the code and the tests follow it:

    A partner's revenue for a window is the sum of the estimated ARR (USD) of the opportunities that closed
    won inside the window and that the partner is attached to, where the attachment counts when

    1. the sales team added the partner on or before the close date ("a member of the Twilio sales team adds
       a partner to the sales opportunity at any time before the close of a sale"), or
    2. a deal registration of the partner for it was approved ("once approved by Twilio, the partner is added
       to the sales opportunity"): an approval on or before the close date, or a PAM-approved claim of a
       missing sourced opportunity after it ("partners can submit a deal registration request for any
       missing sourced opportunities").

    An attachment made by an approval is never removed by the registration's later expiry or withdrawal once
    the opportunity closed won inside the protection window (approval to expiry); expiry only ends the
    protection of an opportunity still open. Influenced and resell revenue both count; professional-services
    revenue never does.

Approvals attach the partner dated the approval day (source "deal_registration"); a claim's approval
attaches it with source "sourced_claim", which counts whatever the date. ``rules.attachment_counts`` is the
same rule for one attachment in plain values.
"""

from decimal import Decimal

from django.db.models import F, Q, Sum

from core.rows import driver_rows

from . import rules
from .models import Opportunity, OpportunityPartner


def attributed_attachments(*, start, end):
    """The attachments whose opportunity counts for the window [start, end] (both inclusive)."""
    return OpportunityPartner.objects.filter(
        Q(attached_on__lte=F("opportunity__close_date")) | Q(source=OpportunityPartner.Source.SOURCED_CLAIM),
        opportunity__stage=Opportunity.Stage.CLOSED_WON,
        opportunity__close_date__gte=start,
        opportunity__close_date__lte=end,
    ).exclude(opportunity__product_line=Opportunity.ProductLine.PROFESSIONAL_SERVICES)


def revenue_by_partner(*, start, end, partner_ids=None):
    """{partner_id: Decimal revenue} for the window, in one query; partners with none are absent.

    ``partner_ids`` narrows it (e.g. one partner's tier page); None means every partner.
    """
    qs = attributed_attachments(start=start, end=end)
    if partner_ids is not None:
        qs = qs.filter(partner_id__in=partner_ids)
    rows = qs.values("partner_id").order_by().annotate(total=Sum("opportunity__arr_usd"))
    return {
        partner_id: total or Decimal("0")
        for partner_id, total in driver_rows(rows.values_list("partner_id", "total"))
    }


def attachment_counts(attachment, opportunity):
    """Whether one attachment's opportunity counts for the partner (the rule above, for messages)."""
    return rules.attachment_counts(
        source=attachment.source, attached_on=attachment.attached_on, stage=opportunity.stage,
        close_date=opportunity.close_date, product_line=opportunity.product_line,
    )
