"""Pages: thin callers of access (who), selectors (reads) and services (writes)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity.selectors import CappedPaginator
from core import csv_export
from core.forms import add_service_errors
from partners.access import require_staff
from partners.models import StaffRole, User

from . import access, rules, sections, selectors, services
from .filters import ReviewQueueFilter
from .forms import (
    ClaimForm,
    DecisionForm,
    ExtensionDecisionForm,
    ImportForm,
    ListFilterForm,
    OutcomeForm,
    ReasonForm,
    RegistrationForm,
    RespondForm,
    WithdrawForm,
    action_forms,
)
from .imports import ACCOUNT_COLUMNS, OPPORTUNITY_COLUMNS, ImportRejected
from .models import DealRegistration

PAGE_SIZE = 25


def _page(request, queryset, paginator=Paginator):
    return paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class QueuePaginator(Paginator):
    """The review queue pages through the oldest CAP registrations at most and says when there are more.

    An exact count of a long queue costs the same on every page view whatever the index (60-90 ms for
    146,000 waiting registrations); counting at most CAP + 1 rows stops early. A reviewer works from the
    oldest, and narrows a longer list with the filters and the search."""

    CAP = 1000

    def __init__(self, object_list, per_page, *, with_pam, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.with_pam = with_pam

    @cached_property
    def _counted(self):
        # Only the ids, in no order: any CAP + 1 rows count the same as the oldest, and unordered the planner
        # walks the (partner, status) index instead of sorting by waiting time (2 ms against 17-21 ms for
        # 142,000 waiting registrations a PAM sees). The conflict flags are for the page shown.
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    def _get_page(self, object_list, number, paginator):
        # ``object_list`` is the filtered, ordered queue sliced to the page: its ids, then their rows.
        ids = list(object_list.values_list("pk", flat=True))
        return super()._get_page(selectors.queue_page_rows(ids, with_pam=self.with_pam), number, paginator)

    @property
    def more_than_cap(self):
        return self._counted > self.CAP

    @property
    def count(self):
        return min(self._counted, self.CAP)


@login_required
def registration_list(request):
    """My registrations: the partner's, with status filter and search."""
    access.require_partner_user(request.user)
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.search(access.registrations_visible_to(request.user).select_related("submitted_by"), **filters)
    # The newest 10,000 at most, counted no further (the search narrows); the (partner, -created_at, -id)
    # index gives the page its rows in the model's order.
    page = _page(request, queryset, paginator=CappedPaginator)
    selectors.review_state(page.object_list)
    filtered = bool(filters.get("status") or filters.get("q"))  # what an empty list says depends on it
    return render(request, "dealreg/list.html", {
        "page": page, "form": form, "filters": filters,
        "rows_key": _list_rows_key(page.object_list, filtered=filtered), "rows_seconds": LIST_ROWS_SECONDS,
    })


# The list's rows, rendered, are kept under a key made of everything they show (templates/dealreg/list.html:
# a field added to a row goes in here too), in the reader's language and for today (the day formats, the review
# service level): a partner reads its list again and again between changes.
LIST_ROWS_VERSION = 1
LIST_ROWS_SECONDS = 15 * 60


def _queue_rows_key(registrations, *, with_pam):
    """The review queue's rows, as _list_rows_key (templates/dealreg/queue.html: a field added to a row goes in
    here too)."""
    shown = [(r.pk, r.status, r.partner_id, r.partner.name, r.partner.tier, r.customer_company, r.domain,
              r.already_closed, r.opportunity_id and (r.opportunity.external_id, r.opportunity.close_date,
                                                      r.opportunity.arr_usd),
              r.estimated_arr_usd, getattr(r, "business_days_waiting", None), r.waiting_since,
              getattr(r, "is_overdue", None), r.expires_on, r.extension,
              *(getattr(r, flag, None) for flag in selectors.CONFLICT_FLAGS),
              [(o.pk, o.status) for o in getattr(r, "same_partner_others", [])],
              with_pam and (r.partner.pam_id, str(r.partner.pam) if r.partner.pam_id else ""))
             for r in registrations]
    return f"{LIST_ROWS_VERSION}:{get_language()}:{timezone.localdate().isoformat()}:{with_pam}:{shown!r}"


def _list_rows_key(registrations, *, filtered):
    shown = [(r.pk, r.customer_company, r.domain, r.status, r.estimated_arr_usd, r.expected_close_date,
              r.waiting_since, r.expires_on, getattr(r, "is_overdue", None), r.submitted_by_id,
              str(r.submitted_by) if r.submitted_by_id else "") for r in registrations]
    return f"{LIST_ROWS_VERSION}:{get_language()}:{timezone.localdate().isoformat()}:{filtered}:{shown!r}"


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid_under(services.registration_errors, partner=partner):
        try:
            registration = services.registration_submit(partner=partner, submitted_by=request.user, **form.submission())
        except ValidationError as error:
            form.add_rule_errors(error)
        else:
            messages.success(request, _("Registration %(reference)s submitted. Your PAM will review it.") % {
                "reference": registration.reference})
            return redirect("dealreg:detail", pk=registration.pk)
    return render(request, "dealreg/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def registration_claim(request):
    """Register a missing sourced opportunity: one the sales system already closed won without the partner."""
    access.require_partner_user(request.user)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_claim_submit(
                partner=request.user.partner, submitted_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Registration %(reference)s submitted. Your PAM will review it.") % {
                "reference": registration.reference})
            return redirect("dealreg:detail", pk=registration.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "dealreg/claim.html", {"form": form}, status=status)


def _detail_context(request, registration, **bound):
    """The detail page: the registration, its history, and a form for each action the workflow table offers
    the reader (dealreg.rules.allowed_actions through access.actions_for)."""
    user = request.user
    actions = access.actions_for(user, registration)
    selectors.review_state([registration])
    context = {
        "registration": registration, "events": selectors.history(registration), "actions": actions,
        "is_partner_side": user.partner_id == registration.partner_id, "staff_view": bool(user.staff_role),
        "forecast_section": sections.render(sections.REGISTRATION_FORECAST, request, registration=registration),
        **action_forms(actions, bound=bound),
    }
    if user.staff_role:
        context.update(selectors.review_details(registration, visible=access.registrations_visible_to(user)))
    return context


@login_required
def registration_detail(request, pk):
    registration = access.registration_for_user(request.user, pk)
    return render(request, "dealreg/detail.html", _detail_context(request, registration))


def _act(request, registration, form_name, form, call):
    """Run one service call from a detail-page form; on bad input show the form's errors in place."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                # A refused transition: the form it came from may no longer be shown, so it is said once,
                # at the top (not also as the form's own error).
                messages.error(request, " ".join(error.messages))
        else:
            return redirect("dealreg:detail", pk=registration.pk)
    response = render(request, "dealreg/detail.html", _detail_context(request, registration, **{form_name: form}))
    response.status_code = 400
    return response


@login_required
@require_POST
def registration_withdraw(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change=rules.PARTNER)
    return _act(request, registration, "withdraw_form", WithdrawForm(request.POST), lambda data: (
        services.registration_withdraw(registration=registration, user=request.user, reason=data["reason"]),
        messages.success(request, _("%(reference)s withdrawn.") % {"reference": registration.reference}),
    ))


@login_required
@require_POST
def registration_respond(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change=rules.PARTNER)
    return _act(request, registration, "respond_form", RespondForm(request.POST), lambda data: (
        services.registration_respond(registration=registration, user=request.user, answer=data["answer"]),
        messages.success(request, _("Answer sent; the registration is back with your PAM.")),
    ))


@login_required
@require_POST
def registration_request_extension(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change=rules.PARTNER)
    return _act(request, registration, "extension_form", ReasonForm(request.POST), lambda data: (
        services.registration_request_extension(registration=registration, user=request.user, reason=data["reason"]),
        messages.success(request, _("Extension requested.")),
    ))


@login_required
@require_POST
def registration_decide(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change=rules.REVIEWER)

    def call(data):
        reviewer, reason = request.user, data["reason"]
        if data["decision"] == "approve":
            services.registration_approve(registration=registration, reviewer=reviewer, reason=reason)
        elif data["decision"] == "reject":
            services.registration_reject(registration=registration, reviewer=reviewer, reason_code=data["reason_code"],
                                         reason=reason)
        else:
            services.registration_request_info(registration=registration, reviewer=reviewer, question=reason)
        messages.success(request, _("%(reference)s: decision recorded and the partner notified.") % {
            "reference": registration.reference})

    return _act(request, registration, "decision_form", DecisionForm(request.POST), call)


@login_required
@require_POST
def registration_outcome(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change=rules.REVIEWER)

    def call(data):
        if data["outcome"] == "win":
            services.registration_win(registration=registration, reviewer=request.user,
                                      final_arr_usd=data["final_arr_usd"], closed_on=data["closed_on"])
        else:
            services.registration_lose(registration=registration, reviewer=request.user, reason=data["reason"])
        messages.success(request, _("%(reference)s: outcome recorded.") % {"reference": registration.reference})

    return _act(request, registration, "outcome_form", OutcomeForm(request.POST), call)


@login_required
@require_POST
def registration_extension_decide(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change=rules.REVIEWER)
    return _act(request, registration, "extension_decision_form", ExtensionDecisionForm(request.POST), lambda data: (
        services.registration_decide_extension(registration=registration, reviewer=request.user, grant=data["grant"],
                                               reason=data["reason"]),
        messages.success(request, _("Extension decision recorded.")),
    ))


@login_required
def review_queue(request):
    """PAMs: their partners' and unassigned partners' registrations; program admins: everyone's (manager view)."""
    require_staff(request.user)
    filterset = ReviewQueueFilter(request.GET, queryset=access.registrations_visible_to(request.user),
                                  user=request.user)
    valid = filterset.is_valid()
    pams = User.objects.filter(staff_role=StaffRole.PAM).order_by("full_name", "email") \
        if request.user.is_program_admin else None
    page = _page(request, filterset.qs if valid else filterset.queryset.none(),
                 paginator=partial(QueuePaginator, with_pam=pams is not None))
    selectors.review_state(page.object_list)
    selectors.attach_same_partner_registrations(page.object_list)
    data = filterset.form.cleaned_data if valid else {}
    return render(request, "dealreg/queue.html", {
        "rows_key": _queue_rows_key(page.object_list, with_pam=pams is not None), "rows_seconds": LIST_ROWS_SECONDS,
        "page": page, "filter": filterset, "status": filterset.data.get("status"),
        "statuses": DealRegistration.Status.choices, "q": data.get("q", ""), "pams": pams,
        "pam_id": data.get("pam", ""), "overdue_only": bool(data.get("overdue")), "partner": filterset.chosen_partner,
        "o": request.GET.get("o", "")[:20], "may_review": access.may_review(request.user),
    }, status=200 if valid else 400)


@login_required
@require_GET
def review_queue_export(request):
    """The queue as CSV: exactly what the page's filters select, in its order, streamed."""
    require_staff(request.user)
    filterset = ReviewQueueFilter(request.GET, queryset=access.registrations_visible_to(request.user),
                                  user=request.user)
    if not filterset.is_valid():
        return HttpResponseBadRequest(_("Invalid filters: %(errors)s") % {"errors": "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())})
    rows = (
        (r.reference, r.get_status_display(), r.partner.name, r.partner.pam.email if r.partner.pam else "",
         r.customer_company, r.domain, r.country, r.estimated_arr_usd, r.expected_close_date,
         timezone.localtime(r.waiting_since).strftime("%Y-%m-%d %H:%M"), r.created_at.date(),
         "yes" if r.conflict_other_partner else "", "yes" if r.conflict_existing_customer else "",
         "yes" if r.conflict_opportunity else "")
        for r in selectors.queue_rows(filterset.qs).iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename="deal-registrations.csv", header=QUEUE_CSV_HEADER, rows=rows)


QUEUE_CSV_HEADER = ["reference", "status", "partner", "PAM", "customer", "domain", "country",
                    "estimated ARR (USD)", "expected close", "waiting since", "created", "conflict: other partner",
                    "conflict: existing customer", "conflict: opportunity"]


@login_required
@require_http_methods(["GET", "POST"])
def sales_import(request):
    """Program admins upload the sales system's opportunities or customer accounts (CSV, all or nothing)."""
    access.require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = None
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.sales_import(kind=form.cleaned_data["kind"], rows=form.rows(), actor=request.user,
                                          source=form.cleaned_data["file"].name)
        except ImportRejected as rejected:
            row_errors = rejected.row_errors
        else:
            # "row(s)" as the English always said; other languages choose their plural by the row count.
            messages.success(request, ngettext(
                "Imported %(rows)s row(s): %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
                "Imported %(rows)s row(s): %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
                batch.rows) % {"rows": batch.rows, "created": batch.created, "updated": batch.updated,
                               "unchanged": batch.unchanged})
            return redirect("dealreg:import")
    return render(request, "dealreg/import.html", {
        "form": form, "row_errors": row_errors, "recent": selectors.recent_imports(),
        "opportunity_columns": OPPORTUNITY_COLUMNS, "account_columns": ACCOUNT_COLUMNS,
    }, status=400 if request.method == "POST" else 200)
