"""Partners app (company, agreements, colleagues and invitations, people roster, staff pages, audit trail):
every page and endpoint × every role.

The world: the partner (Silver, PAM = pam, PSA = psa) has a person with a completion, an open
invitation and its member as a colleague to remove. The other partner's admin is the outsider (404);
other_pam does not see the partner (404); pam and psa see it but may not change it (403).
"""

import datetime

from partners import api_tokens, services
from partners.models import Agreement, Completion, PartnerRole, Person

from .matrix import (
    API_UNAUTHENTICATED,
    LOGIN,
    PARTNER_API,
    PARTNER_PAGE,
    PROGRAM_ADMIN_API,
    PROGRAM_ADMIN_PAGE,
    STAFF_API,
    STAFF_PAGE,
    Case,
    expect,
)


def world(people):
    person = Person.objects.create(partner=people.partner, name="Core Person", email="core.person@acme.example")
    completion = Completion.objects.create(person=person, course="platform", completed_on=datetime.date(2022, 3, 1))
    invitation, token = services.invitation_create(
        partner=people.partner, email="invitee@acme.example", role=PartnerRole.MEMBER, invited_by=people.partner_admin
    )
    return {"core_partner": people.partner, "core_person": person, "core_completion": completion,
            "core_invitation": invitation, "core_token": token, "core_colleague": people.partner_member,
            "core_optional_agreement": Agreement.objects.get(kind=Agreement.Kind.SUPPORT_ADDENDUM, is_current=True),
            "core_api_token": api_tokens.api_token_create(user=people.partner_admin)[0]}


def partner_kw(w):
    return {"partner_id": w["core_partner"].pk}


def partner_pk(w):
    return {"pk": w["core_partner"].pk}


# Pages of one's own company that only its admin (or a program admin) may change.
OWN_ADMIN_PAGE = expect(403, anonymous=LOGIN, partner_admin=200, other_partner_admin=200)
# A page or action on the partner's object: admin and program admin may; those who see the partner
# but may not change it get 403; those who do not see it get 404.
MANAGE = dict(partner_admin=200, partner_member=403, other_partner_admin=404, pam=403, other_pam=404, psa=403,
              program_admin=200)
MANAGE_PAGE = expect(200, anonymous=LOGIN, **MANAGE)
MANAGE_POST = expect(302, anonymous=LOGIN, **{k: 302 if v == 200 else v for k, v in MANAGE.items()})
MANAGE_API = expect(200, anonymous=403, **MANAGE)
MANAGE_API_CREATE = expect(201, anonymous=403, **{k: 201 if v == 200 else v for k, v in MANAGE.items()})
SEE = dict(partner_admin=200, partner_member=200, other_partner_admin=404, pam=200, other_pam=404, psa=200,
           program_admin=200)

PERSON_MOVE = {"email": "core.person@acme.example", "to_domain": "other.example", "reason": "Joined Other Co."}

CASES = [
    Case("home", expect(302, anonymous=200)),
    # 503 here: no Celery worker consumes this test run's queue (tests/security/test_health.py has one).
    Case("healthz", expect(503)),
    # The language switcher of every page: anyone may choose (the login page has it too), and it only redirects.
    Case("set_language", expect(302), method="post", data=lambda w: {"language": "fr", "next": "/"},
         redirects_anyone=True),
    Case("api:schema", expect(200)),
    Case("api:docs", expect(200)),
    Case("partners:apply", expect(302, anonymous=200)),
    Case("partners:agreements", expect(403, anonymous=LOGIN, partner_admin=200, partner_member=200,
                                       other_partner_admin=200)),
    Case("partner_home", PARTNER_PAGE),
    Case("partners:colleagues", PARTNER_PAGE),
    Case("partners:people", PARTNER_PAGE),
    Case("partners:person_create", OWN_ADMIN_PAGE),
    Case("partners:people_import", OWN_ADMIN_PAGE),
    Case("partners:people_import_template", PARTNER_PAGE),
    Case("partners:person_edit", MANAGE_PAGE, kwargs=lambda w: {"pk": w["core_person"].pk}),
    Case("partners:person_delete", MANAGE_POST, kwargs=lambda w: {"pk": w["core_person"].pk}, method="post"),
    Case("partners:completion_add", MANAGE_POST, kwargs=lambda w: {"pk": w["core_person"].pk}, method="post",
         data=lambda w: {"course": "sellers_101", "completed_on": "2022-05-01"}),
    Case("partners:completion_delete", MANAGE_POST, kwargs=lambda w: {"pk": w["core_completion"].pk}, method="post"),
    Case("partners:invite", MANAGE_PAGE, kwargs=partner_kw),
    Case("partners:invitation_revoke", MANAGE_POST, kwargs=lambda w: {"pk": w["core_invitation"].pk}, method="post"),
    Case("partners:invitation_accept", expect(302, anonymous=200), kwargs=lambda w: {"token": w["core_token"]}),
    Case("partners:colleague_remove", MANAGE_POST, kwargs=lambda w: {"pk": w["core_colleague"].pk}, method="post"),
    Case("partners:staff_partners", STAFF_PAGE),
    Case("partners:partner_names", STAFF_PAGE),
    Case("partners:partner_team", PROGRAM_ADMIN_PAGE, kwargs=partner_pk),
    Case("partners:person_move", PROGRAM_ADMIN_PAGE, kwargs=partner_pk),
    Case("partners:person_move", expect(403, anonymous=LOGIN, program_admin=302), kwargs=partner_pk, method="post",
         data=lambda w: PERSON_MOVE, id_suffix="-post"),
    Case("partners:audit", PROGRAM_ADMIN_PAGE),
    # API
    Case("api:agreement_list", PARTNER_API),
    Case("api:agreement_accept", expect(403, partner_admin=201, other_partner_admin=201), method="post",
         kwargs=lambda w: {"pk": w["core_optional_agreement"].pk}),
    Case("api:my_partner", PARTNER_API),
    Case("api:partner_home", PARTNER_API),
    Case("api:person_list", PARTNER_API),
    Case("api:person_list", expect(403, partner_admin=201, other_partner_admin=201), method="post", id_suffix="-post",
         data=lambda w: {"name": "New Person", "email": "new.person@example.com", "job_role": "sales"},
         content_type="application/json"),
    Case("api:completion_upsert", expect(403, partner_admin=200, other_partner_admin=200), method="post",
         data=lambda w: {"rows": [{"email": "api.person@example.com", "name": "Api Person", "course": "platform",
                                   "completed_on": "2022-02-01"}]},
         content_type="application/json"),
    Case("api:partner_list", STAFF_API),
    Case("api:partner_detail", expect(200, anonymous=403, **SEE), kwargs=partner_pk),
    Case("api:partner_team", PROGRAM_ADMIN_API, kwargs=partner_pk, method="post",
         data=lambda w: {"pam": w["core_partner"].pam_id, "psa": None}, content_type="application/json"),
    Case("api:person_move", PROGRAM_ADMIN_API, kwargs=partner_pk, method="post", data=lambda w: PERSON_MOVE,
         content_type="application/json"),
    Case("api:invitation_list", MANAGE_API, kwargs=partner_kw),
    Case("api:invitation_list", MANAGE_API_CREATE, kwargs=partner_kw, method="post", id_suffix="-post",
         data=lambda w: {"email": "second.invitee@acme.example", "role": "member"}, content_type="application/json"),
    Case("api:colleague_list", expect(200, anonymous=403, **SEE), kwargs=partner_kw),
    Case("api:invitation_accept", expect(403, anonymous=201), method="post",
         data=lambda w: {"token": w["core_token"], "full_name": "In Vitee", "password": "a-long-pass-phrase-9"},
         content_type="application/json"),
    Case("api:invitation_revoke", MANAGE_API, kwargs=lambda w: {"pk": w["core_invitation"].pk}, method="post"),
    Case("api:colleague_remove", MANAGE_API, kwargs=lambda w: {"pk": w["core_colleague"].pk}, method="post"),
    Case("api:audit_list", PROGRAM_ADMIN_API),
    # One's own API tokens: everyone signed in has them; another's token is 404 to all but its owner.
    Case("partners:api_tokens", expect(200, anonymous=LOGIN)),
    Case("partners:api_tokens", expect(200, anonymous=LOGIN), method="post", id_suffix="-post"),
    Case("partners:api_token_revoke", expect(404, anonymous=LOGIN, partner_admin=302), method="post",
         kwargs=lambda w: {"token_id": api_tokens.public_id(w["core_api_token"])}),
    Case("api:api_token_list", expect(200, anonymous=API_UNAUTHENTICATED)),
    Case("api:api_token_list", expect(201, anonymous=API_UNAUTHENTICATED), method="post", id_suffix="-post"),
    Case("api:api_token_revoke", expect(404, anonymous=API_UNAUTHENTICATED, partner_admin=200), method="post",
         kwargs=lambda w: {"token_id": api_tokens.public_id(w["core_api_token"])}),
]
CASES.append(Case("partners:staff_partners_export", STAFF_PAGE))
CASES.append(Case("partners:audit_export", PROGRAM_ADMIN_PAGE))
CASES.append(Case("partners:staff_people", STAFF_PAGE))
CASES.append(Case("partners:staff_people_export", STAFF_PAGE))
CASES.append(Case("api:staff_person_list", STAFF_API))
