from datetime import date

from tests.factories import program_year_like_2022
from tiers import services

from .matrix import (
    LOGIN,
    PARTNER_API,
    PARTNER_PAGE,
    PROGRAM_ADMIN_API,
    PROGRAM_ADMIN_PAGE,
    Case,
    expect,
)


def world(people):
    program_year_like_2022(2023)
    program_year_like_2022(2030, status="draft")  # prepared, not published yet
    run = services.run_preview(kind="annual", as_of=date(2023, 1, 1), started_by=people.program_admin)
    return {"partner": people.partner, "run": run}


PARTNER = lambda w: {"partner_id": w["partner"].pk}  # noqa: E731
RUN = lambda w: {"run_id": w["run"].pk}  # noqa: E731
YEAR = lambda w: {"year": 2022}  # noqa: E731
REASON = lambda w: {"action": "give", "reason": "Global alliance signed"}  # noqa: E731

# A partner's standing: its own users (own page / API), staff who may see the partner. The other
# partner's admin and the other PAM get 404 for it; the designation is the program admin's.
STAFF_STANDING_PAGE = expect(403, anonymous=LOGIN, pam=200, other_pam=404, psa=200, program_admin=200)
STANDING_API = expect(200, anonymous=403, other_partner_admin=404, other_pam=404)
DESIGNATION = expect(403, anonymous=LOGIN, other_pam=404, program_admin=302)
DESIGNATION_API = expect(403, anonymous=403, other_pam=404, program_admin=200)

CASES = [
    Case("tiers:standing", PARTNER_PAGE),
    Case("tiers:partner_standing", STAFF_STANDING_PAGE, kwargs=PARTNER),
    Case("tiers:designation", DESIGNATION, kwargs=PARTNER, method="post", data=REASON),
    Case("tiers:runs", PROGRAM_ADMIN_PAGE),
    Case("tiers:runs", expect(403, anonymous=LOGIN, program_admin=302), method="post",
         data=lambda w: {"kind": "midyear", "as_of": "2022-07-01"}, id_suffix="[post]"),
    Case("tiers:run_detail", PROGRAM_ADMIN_PAGE, kwargs=RUN),
    Case("tiers:run_apply", PROGRAM_ADMIN_PAGE, kwargs=RUN, id_suffix="[confirm page]"),
    Case("tiers:run_apply", expect(403, anonymous=LOGIN, program_admin=302), kwargs=RUN, method="post",
         data=lambda w: {"confirm": "yes"}),
    # Copying a year (page action and API) is the benefits app's: see cases_benefits.py.
    Case("tiers:program_years", PROGRAM_ADMIN_PAGE),
    Case("tiers:program_year_edit", PROGRAM_ADMIN_PAGE, kwargs=YEAR),
    Case("tiers:program_year_publish", expect(403, anonymous=LOGIN, program_admin=302), method="post",
         kwargs=lambda w: {"year": 2030}),
    Case("tiers:program_year_close", expect(403, anonymous=LOGIN, program_admin=302), method="post", kwargs=YEAR),
    Case("api:tier_standing", PARTNER_API),
    Case("api:partner_tier_standing", STANDING_API, kwargs=PARTNER),
    Case("api:partner_designation", DESIGNATION_API, kwargs=PARTNER, method="post", data=REASON,
         content_type="application/json"),
    Case("api:tier_runs", PROGRAM_ADMIN_API),
    Case("api:tier_runs", expect(403, anonymous=403, program_admin=201), method="post",
         data=lambda w: {"kind": "midyear", "as_of": "2022-07-01"}, content_type="application/json",
         id_suffix="[post]"),
    Case("api:tier_run_detail", PROGRAM_ADMIN_API, kwargs=RUN),
    Case("api:tier_run_assessments", PROGRAM_ADMIN_API, kwargs=RUN),
    Case("api:tier_run_apply", PROGRAM_ADMIN_API, kwargs=RUN, method="post", data=lambda w: {"confirm": True},
         content_type="application/json"),
    Case("api:program_years", PROGRAM_ADMIN_API),
    Case("api:program_year_detail", PROGRAM_ADMIN_API, kwargs=YEAR),
    Case("api:program_year_detail", PROGRAM_ADMIN_API, kwargs=YEAR, method="patch",
         data=lambda w: {"provisional_period_days": 60}, content_type="application/json", id_suffix="[patch]"),
    Case("api:program_year_publish", PROGRAM_ADMIN_API, method="post", kwargs=lambda w: {"year": 2030}),
    Case("api:program_year_close", PROGRAM_ADMIN_API, method="post", kwargs=YEAR),
]
