import json
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity import access as activity_access
from activity import selectors as activity_selectors
from core import csv_export
from core.forms import add_service_errors

from . import access, roster, selectors, services
from . import api_tokens as api_tokens_module
from .filters import AuditFilter, PartnerFilter, PersonFilter, sorted_by_count
from .forms import (
    CompletionForm,
    InvitationAcceptForm,
    InvitationForm,
    PartnerApplicationForm,
    PersonForm,
    PersonMoveForm,
    RosterImportForm,
    TeamForm,
)
from .models import Agreement, Completion, Course, Partner, Person


def client_ip(request):
    """The client's address as the server saw it (behind a proxy, configure it to set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def apply(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = PartnerApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner, user = services.partner_apply(
                company_name=data["company_name"], website=data["website"], country=data["country"],
                email=data["email"], full_name=data["full_name"], password=data["password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if user is not None:
                address = EmailAddress.objects.add_email(request, user, user.email, confirm=True, signup=True)
                address.set_as_primary()
            else:
                # The address has an account, whose owner was told by email: answer word for word as
                # allauth does for a new address, so the page tells nobody which addresses have accounts.
                get_adapter(request).add_message(request, messages.INFO, "account/messages/email_confirmation_sent.txt",
                                                 {"email": data["email"], "login": False, "signup": True})
            messages.success(request, _("Thank you. Check your email to verify your address, then log in."))
            return redirect("account_login")
    return render(request, "partners/apply.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreements(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    if request.method == "POST":
        access.require_partner_admin(request.user)
        agreement_id = request.POST.get("agreement", "")
        agreement = get_object_or_404(Agreement, pk=int(agreement_id) if agreement_id.isdigit() else 0, is_current=True)
        if request.POST.get("i_accept") != "yes":
            # Consent is explicit: the admin ticks "I accept" under the full text of this version.
            messages.error(request, _("Tick “I accept the %(title)s, version %(version)s” to accept it.") % {
                "title": agreement.title, "version": agreement.version})
            return redirect("partners:agreements")
        try:
            services.agreement_accept(
                partner=partner, agreement=agreement, user=request.user, ip_address=client_ip(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You accepted the %(title)s.") % {"title": agreement.title})
        return redirect("partners:agreements")
    accepted = {a.agreement_id: a for a in partner.acceptances.select_related("accepted_by")}
    rows = [(a, accepted.get(a.pk), selectors.may_accept(partner, a)) for a in selectors.current_agreements()]
    return render(request, "partners/agreements.html", {
        "partner": partner, "rows": rows,
        "admins": selectors.partner_admins(partner) if not request.user.is_partner_admin else [],
    })


# --- Colleagues and invitations ----------------------------------------------------------------------

def _back_to_team(request, partner):
    """Partner admins manage their team on the colleagues page; program admins on the staff partner page."""
    if request.user.partner_id == partner.pk:
        return redirect("partners:colleagues")
    return redirect("staff:partner", pk=partner.pk)


@login_required
@require_GET
def colleagues(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    invitations = selectors.open_invitations(partner, now=timezone.now()) if request.user.is_partner_admin else None
    return render(request, "partners/colleagues.html", {
        "partner": partner, "colleagues": selectors.colleagues(partner), "invitations": invitations,
        "may_manage": access.may_manage_partner(request.user, partner),
    })


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, partner_id):
    partner = access.partner_for_user(request.user, partner_id, for_change=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                partner=partner, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                invited_by=request.user, confirmed=form.cleaned_data["confirm_outside"],
            )
        except ValidationError as error:
            form.add_rule_errors(error)
        else:
            messages.success(request, ngettext(
                "Invitation sent to %(email)s. The link works for %(days)s day.",
                "Invitation sent to %(email)s. The link works for %(days)s days.",
                services.INVITATION_VALID_DAYS) % {"email": invitation.email, "days": services.INVITATION_VALID_DAYS})
            return _back_to_team(request, partner)
    return render(request, "partners/invite.html", {"partner": partner, "form": form})


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = access.invitation_for_user(request.user, pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation of %(email)s was revoked.") % {"email": invitation.email})
    return _back_to_team(request, invitation.partner)


@login_required
@require_POST
def colleague_remove(request, pk):
    colleague = access.colleague_for_user(request.user, pk, for_change=True)
    try:
        services.colleague_remove(colleague=colleague, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(colleague)s was removed and can no longer log in.") % {"colleague": colleague})
    return _back_to_team(request, colleague.partner)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    if request.user.is_authenticated:
        messages.info(request, _("You are logged in already: log out to accept an invitation for someone else."))
        return redirect("home")
    invitation = selectors.invitation_by_token(token)
    now = timezone.now()
    if invitation is None or not invitation.is_open(now):
        reason = (_("This invitation link is not valid.") if invitation is None
                  else _("This invitation was already used.") if invitation.accepted_at
                  else _("This invitation was revoked.") if invitation.revoked_at
                  else _("This invitation has expired."))
        return render(request, "partners/invitation_invalid.html", {"reason": reason}, status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, full_name=form.cleaned_data["full_name"],
                                              password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(partner)s on Build Portal.") % {"partner": user.partner.name})
            return redirect("home")
    return render(request, "partners/invitation_accept.html", {"invitation": invitation, "form": form})


# --- People roster -------------------------------------------------------------------------------------

@login_required
@require_GET
def people(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    today = timezone.localdate()
    q = request.GET.get("q", "")[:100]
    expiring = 60 if request.GET.get("expiring") == "60" else None
    page = activity_selectors.CappedPaginator(selectors.roster(partner, q=q, expiring_within=expiring, today=today),
                                              50).get_page(request.GET.get("page"))
    return render(request, "partners/people.html", {
        "partner": partner, "page": page, "counts": selectors.roster_counts(partner, as_of=today),
        "may_manage": access.may_manage_partner(request.user, partner), "today": today, "q": q,
        "expiring": expiring, "soon": today + timedelta(days=60),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    access.require_partner_manager(request.user, partner)
    form = PersonForm(request.POST or None, initial={"job_role": Person.JobRole.TECHNICAL})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(partner=partner, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": person.name})
            return redirect("partners:person_edit", pk=person.pk)
    return render(request, "partners/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = access.person_for_user(request.user, pk, for_change=True)
    form = PersonForm(request.POST or None, initial={"name": person.name, "email": person.email,
                                                     "job_role": person.job_role})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": form.cleaned_data["name"]})
            return _back_to_roster(request, person)
    return _person_page(request, person, form, CompletionForm())


def _back_to_roster(request, person):
    if request.user.partner_id == person.partner_id:
        return redirect("partners:people")
    return redirect("staff:partner", pk=person.partner_id)


def _person_page(request, person, form, completion_form, status=200):
    return render(request, "partners/person_form.html", {
        "form": form, "person": person, "completion_form": completion_form,
        "completions": person.completions.order_by("course", "-completed_on"), "today": timezone.localdate(),
    }, status=status)


@login_required
@require_POST
def person_delete(request, pk):
    person = access.person_for_user(request.user, pk, for_change=True)
    services.person_delete(person=person, actor=request.user)
    messages.success(request, _("%(name)s was removed from the roster.") % {"name": person.name})
    return _back_to_roster(request, person)


@login_required
@require_POST
def completion_add(request, pk):
    person = access.person_for_user(request.user, pk, for_change=True)
    completion_form = CompletionForm(request.POST)
    if completion_form.is_valid():
        try:
            services.completion_add(person=person, actor=request.user, **completion_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(completion_form, error)
        else:
            messages.success(request, _("The completion was recorded."))
            return redirect("partners:person_edit", pk=person.pk)
    form = PersonForm(initial={"name": person.name, "email": person.email, "job_role": person.job_role})
    return _person_page(request, person, form, completion_form, status=400)


@login_required
@require_POST
def completion_delete(request, pk):
    completion = access.completion_for_user(request.user, pk, for_change=True)
    services.completion_delete(completion=completion, actor=request.user)
    messages.success(request, _("The completion was removed."))
    return redirect("partners:person_edit", pk=completion.person_id)


@login_required
@require_GET
def people_import_template(request):
    """The import's CSV template: the header line and two example rows, to fill in a spreadsheet."""
    access.require_partner_user(request.user)
    response = HttpResponse(roster.csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-and-completions-template.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    access.require_partner_manager(request.user, partner)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw_rows, row_errors = roster.read_csv(upload.read())
        if not row_errors:
            try:
                counts = services.roster_import(partner=partner, raw_rows=raw_rows, actor=request.user,
                                                source=f"upload {upload.name}")
            except roster.RosterImportError as error:
                row_errors = error.row_errors
            else:
                messages.success(request, ngettext(
                    "Imported %(rows)s row: %(people_created)s people added, %(people_updated)s updated, "
                    "%(completions_created)s completions added, %(completions_updated)s updated.",
                    "Imported %(rows)s rows: %(people_created)s people added, %(people_updated)s updated, "
                    "%(completions_created)s completions added, %(completions_updated)s updated.",
                    len(raw_rows)) % {"rows": len(raw_rows), **counts})
                return redirect("partners:people")
    status = 400 if row_errors else 200
    return render(request, "partners/people_import.html", {
        "form": form, "row_errors": row_errors, "columns": roster.CSV_COLUMNS, "max_rows": roster.MAX_ROWS,
    }, status=status)


# --- Staff: partners, their team, the audit trail ------------------------------------------------------

def _staff_partner_list(request, *, counts=False):
    """The filtered partners. Their roster counts are annotated on every row only when they are needed for
    all of them (the export, or a sort by a count); a page otherwise counts its own 50 rows (with_counts)."""
    access.require_staff(request.user)
    partners = access.partners_visible_to(request.user).select_related("pam", "psa").order_by("name", "pk")
    if counts or sorted_by_count(request.GET.get("o")):
        partners = selectors.with_roster_counts(partners, as_of=timezone.localdate())
    return PartnerFilter(request.GET or None, queryset=partners)


@login_required
@require_GET
def staff_partners(request):
    filterset = _staff_partner_list(request)
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    partners = filterset.qs if status == 200 else filterset.queryset.none()
    searched = status == 200 and filterset.is_bound and filterset.form.cleaned_data.get("q")
    paginator = selectors.PartnerSearchPaginator if searched else activity_selectors.CappedPaginator
    page = paginator(partners, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_counts(list(page.object_list), as_of=timezone.localdate())
    return render(request, "partners/staff_partners.html", {
        "page": page, "filter": filterset, "o": request.GET.get("o", "")[:20],
    }, status=status)


@login_required
@require_GET
def staff_partners_export(request):
    """The partner list as CSV: exactly what the page's filters select, streamed."""
    filterset = _staff_partner_list(request, counts=True)
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(_("Invalid filters: %(errors)s") % {"errors": "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())})
    # Plain tuples from one server-side cursor: building a model (and its PAM and PSA) for each of 100,000
    # rows cost as much as the query. The labels are the get_*_display ones, in the reader's language.
    types = {value: str(label) for value, label in Partner.PartnerType.choices}
    tiers = {value: str(label) for value, label in Partner._meta.get_field("tier").flatchoices}
    rows = (
        (pk, name, domain, country, types.get(partner_type, partner_type), tiers.get(tier, tier), tier_since,
         pam or "", psa or "", people, certified, trained, users, "yes" if active else "no")
        for pk, name, domain, country, partner_type, tier, tier_since, pam, psa, people, certified, trained, users,
        active in filterset.qs.values_list(
            "pk", "name", "domain", "country", "partner_type", "tier", "tier_since", "pam__email", "psa__email",
            *selectors.ROSTER_COUNTS, "is_active").iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename="partners.csv", header=PARTNER_CSV_HEADER, rows=rows)


PARTNER_CSV_HEADER = ["id", "name", "domain", "country", "partner type", "tier", "tier since", "PAM", "PSA",
                      "people", "platform-certified", "sales-trained", "users", "active"]


@login_required
@require_http_methods(["GET", "POST"])
def partner_team(request, pk):
    access.require_program_admin(request.user)
    partner = access.partner_for_user(request.user, pk, for_change=True)
    form = TeamForm(request.POST or None, initial={"pam": partner.pam_id, "psa": partner.psa_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_assign_team(partner=partner, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The team of %(partner)s was saved.") % {"partner": partner.name})
            return redirect("staff:partner", pk=partner.pk)
    return render(request, "partners/partner_team.html", {"partner": partner, "form": form})


def _staff_people(request):
    access.require_staff(request.user)
    people = access.people_visible_to(request.user).prefetch_related(
        Prefetch("completions", queryset=Completion.objects.order_by("course", "-completed_on")))
    return PersonFilter(request.GET or None, queryset=people)


@login_required
@require_GET
def staff_people(request):
    filterset = _staff_people(request)
    valid = not filterset.is_bound or filterset.is_valid()
    page = activity_selectors.CappedPaginator(filterset.qs if valid else filterset.queryset.none(), 50).get_page(
        request.GET.get("page"))
    partner_id = request.GET.get("partner", "")
    chosen = access.partners_visible_to(request.user).filter(pk=int(partner_id)).first() \
        if partner_id.isdigit() else None
    return render(request, "partners/staff_people.html", {
        "page": page, "filter": filterset, "o": request.GET.get("o", "")[:20], "today": timezone.localdate(),
        "chosen_partner": chosen,
    }, status=200 if valid else 400)


@login_required
@require_GET
def staff_people_export(request):
    """People and their completions as CSV: one row per completion, and one for each person without any."""
    filterset = _staff_people(request)
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(_("Invalid filters: %(errors)s") % {"errors": "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())})
    # One query (a LEFT JOIN on the completions) whatever the number of rows.
    roles, courses = dict(Person.JobRole.choices), dict(Course.choices)
    rows = (
        (partner_id, partner_name, name, email, roles.get(role, role), courses.get(course, course or ""),
         completed_on or "", expires_on or "")
        for partner_id, partner_name, name, email, role, course, completed_on, expires_on in
        filterset.qs.order_by("partner__name", "name", "pk", "completions__course").values_list(
            "partner_id", "partner__name", "name", "email", "job_role", "completions__course",
            "completions__completed_on", "completions__expires_on").iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename="people.csv", header=PEOPLE_CSV_HEADER, rows=rows)


PEOPLE_CSV_HEADER = ["partner id", "partner", "person", "email", "job role", "course", "completed on", "expires on"]


# Enough to pick from while typing; a longer list means the name typed is not yet specific.
PARTNER_NAME_SUGGESTIONS = 10


@login_required
@require_GET
def partner_names(request):
    """Partners whose name contains what staff typed, for the partner filters' suggestions
    (static/js/partner_search.js): a few names and ids, never the whole list."""
    access.require_staff(request.user)
    q = request.GET.get("q", "").strip()[:100]
    found = []
    if len(q) >= 2:  # one letter matches most names, and a trigram index needs two or more
        # Any few that match, in name order: asking the database for the first few by name would sort every
        # match (a common word matches a tenth of a million partners); typing more narrows the list.
        found = sorted(access.partners_visible_to(request.user).filter(name__icontains=q).order_by()
                       .values("id", "name")[:PARTNER_NAME_SUGGESTIONS], key=lambda p: (p["name"], p["id"]))
    return JsonResponse({"results": found})


def _audit_filter(request):
    return AuditFilter(request.GET or None, queryset=activity_access.audit_entries_visible_to(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def person_move(request, pk):
    """Program admins move a person, with their completions, from this partner to another."""
    access.require_program_admin(request.user)
    partner = access.partner_for_user(request.user, pk, for_change=True)
    form = PersonMoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                person = services.person_move(partner=partner, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s and their completions moved to %(partner)s.") % {
                    "name": person.name, "partner": person.partner.name})
                return redirect("staff:partner", pk=person.partner_id)
    return render(request, "partners/person_move.html", {"partner": partner, "form": form}, status=status)


@login_required
@require_GET
def audit_trail(request):
    filterset = _audit_filter(request)
    valid = not filterset.is_bound or filterset.is_valid()
    page = activity_selectors.AuditPaginator(filterset.qs if valid else filterset.queryset.none(), 50).get_page(
        request.GET.get("page"))
    # The bottom app stores only partner ids; one query names the partners of this page.
    names = dict(Partner.objects.filter(pk__in={e.partner_id for e in page if e.partner_id}).values_list("pk", "name"))
    for entry in page:
        entry.partner_name = names.get(entry.partner_id, "")
    query = request.GET.copy()
    query.pop("page", None)
    partner_id = request.GET.get("partner", "")
    chosen = Partner.objects.filter(pk=int(partner_id)).first() if partner_id.isdigit() else None
    return render(request, "partners/audit_trail.html", {
        "form": filterset.form, "page": page, "query": query.urlencode(), "chosen_partner": chosen,
    })


@login_required
@require_GET
def audit_trail_export(request):
    """The audit trail as CSV: exactly what the page's filters select, newest first, streamed."""
    filterset = _audit_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponseBadRequest(_("Invalid filters: %(errors)s") % {"errors": "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())})
    rows = (
        (e.at.isoformat(), e.actor.email if e.actor else "", e.partner_id or "", e.action, e.object_type,
         e.object_id, e.object_repr, json.dumps(e.before, sort_keys=True), json.dumps(e.after, sort_keys=True),
         e.reason)
        for e in filterset.qs.iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename="audit-trail.csv", header=AUDIT_CSV_HEADER, rows=rows)


AUDIT_CSV_HEADER = ["at (UTC)", "actor", "partner id", "action", "object type", "object id", "object", "before",
                    "after", "reason"]


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's own API tokens: make one (shown once, on this answer only), see them, revoke them."""
    new_token = None
    if request.method == "POST":
        try:
            _row, new_token = api_tokens_module.api_token_create(user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    tokens = [(api_tokens_module.public_id(t), t) for t in api_tokens_module.api_tokens_of(request.user)]
    return render(request, "partners/api_tokens.html", {"tokens": tokens, "new_token": new_token,
                                                        "limit": api_tokens_module.TOKENS_PER_USER})


@login_required
@require_POST
def api_token_revoke(request, token_id):
    token = api_tokens_module.api_token_for_user(request.user, token_id)
    api_tokens_module.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token %(start)s… was revoked: programs using it can no longer sign in.") % {
        "start": token.token_key[:8]})
    return redirect("partners:api_tokens")
