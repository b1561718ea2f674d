"""Each kind of notification, rendered in English from its templates, reads as the f-string that wrote it
before kinds (the old expression is repeated here with the same values); an email has a text and an HTML
part with the link back; the words come in the language the renderer is given."""

import datetime

import pytest
from django.core import mail
from django.template import engines
from django.utils import translation

from activity import rendering, services
from activity.models import Notification
from tests.factories import UserFactory

D = datetime.date(2026, 12, 1)
ref, customer, partner, reason = "DR-00042", "Initech", "Acme Consulting", "Budget cycle, as agreed."

CASES = [
    ("partners_registered", {"partner": partner},
     f"{partner} is now a Registered partner",
     "Your company accepted the partner agreement and is now at the Registered tier."),
    ("partners_type_changed", {"partner": partner, "partner_type": "resell", "reason": "Resell addendum accepted."},
     f"{partner} is now a resell partner",
     "Resell addendum accepted. Your company's partner type is now resell."),
    ("partners_type_changed", {"partner": partner, "partner_type": "si", "reason": "Invitation withdrawn."},
     f"{partner} is now a system integrator partner",
     "Invitation withdrawn. Your company's partner type is now system integrator."),
    ("partners_application_existing", {},
     "Your application to become a partner",
     "Someone applied to become a partner with this email address, which already has a Build Portal "
     "account, so no new company was created. Log in (or reset your password) to reach your "
     "company; if this was not you, you can ignore this message."),
    ("partners_invited", {"inviter": "Ann Admin", "partner": partner, "role": "member",
                          "expires_at": "2026-12-08T09:30:00+00:00"},
     f"Ann Admin invited you to join {partner} on Build Portal",
     f"Ann Admin invited you to join {partner} as a partner member. Open the link to choose your name and "
     f"password. It works until {datetime.datetime(2026, 12, 8, 9, 30):%Y-%m-%d %H:%M} UTC."),
    ("partners_invitation_created", {"inviter": "Ann", "email": "bo@acme.example", "partner": partner, "role": "admin"},
     f"Ann invited bo@acme.example to {partner}", "Role: Partner admin."),
    ("partners_colleague_joined", {"full_name": "Bo", "partner": partner, "email": "bo@acme.example", "role": "member"},
     f"Bo joined {partner}", "Bo (bo@acme.example) accepted the invitation as partner member."),
    ("partners_colleague_removed", {"colleague": "Bo", "partner": partner, "actor": "Ann", "email": "bo@acme.example"},
     f"Bo was removed from {partner}", "Ann removed bo@acme.example; the account can no longer log in."),
    ("partners_person_moved", {"person": "Cy", "email": "cy@x.example", "moved": 3, "from_partner": partner,
                               "to_partner": "Beta", "reason": reason},
     f"Cy moved from {partner} to Beta",
     f"Cy (cy@x.example) and their 3 course completions moved from {partner} to Beta. Reason: {reason}"),
    ("partners_roster_imported", {"partner": partner, "rows": 12, "source": "roster.csv", "people_created": 2,
                                  "people_updated": 3, "completions_created": 4, "completions_updated": 5},
     f"Roster import for {partner}: 12 rows",
     "From roster.csv: 2 people added, 3 updated; 4 completions added, 5 updated."),
    ("partners_team_assigned", {"actor": "Ada Admin", "partner": partner, "tier": "Gold"},
     f"You were assigned to {partner}", f"Ada Admin assigned you to {partner} (Gold)."),
    ("partners_team_changed", {"partner": partner, "pam": "Pat", "psa": ""},
     f"Your Twilio team for {partner} changed",
     f"Partner account manager: {'Pat' or '—'}. Partner solution architect: {'' or '—'}."),
    ("benefits_invited", {"actor": "Pat", "partner": partner, "benefit": "Joint webinar", "region": "EMEA",
                          "program_year": "2026 program year", "reason": reason},
     "You are invited: Joint webinar (EMEA)",
     f"Pat invited {partner} to Joint webinar (EMEA) for the 2026 program year.\n\nReason: {reason}"),
    ("benefits_invited", {"actor": "Pat", "partner": partner, "benefit": "Joint webinar", "region": "",
                          "program_year": "2026 program year", "reason": reason},
     "You are invited: Joint webinar",
     f"Pat invited {partner} to Joint webinar for the 2026 program year.\n\nReason: {reason}"),
    ("benefits_invitation_withdrawn", {"actor": "Pat", "partner": partner, "benefit": "Joint webinar", "reason": reason},
     "Invitation withdrawn: Joint webinar",
     f"Pat withdrew {partner}'s invitation to Joint webinar.\n\nReason: {reason}"),
    ("dealreg_submitted", {"reference": ref, "customer": customer, "partner": partner, "domain": "initech.example",
                           "conflicts": ["other_partner", "opportunity"]},
     f"New deal registration {ref}: {customer}",
     f"{partner} registered a deal with {customer} (initech.example). Conflict check: another partner has an open "
     "or approved registration for this domain; the sales system has an opportunity for this domain."),
    ("dealreg_submitted", {"reference": ref, "customer": customer, "partner": partner, "domain": "initech.example",
                           "conflicts": []},
     f"New deal registration {ref}: {customer}",
     f"{partner} registered a deal with {customer} (initech.example). Conflict check: no conflicts found."),
    ("dealreg_claim_submitted", {"reference": ref, "customer": customer, "partner": partner, "opportunity": "OPP-7",
                                 "close_date": D.isoformat(), "arr_usd": "123456.50", "sourced_how": "Our lead.",
                                 "conflicts": ["existing_customer"]},
     f"Missing sourced opportunity {ref}: {customer}",
     f"{partner} registered OPP-7 ({customer}), already closed won on {D:%d %b %Y} with {123456.5:,.2f} USD ARR, as a "
     "missing sourced opportunity. How they sourced it: Our lead. Conflict check: the customer is an existing account."),
    ("dealreg_withdrawn", {"reference": ref, "customer": customer, "partner": partner, "reason": ""},
     f"{ref} withdrawn by {partner}", f"{partner} withdrew the registration for {customer}."),
    ("dealreg_withdrawn", {"reference": ref, "customer": customer, "partner": partner, "reason": reason},
     f"{ref} withdrawn by {partner}", f"{partner} withdrew the registration for {customer}. Reason: {reason}"),
    ("dealreg_answered", {"reference": ref, "customer": customer, "partner": partner, "answer": "Yes."},
     f"{ref}: {partner} answered your question", "Answer: Yes."),
    ("dealreg_extension_requested", {"reference": ref, "customer": customer, "partner": partner,
                                     "expires_on": D.isoformat(), "reason": reason},
     f"{ref}: extension requested",
     f"{partner} asks to extend the registration for {customer} (expires {D:%d %b %Y}). Reason: {reason}"),
    ("dealreg_approved", {"reference": ref, "customer": customer, "expires_on": D.isoformat(), "reason": reason},
     f"{ref} approved: {customer}",
     f"Your registration for {customer} was approved. It is protected until {D:%d %b %Y}. Note from your PAM: {reason}"),
    ("dealreg_claim_approved", {"reference": ref, "customer": customer, "opportunity": "OPP-7",
                                "close_date": D.isoformat(), "arr_usd": "5000.00", "reason": reason, "revenue": "counts"},
     f"{ref} approved: {customer}",
     f"Your registration of the missing sourced opportunity OPP-7 ({customer}) was approved: your company is added "
     f"to it. It closed won on {D:%d %b %Y} with {5000:,.2f} USD ARR. It counts towards your tier revenue in every "
     f"recalculation whose revenue window includes 1 Dec 2026. Note from your PAM: {reason}"),
    ("dealreg_rejected", {"reference": ref, "customer": customer, "reject_reason": "not_a_fit", "reason": reason},
     f"{ref} rejected: {customer}", f"Your registration for {customer} was rejected. Reason: Not a fit. {reason}"),
    ("dealreg_info_requested", {"reference": ref, "customer": customer, "question": "Which region?"},
     f"{ref}: your PAM needs more information", f"About your registration for {customer}: Which region?"),
    ("dealreg_won", {"reference": ref, "customer": customer, "closed_on": D.isoformat(), "arr_usd": "1000000.00",
                     "close_date": D.isoformat(), "revenue": "services"},
     f"{ref} won: {customer}",
     f"Congratulations: {customer} closed on {D:%d %b %Y} with {1000000:,.2f} USD ARR. Professional-services revenue "
     "does not count towards tier revenue (guide p.10)."),
    ("dealreg_lost", {"reference": ref, "customer": customer, "reason": reason},
     f"{ref} marked lost: {customer}", f"The deal with {customer} was marked lost. Reason: {reason}"),
    ("dealreg_extension_granted", {"reference": ref, "customer": customer, "expires_on": D.isoformat(), "reason": reason},
     f"{ref}: extension granted", f"Your registration for {customer} now expires on {D:%d %b %Y}. {reason}"),
    ("dealreg_extension_declined", {"reference": ref, "customer": customer, "expires_on": D.isoformat(), "reason": reason},
     f"{ref}: extension declined", f"Your extension request for {customer} was declined. {reason}"),
    ("dealreg_expired", {"reference": ref, "customer": customer, "expires_on": D.isoformat(), "kept": False},
     f"{ref} expired: {customer}",
     f"The approved registration for {customer} expired on {D:%d %b %Y} without being won or lost in the portal."),
    ("dealreg_expired", {"reference": ref, "customer": customer, "expires_on": D.isoformat(), "kept": True,
                         "close_date": "2026-11-03", "revenue": "not_added"},
     f"{ref} expired: {customer}",
     f"The approved registration for {customer} expired on {D:%d %b %Y} without being won or lost in the portal. "
     "The sales system records the opportunity as closed won on 03 Nov 2026, inside the protection period, so your "
     "company stays on it. It does not count towards your tier revenue: your company was not added to the "
     "opportunity by its close."),
    ("dealreg_expiry_reminder", {"reference": ref, "customer": customer, "days": 1, "expires_on": D.isoformat(),
                                 "may_extend": True},
     f"{ref} expires in 1 day",
     f"Your approved registration for {customer} expires on {D:%d %b %Y}. Mark the outcome with your PAM before "
     "then. You can ask once for an extension."),
    ("funding_submitted", {"program": "mdf", "partner": partner, "reference": "MDF-9", "user": "Bo", "title": "Summit",
                           "amount": "4000.00", "over_allocation": True, "remaining": "2500.50"},
     f"New MDF request from {partner}: MDF-9",
     f"Bo submitted {'Summit'!r} for $4,000. Above the remaining allocation: $4,000 requested, $2,500.50 remains."),
    ("funding_submitted", {"program": "poc", "partner": partner, "reference": "POC-3", "user": "Bo", "title": "Pilot",
                           "amount": "15000"},
     f"New POC nomination from {partner}: POC-3", f"Bo submitted {'Pilot'!r} for $15,000."),
    ("funding_withdrawn", {"reference": "MDF-9", "partner": partner, "reason": ""},
     f"MDF-9 withdrawn by {partner}", "The partner withdrew the request."),
    ("funding_answered", {"partner": partner, "reference": "MDF-9", "answer": "Here it is."},
     f"{partner} answered on MDF-9", "Here it is."),
    ("funding_claim_submitted", {"reference": "MDF-9", "partner": partner, "actual_cost": "3500.00", "files": 2},
     f"Claim on MDF-9 from {partner}", "Actual cost $3,500 with 2 proof-of-performance files."),
    ("funding_info_requested", {"reference": "MDF-9", "reason": reason}, "Information requested on MDF-9", reason),
    ("funding_rejected", {"reference": "MDF-9", "reason": reason}, "MDF-9 was not approved", reason),
    ("funding_approved", {"reference": "MDF-9", "amount": "4000.00", "reason": reason, "year": 2026,
                          "claim_deadline": "2027-02-01"},
     "MDF-9 approved: $4,000",
     f"{reason}\n\n$4,000 of the 2026 program year. Claim after the activity with the actual cost and proof of "
     "performance by 1 Feb 2027."),
    ("funding_claim_approved", {"reference": "MDF-9", "amount": "3500.00", "reason": reason},
     "Claim on MDF-9 approved: $3,500", reason),
    ("funding_claim_rejected", {"reference": "MDF-9", "reason": reason}, "Claim on MDF-9 rejected", reason),
    ("funding_paid", {"reference": "MDF-9", "amount": "3500.00", "payment_reference": "PAY-1"},
     "MDF-9 paid: $3,500", "Payment reference PAY-1."),
    ("funding_expired", {"reference": "MDF-9", "amount": "4000.00", "claim_deadline": "2027-02-01"},
     "MDF-9 expired: not claimed in time", "No claim by the deadline 2027-02-01. $4,000 was returned."),
    ("funding_claim_reminder", {"reference": "MDF-9", "claim_deadline": "2027-02-01", "days_left": 14,
                                "amount": "4000.00", "title": "Summit"},
     "Claim MDF-9 by 2027-02-01 (14 days left)",
     f"$4,000 is approved for {'Summit'!r}. Submit your claim with the actual cost and proof of performance "
     "by 2027-02-01; after that the approval expires and the amount returns to the allocation."),
    ("funding_allocation_set", {"year": 2026, "amount": "20000.00", "reason": ""},
     "Your 2026 MDF allocation is $20,000", "The program team set your MDF allocation."),
    ("tiers_silver_without_pam", {"run_kind": "midyear", "as_of": "2026-07-01", "names": "Acme, Beta", "more": True},
     "Partners reached Silver or above without a PAM",
     "The mid-year recalculation as of 1 Jul 2026 moved these partners to Silver or above, and they have no PAM yet: "
     "Acme, Beta and more. Silver and above get a PAM: assign one from the staff home."),
    ("tiers_changed", {"partner": partner, "movement": "up", "run_kind": "annual", "as_of": "2027-01-01", "year": 2027,
                       "previous_tier": "Silver", "tier": "Gold", "reasons": ["First reason.", "Second reason."]},
     f"{partner} moved up to Gold",
     "The annual tier recalculation as of 1 Jan 2027 (2027 program year) moved up your company from Silver to Gold."
     "\n\nFirst reason.\nSecond reason."),
    ("tiers_designated", {"partner": partner, "reason": reason},
     f"{partner} is now a Global Strategic partner", f"The program designated your company Global Strategic.\n\n{reason}"),
    ("tiers_designation_removed", {"partner": partner, "tier": "Gold", "reason": reason},
     f"{partner} is now Gold",
     f"The program removed the Global Strategic designation; by today's figures your company qualifies for Gold."
     f"\n\n{reason}"),
    ("tiers_certifications_at_risk", {"n": 2, "tier": "Silver", "risk": ["One.", "Two."],
                                      "completions": [{"person": "Cy", "course": "Build Sales", "expires_on": "2026-12-20"},
                                                      {"person": "Di", "course": "Build Tech", "expires_on": "2027-01-05"}]},
     "Renew 2 certifications to keep Silver",
     "One. Two.\n\n- Cy: Build Sales expires on 20 Dec 2026\n- Di: Build Tech expires on 5 Jan 2027"),
    # Notices since forecasts are data: the forecast's facts and course codes, put in words when read.
    ("tiers_certifications_at_risk", {"n": 2, "tier": "Silver", "forecast": {
        "recalculation_on": "2027-01-01", "tier_if_renewed": "silver", "tier_otherwise": "bronze", "rules_year": 2026,
        "courses": [{"course": "platform", "have_now": 10, "lapsing": 2}]},
        "completions": [{"person": "Cy", "course": "platform", "expires_on": "2026-12-20"},
                        {"person": "Di", "course": "sellers_101", "expires_on": "2027-01-05"}]},
     "Renew 2 certifications to keep Silver",
     "2 of your 10 platform certifications expire before the 1 Jan 2027 recalculation; renew them by 31 Dec 2026 or "
     "you will qualify for Bronze instead of Silver. The 2027 requirements are not published yet: this assumes the "
     "2026 ones.\n\n- Cy: Twilio platform course expires on 20 Dec 2026\n"
     "- Di: Sellers Series 101: Twilio overview expires on 5 Jan 2027"),
    ("tiers_certifications_expiring", {"n": 1, "completions": [{"person": "Cy", "course": "sellers_101",
                                                                "expires_on": "2026-12-20"}]},
     "1 certification expiring soon",
     "These course completions stop counting for your tier when they expire:\n\n"
     "- Cy: Sellers Series 101: Twilio overview expires on 20 Dec 2026"),
    ("tiers_certifications_expiring", {"n": 1, "completions": [{"person": "Cy", "course": "Build Sales",
                                                                "expires_on": "2026-12-20"}]},
     "1 certification expiring soon",
     "These course completions stop counting for your tier when they expire:\n\n- Cy: Build Sales expires on 20 Dec 2026"),
    ("benefits_directory_lead", {"partner": partner, "name": "Vera", "email": "vera@customer.example",
                                 "company": "Initech", "country": "GB", "message": "Can you migrate us to Flex?"},
     f"Vera wrote to {partner} from the partner directory",
     "Vera (vera@customer.example) of Initech sent a message from your listing in the partner directory.\n"
     "Country: United Kingdom\n\nCan you migrate us to Flex?\n\n"
     "Reply to the visitor's address; it is not a portal account."),
    ("benefits_directory_lead", {"partner": partner, "name": "Vera", "email": "vera@customer.example",
                                 "company": "", "country": "", "message": "Hello"},
     f"Vera wrote to {partner} from the partner directory",
     "Vera (vera@customer.example) sent a message from your listing in the partner directory.\n\nHello\n\n"
     "Reply to the visitor's address; it is not a portal account."),
    ("program_year_copied", {"year": 2027, "previous_year": 2026},
     "The 2027 program year was created as a copy of 2026",
     "Nobody had prepared the 2027 program year, so on 1 January the portal copied the 2026 program year (tiers and "
     "thresholds, settings, benefits table, MDF tier defaults) and published it; the annual recalculation uses it. "
     "Review it on the program years page."),
]


@pytest.mark.parametrize(("kind", "params", "subject", "body"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_reads_in_english_as_its_old_f_string(kind, params, subject, body):
    rendered = rendering.render(kind, params, "/deals/1/", "en")
    assert (rendered.subject, rendered.text) == (subject, body)
    assert "https://" in rendered.html or "http://" in rendered.html


def test_every_kind_on_disk_is_covered_and_has_its_three_templates():
    from pathlib import Path

    root = Path(engines["django"].engine.dirs[0]) / rendering.TEMPLATE_DIR
    kinds = {p.name for p in root.iterdir() if p.is_dir()}
    assert kinds == {c[0] for c in CASES}
    for kind in kinds:
        assert {p.name for p in (root / kind).iterdir()} == {"subject.txt", "body.txt", "body.html"}, kind


def test_text_is_not_html_escaped_and_html_is():
    params = {"partner": "O'Brien & <Sons>", "reason": "x"}
    rendered = rendering.render("tiers_designated", params, "/tier/", "en")
    assert rendered.subject == "O'Brien & <Sons> is now a Global Strategic partner"
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in rendered.html and "<Sons>" not in rendered.html


def test_rendering_follows_the_language_it_is_given(monkeypatch):
    """The catalogs come later; a stand-in translation shows the override reaches the templates."""
    real = translation._trans.gettext

    def gettext(message):
        if translation.get_language() == "fr" and message == "The partner withdrew the request.":
            return "Traduit"
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", gettext)
    params = {"reference": "MDF-9", "partner": partner, "reason": ""}
    assert rendering.render("funding_withdrawn", params, "", "fr").text == "Traduit"
    assert rendering.render("funding_withdrawn", params, "", "en").text == "The partner withdrew the request."
    assert rendering.language_of(type("U", (), {"language": "ja"})()) == "ja"
    assert rendering.language_of(object()) == rendering.settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_the_email_has_text_and_html_with_the_link_back_in_the_recipients_language(settings, monkeypatch):
    user = UserFactory(email="reader@example.com")
    user.language = "fr"  # the profile field lands with another change; the renderer reads it with getattr
    seen = []
    real = rendering.render

    def spy(kind, params, url="", language=None):
        seen.append(language)
        return real(kind, params, url, language)

    monkeypatch.setattr(rendering, "render", spy)
    row = services.notify(recipients=[user], kind="dealreg_lost",
                          params={"reference": ref, "customer": customer, "reason": reason}, url="/deals/1/")[0]
    row = Notification.objects.select_related("recipient").get(pk=row.pk)
    row.recipient.language = "fr"
    message = services._email(row, None)
    assert seen == ["fr"]
    # French, from the catalog: the subject, the body and the button of the HTML part.
    assert message.subject.startswith(f"{ref} marqué comme perdu") and message.subject.endswith(customer)
    assert "marqué" in message.body and message.body.endswith(f"{settings.SITE_URL}/deals/1/")
    [(html, mimetype)] = message.alternatives
    with translation.override("fr"):
        open_in_portal = translation.gettext("Open in Build Portal")
    assert open_in_portal != "Open in Build Portal"
    assert mimetype == "text/html" and f'href="{settings.SITE_URL}/deals/1/"' in html and open_in_portal in html


@pytest.mark.django_db
def test_stored_words_are_english_whatever_language_is_active():
    user = UserFactory()
    with translation.override("fr"):
        row = services.notify(recipients=[user], kind="funding_rejected", params={"reference": "MDF-9", "reason": "r"})[0]
    assert (row.kind, row.params, row.subject, row.body) == ("funding_rejected", {"reference": "MDF-9", "reason": "r"},
                                                             "MDF-9 was not approved", "r")


@pytest.mark.django_db
def test_params_are_plain_values_and_the_kind_must_exist():
    user = UserFactory()
    with pytest.raises(TypeError, match="date"):
        services.notify(recipients=[user], kind="funding_rejected", params={"reference": D, "reason": "r"})
    from django.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist):
        services.notify(recipients=[user], kind="no_such_kind", params={})
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_notification_from_before_kinds_shows_and_sends_as_stored():
    user = UserFactory(email="old@example.com")
    row = Notification.objects.create(recipient=user, subject="Old subject", body="Old body", url="/tier/")
    assert (row.display_subject, row.display_body) == ("Old subject", "Old body")
    row = Notification.objects.select_related("recipient").get(pk=row.pk)
    message = services._email(row, None)
    assert message.subject == "Old subject" and message.body.startswith("Old body\n\n")
    assert "Old body" in message.alternatives[0][0]
    message.send()
    assert mail.outbox[-1].alternatives
