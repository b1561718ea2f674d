"""Staff workspace (worklist home, reports and their charts, partner 360): every page × every role.

Partner users get 403; other_pam does not see the partner (404 on its 360); an unknown chart is 404.
"""

from .matrix import LOGIN, STAFF_PAGE, Case, expect


def _partner(world):
    return {"pk": world["staff_partner"].pk}


def world(people):
    return {"staff_partner": people.partner}


CASES = [
    Case("staff:home", STAFF_PAGE),
    Case("staff:reports", STAFF_PAGE),
    Case("staff:chart", STAFF_PAGE, kwargs=lambda w: {"name": "tier-mix"}),
    Case("staff:chart", expect(404, anonymous=LOGIN, partner_admin=403, partner_member=403, other_partner_admin=403),
         kwargs=lambda w: {"name": "no-such-chart"}, id_suffix="-unknown"),
    Case("staff:partner", expect(200, anonymous=LOGIN, partner_admin=403, partner_member=403,
                                 other_partner_admin=403, other_pam=404), kwargs=_partner),
]
