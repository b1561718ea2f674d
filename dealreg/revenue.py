"""Revenue attribution, set-based: one query for any number of partners.

A partner's revenue for a window = the sum of estimated ARR (USD) of closed-won opportunities closed
inside the window that the partner was attached to on or before the close date, by the sales team or
through an approved deal registration. Influenced and resell revenue both count; professional services
never does (guide p.10 "Revenue requirements", DESIGN.md §2).
"""

from decimal import Decimal

from django.db.models import F, Sum

from .models import Opportunity, OpportunityPartner


def attributed_attachments(*, start, end):
    """The attachments whose opportunity counts for the window [start, end] (both inclusive)."""
    return OpportunityPartner.objects.filter(
        opportunity__stage=Opportunity.Stage.CLOSED_WON,
        opportunity__close_date__gte=start,
        opportunity__close_date__lte=end,
        # An attachment made after the sale closed does not count (guide p.10: "before the close of a sale").
        attached_on__lte=F("opportunity__close_date"),
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
        for partner_id, total in rows.values_list("partner_id", "total")
    }
