"""Pages of the funding app: thin callers of access (who), selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import csv_export
from core.forms import add_service_errors
from partners.access import partners_visible_to
from partners.models import TierLevel

from . import access, forms, rules, selectors, services
from .filters import AllocationFilter, FundingQueueFilter
from .models import Program, Status


def _partner_context(partner, program_year):
    return {
        "program_year": program_year,
        "eligibility": {p: selectors.eligibility(partner=partner, program=p, program_year=program_year)
                        for p in (Program.POC, Program.MDF)},
    }


@login_required
@require_GET
def overview(request):
    """The partner's funding home: eligibility, MDF allocation figures and bar, POC figures, recent requests."""
    access.require_funding_partner_user(request.user)
    partner = request.user.partner
    # Eligibility and the request buttons are about today's year; the figures about the year shown. A new year
    # never hides an old one: the switcher reaches every year, and the requests list shows each one's year.
    current = selectors.current_program_year()
    try:
        program_year = selectors.program_year_chosen(request.GET["year"]) if request.GET.get("year") else current
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from None
    context = _partner_context(partner, current)
    context.update(
        selectors.partner_figures(partner=partner, program_year=program_year),
        program_year=program_year, eligibility_year=current, shown_year=program_year,
        years=list(selectors.years_in_force()), partner=partner,
        recent=selectors.requests_list(access.requests_visible_to(request.user))[:10],
    )
    return render(request, "funding/overview.html", context)


def _eligibility_page(request, partner, program_year, **extra):
    context = _partner_context(partner, program_year)
    context.update(partner=partner, silver=selectors.silver_requirements(program_year), **extra)
    return render(request, "funding/eligibility.html", context)


@login_required
@require_GET
def eligibility(request):
    """Why the partner is (not) eligible for POC and MDF co-funding, and how to become eligible."""
    access.require_funding_partner_user(request.user)
    return _eligibility_page(request, request.user.partner, selectors.current_program_year())


def _new_request(request, *, program, form_class, service, template_title, **form_kwargs):
    access.require_funding_partner_user(request.user)
    partner = request.user.partner
    program_year = selectors.current_program_year()
    verdict = selectors.eligibility(partner=partner, program=program, program_year=program_year)
    if not verdict.eligible:
        # Not a bare 403: the partner is told why and how to become eligible.
        return _eligibility_page(request, partner, program_year, blocked=program)
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            created = service(partner=partner, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(reference)s submitted. Your partner account manager will review it.") % {
                "reference": created.reference})
            if warning := getattr(form, "allocation_warning", None):
                messages.warning(request, warning)
            return redirect("funding:request_detail", pk=created.pk)
    return render(request, "funding/request_form.html", {
        "form": form, "title": template_title, "program": program, "eligibility": verdict, "program_year": program_year,
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def poc_new(request):
    return _new_request(request, program=Program.POC, form_class=forms.PocNominationForm,
                        service=services.poc_nominate, template_title=_("Nominate a POC project"))


@login_required
@require_http_methods(["GET", "POST"])
def mdf_new(request):
    program_year = selectors.current_program_year()
    remaining = None
    if program_year is not None and request.user.is_authenticated and request.user.partner_id:
        remaining = selectors.ledger_figures(partner=request.user.partner, program_year=program_year).remaining
    return _new_request(request, program=Program.MDF, form_class=forms.MdfRequestForm,
                        service=services.mdf_request_submit, template_title=_("Request market development funds"),
                        share=program_year.mdf_cofunding_share if program_year else None, remaining=remaining,
                        today=timezone.localdate())


@login_required
@require_GET
def request_list(request):
    """Partner users: their company's requests. Staff: those of the partners they may see."""
    qs = selectors.requests_list(access.requests_visible_to(request.user),
                                 program=request.GET.get("program"), status=request.GET.get("status"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "funding/request_list.html", {
        "page": page, "programs": Program.choices, "statuses": Status.choices,
        "program": request.GET.get("program", ""), "status": request.GET.get("status", ""),
    })


def _detail(request, funding_request, *, status=200, **bound):
    # Rule errors of a posted action (e.g. "cannot be withdrawn") go on top of the page: the action's
    # form may no longer be shown once the request moved on.
    action_errors = [e for form in bound.values() for e in form.errors.pop(NON_FIELD_ERRORS, [])]
    # Each card of the page shows when the workflow tables (funding.rules) offer its action to the reader.
    actions = access.actions_for(request.user, funding_request)
    context = selectors.request_page(funding_request, actions=actions, today=timezone.localdate())
    context.update(actions=actions, action_errors=action_errors, **forms.action_forms(
        actions, funding_request=funding_request, claim_cap=context.get("claim_cap"), bound=bound))
    # Whoever sees a request awaiting a decision reads that it asks more than remains: the PAM can approve at most that.
    context["over_allocation_by"] = selectors.request_over_allocation(funding_request)
    return render(request, "funding/request_detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request, pk):
    return _detail(request, access.request_for_user(request.user, pk))


def _act(request, funding_request, action, *, call, done):
    """Run one action from its posted form; on a rule error show the detail page with the error."""
    form = forms.action_form(action, request.POST)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("funding:request_detail", pk=funding_request.pk)
    return _detail(request, funding_request, status=400, **{forms.ACTION_FORMS[action][0]: form})


@login_required
@require_POST
def request_withdraw(request, pk):
    fr = access.request_for_user(request.user, pk, for_change=True)
    return _act(request, fr, "withdraw", done=_("Request withdrawn."),
                call=lambda d: services.request_withdraw(funding_request=fr, user=request.user, reason=d["reason"]))


@login_required
@require_POST
def request_answer(request, pk):
    fr = access.request_for_user(request.user, pk, for_change=True)
    return _act(request, fr, "answer", done=_("Answer sent."),
                call=lambda d: services.request_answer(funding_request=fr, user=request.user, answer=d["answer"],
                                                       requested_amount=d["requested_amount"]))


@login_required
@require_POST
def request_approve(request, pk):
    fr = access.request_for_review(request.user, pk)
    return _act(request, fr, "approve", done=_("Request approved."),
                call=lambda d: services.request_approve(funding_request=fr, reviewer=request.user, **d))


@login_required
@require_POST
def request_reject(request, pk):
    fr = access.request_for_review(request.user, pk)
    return _act(request, fr, "reject", done=_("Request rejected."),
                call=lambda d: services.request_reject(funding_request=fr, reviewer=request.user, reason=d["reason"]))


@login_required
@require_POST
def request_info(request, pk):
    fr = access.request_for_review(request.user, pk)
    return _act(request, fr, "request_info", done=_("Information requested from the partner."),
                call=lambda d: services.request_info(funding_request=fr, reviewer=request.user, reason=d["reason"]))


@login_required
@require_http_methods(["GET", "POST"])
def request_claim(request, pk):
    fr = access.request_for_user(request.user, pk, for_change=True)
    if rules.may("claim", fr.status) and (refusal := rules.claim_refusal(
            ends_on=fr.ends_on, deadline=fr.claim_deadline, today=timezone.localdate())):
        # Said before the partner fills in the form, not after.
        messages.info(request, refusal)
        return redirect("funding:request_detail", pk=fr.pk)
    form = forms.ClaimForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_submit(funding_request=fr, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Claim submitted. Your partner account manager will review it."))
            return redirect("funding:request_detail", pk=fr.pk)
    cap_share = fr.cofunding_share if fr.is_mdf else None
    return render(request, "funding/claim_form.html", {"r": fr, "form": form, "share": cap_share},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def claim_approve(request, pk):
    fr = access.request_for_review(request.user, pk)
    return _act(request, fr, "approve_claim", done=_("Claim approved."),
                call=lambda d: services.claim_approve(funding_request=fr, reviewer=request.user, **d))


@login_required
@require_POST
def claim_reject(request, pk):
    fr = access.request_for_review(request.user, pk)
    return _act(request, fr, "reject_claim", done=_("Claim rejected."),
                call=lambda d: services.claim_reject(funding_request=fr, reviewer=request.user, reason=d["reason"]))


@login_required
@require_POST
def claim_pay(request, pk):
    fr = access.request_for_payment(request.user, pk)
    return _act(request, fr, "pay", done=_("Claim marked paid."),
                call=lambda d: services.claim_mark_paid(funding_request=fr, admin=request.user, **d))


@login_required
@require_GET
def claim_file(request, pk):
    """Stream a proof-of-performance file from the storage after the access check."""
    row = access.claim_file_for_user(request.user, pk)
    response = FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name,
                            content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


PAGE_SIZE = 50


def _bad_filters(filterset):
    return HttpResponseBadRequest(_("Invalid filters: %(errors)s") % {"errors": "; ".join(
        f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())})


def _queue_filter(request):
    access.require_reviewer(request.user)
    return FundingQueueFilter(request.GET, queryset=access.requests_visible_to(request.user), user=request.user)


@login_required
@require_GET
def queue(request):
    """PAM queue: requests and claims of assigned partners and partners without a PAM (admins: all). By default
    what waits on staff (requests to decide, claims to review, claims to pay); any status with the filters."""
    filterset = _queue_filter(request)
    valid = filterset.is_valid()
    filtered = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(selectors.queue_rows(filtered), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_remaining_allocation(page.object_list)
    return render(request, "funding/queue.html", {
        "page": page, "filter": filterset, "status": filterset.data.get("status"),
        "steps": selectors.queue_counts(filterset.queryset), "totals": selectors.queue_totals(filtered),
        "pams": filterset.pams if request.user.is_program_admin else None, "partner": filterset.chosen_partner,
        "o": request.GET.get("o", "")[:20],
    }, status=200 if valid else 400)


@login_required
@require_GET
def queue_export(request):
    """The queue as CSV: exactly what the page's filters select, in its order, streamed."""
    filterset = _queue_filter(request)
    if not filterset.is_valid():
        return _bad_filters(filterset)
    rows = (
        (r.reference, r.program, r.status, r.partner_id, r.partner.name, r.partner.tier,
         r.partner.pam.email if r.partner.pam else "", r.title, r.customer_name, r.program_year.year,
         r.requested_amount, r.approved_amount, r.claim.actual_cost if _has_claim(r) else "", r.claimed, r.paid,
         r.outstanding, timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
         timezone.localtime(r.decided_at).strftime("%Y-%m-%d %H:%M") if r.decided_at else "", r.claim_deadline)
        for r in selectors.queue_rows(filterset.qs).iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename="funding-requests.csv", header=QUEUE_CSV_HEADER, rows=rows)


def _has_claim(funding_request):
    return selectors.claim_of(funding_request) is not None


# A file format: the column names and the status / program / tier codes stay as the API spells them.
QUEUE_CSV_HEADER = ["reference", "program", "status", "partner id", "partner", "tier", "PAM", "name", "customer",
                    "program year", "requested (USD)", "approved (USD)", "claimed cost (USD)", "claim approved (USD)",
                    "paid (USD)", "approved, not paid (USD)", "submitted", "decided", "claim deadline"]


@login_required
@require_GET
def partner_funding(request, partner_id):
    """Staff view of one partner's figures and ledger."""
    partner = access.partner_for_staff(request.user, partner_id)
    program_year = selectors.current_program_year()
    context = _partner_context(partner, program_year)
    context.update(
        partner=partner,
        mdf=selectors.ledger_figures(partner=partner, program_year=program_year, program=Program.MDF),
        poc=selectors.ledger_figures(partner=partner, program_year=program_year, program=Program.POC),
        ledger=selectors.ledger_entries(partner=partner, program_year=program_year)[:200],
        form=forms.AllocationForm(),
    )
    return render(request, "funding/partner_funding.html", context)


def _allocation_filter(request):
    access.require_allocation_admin(request.user)
    program_year = selectors.current_program_year()
    queryset, defaults = selectors.allocations(partners_visible_to(request.user), program_year=program_year)
    return AllocationFilter(request.GET or None, queryset=queryset), program_year, defaults


def _allocations_page(request, *, status=200, default_form=None, partner_form=None, partner_form_for=None):
    filterset, program_year, defaults = _allocation_filter(request)
    valid = not filterset.is_bound or filterset.is_valid()
    filtered = filterset.qs if valid else filterset.queryset.none()
    return render(request, "funding/allocations.html", {
        "program_year": program_year, "page": Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page")),
        "filter": filterset, "o": request.GET.get("o", "")[:20],
        "totals": selectors.allocation_totals(filtered, program_year=program_year, defaults=defaults),
        "defaults": {TierLevel(tier).label: amount for tier, amount in defaults.items()},
        "default_form": default_form or forms.TierDefaultForm(),
        "partner_form": partner_form, "partner_form_for": partner_form_for,
    }, status=status if valid else 400)


@login_required
@require_GET
def allocations_export(request):
    """The year's allocations as CSV: exactly what the page's filters select, in its order, streamed."""
    filterset, program_year, _defaults = _allocation_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return _bad_filters(filterset)
    rows = (
        (p.pk, p.name, p.domain, p.tier, p.pam.email if p.pam else "", program_year.year,
         "custom" if p.is_custom else "tier default", p.allocated, p.committed, p.claimed, p.paid, p.remaining)
        for p in filterset.qs.iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename=f"mdf-allocations-{program_year.year}.csv", header=ALLOCATION_CSV_HEADER,
                                 rows=rows)


ALLOCATION_CSV_HEADER = ["partner id", "partner", "domain", "tier", "PAM", "program year", "source", "allocated (USD)",
                         "committed (USD)", "claimed (USD)", "paid (USD)", "remaining (USD)"]


@login_required
@require_http_methods(["GET", "POST"])
def allocations(request):
    """Program admin: MDF allocations of the year, tier defaults, and a per-partner allocation."""
    access.require_allocation_admin(request.user)
    if request.method == "GET":
        return _allocations_page(request)
    form = forms.TierDefaultForm(request.POST)
    if form.is_valid():
        try:
            services.tier_default_set(program_year=selectors.current_program_year(), admin=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tier default saved and applied to the partners that follow it."))
            return redirect("funding:allocations")
    return _allocations_page(request, status=400, default_form=form)


@login_required
@require_POST
def allocation_set(request, partner_id):
    access.require_allocation_admin(request.user)
    partner = access.partner_for_staff(request.user, partner_id)
    form = forms.AllocationForm(request.POST)
    if form.is_valid():
        try:
            services.allocation_set(partner=partner, program_year=selectors.current_program_year(), admin=request.user,
                                    **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("MDF allocation of %(partner)s saved.") % {"partner": partner})
            return redirect("funding:partner_funding", partner_id=partner.pk)
    return _allocations_page(request, status=400, partner_form=form, partner_form_for=partner)
