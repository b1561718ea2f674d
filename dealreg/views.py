"""Pages: thin callers of access (who), selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from partners.access import require_staff
from partners.models import StaffRole, User

from . import access, rules, selectors, services
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
)
from .imports import ACCOUNT_COLUMNS, OPPORTUNITY_COLUMNS, OPPORTUNITY_REQUIRED, ImportRejected, read_csv
from .models import DealRegistration, SalesImport

PAGE_SIZE = 25


def _page(request, queryset, paginator=Paginator):
    return paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class QueuePaginator(Paginator):
    """The review queue pages through the oldest CAP registrations at most and says when there are more.

    An exact count of a long queue costs the same on every page view whatever the index (60-90 ms for
    146,000 waiting registrations); counting at most CAP + 1 rows stops early. A reviewer works from the
    oldest, and narrows a longer list with the filters and the search."""

    CAP = 1000

    @cached_property
    def _counted(self):
        return self.object_list[: self.CAP + 1].count()

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
    page = _page(request, queryset)
    selectors.review_state(page.object_list)
    return render(request, "dealreg/list.html", {"page": page, "form": form, "filters": filters})


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request):
    access.require_partner_user(request.user)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_submit(
                partner=request.user.partner, submitted_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Registration {registration.reference} submitted. Your PAM will review it.")
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
            messages.success(request, f"Registration {registration.reference} submitted. Your PAM will review it.")
            return redirect("dealreg:detail", pk=registration.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "dealreg/claim.html", {"form": form}, status=status)


def _detail_context(request, registration, **forms):
    user = request.user
    is_partner_side = user.partner_id == registration.partner_id
    may_review = access.may_review(user)
    context = {
        "registration": registration,
        "events": selectors.history(registration),
        "is_partner_side": is_partner_side,
        "may_review": may_review,
        "extension_open": registration.status == rules.APPROVED and not registration.extension,
        "extension_pending": registration.extension == DealRegistration.Extension.REQUESTED,
    }
    selectors.review_state([registration])
    context["staff_view"] = bool(user.staff_role)
    if user.staff_role:
        context["conflicts"] = selectors.registration_conflicts(registration)
        context["same_partner_others"] = selectors.attach_same_partner_registrations([registration])[0].same_partner_others
    if is_partner_side:
        context.update(
            withdraw_form=forms.get("withdraw_form") or WithdrawForm(),
            respond_form=forms.get("respond_form") or RespondForm(),
            extension_form=forms.get("extension_form") or ReasonForm(),
        )
    if may_review:
        context.update(
            decision_form=forms.get("decision_form") or DecisionForm(),
            outcome_form=forms.get("outcome_form") or OutcomeForm(),
            extension_decision_form=forms.get("extension_decision_form") or ExtensionDecisionForm(),
        )
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
            add_service_errors(form, error)
            if not hasattr(error, "error_dict"):
                # A refused transition: the form it came from may no longer be shown, so say it at the top.
                messages.error(request, " ".join(error.messages))
        else:
            return redirect("dealreg:detail", pk=registration.pk)
    response = render(request, "dealreg/detail.html", _detail_context(request, registration, **{form_name: form}))
    response.status_code = 400
    return response


@login_required
@require_POST
def registration_withdraw(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change="partner")
    return _act(request, registration, "withdraw_form", WithdrawForm(request.POST), lambda data: (
        services.registration_withdraw(registration=registration, user=request.user, reason=data["reason"]),
        messages.success(request, f"{registration.reference} withdrawn."),
    ))


@login_required
@require_POST
def registration_respond(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change="partner")
    return _act(request, registration, "respond_form", RespondForm(request.POST), lambda data: (
        services.registration_respond(registration=registration, user=request.user, answer=data["answer"]),
        messages.success(request, "Answer sent; the registration is back with your PAM."),
    ))


@login_required
@require_POST
def registration_request_extension(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change="partner")
    return _act(request, registration, "extension_form", ReasonForm(request.POST), lambda data: (
        services.registration_request_extension(registration=registration, user=request.user, reason=data["reason"]),
        messages.success(request, "Extension requested."),
    ))


@login_required
@require_POST
def registration_decide(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change="review")

    def call(data):
        reviewer, reason = request.user, data["reason"]
        if data["decision"] == "approve":
            services.registration_approve(registration=registration, reviewer=reviewer, reason=reason)
        elif data["decision"] == "reject":
            services.registration_reject(registration=registration, reviewer=reviewer, reason_code=data["reason_code"],
                                         reason=reason)
        else:
            services.registration_request_info(registration=registration, reviewer=reviewer, question=reason)
        messages.success(request, f"{registration.reference}: decision recorded and the partner notified.")

    return _act(request, registration, "decision_form", DecisionForm(request.POST), call)


@login_required
@require_POST
def registration_outcome(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change="review")

    def call(data):
        if data["outcome"] == "win":
            services.registration_win(registration=registration, reviewer=request.user,
                                      final_arr_usd=data["final_arr_usd"], closed_on=data["closed_on"])
        else:
            services.registration_lose(registration=registration, reviewer=request.user, reason=data["reason"])
        messages.success(request, f"{registration.reference}: outcome recorded.")

    return _act(request, registration, "outcome_form", OutcomeForm(request.POST), call)


@login_required
@require_POST
def registration_extension_decide(request, pk):
    registration = access.registration_for_user(request.user, pk, for_change="review")
    return _act(request, registration, "extension_decision_form", ExtensionDecisionForm(request.POST), lambda data: (
        services.registration_decide_extension(registration=registration, reviewer=request.user, grant=data["grant"],
                                               reason=data["reason"]),
        messages.success(request, "Extension decision recorded."),
    ))


@login_required
def review_queue(request):
    """PAMs: their partners' and unassigned partners' registrations; program admins: everyone's (manager view)."""
    require_staff(request.user)
    status = request.GET.get("status", rules.SUBMITTED)
    if status not in DealRegistration.Status.values and status != "all":
        status = rules.SUBMITTED
    queryset = access.registrations_visible_to(request.user)
    if status != "all":
        queryset = queryset.filter(status=status)
    pam_id = request.GET.get("pam", "")
    pams = None
    if request.user.is_program_admin:
        pams = User.objects.filter(staff_role=StaffRole.PAM).order_by("full_name", "email")
        if pam_id == "none":
            queryset = queryset.filter(partner__pam__isnull=True)
        elif pam_id.isdigit():
            queryset = queryset.filter(partner__pam_id=int(pam_id))
    q = request.GET.get("q", "")[:100]
    queryset = selectors.search(queryset, q=q)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        queryset = selectors.overdue(queryset)
    page = _page(request, selectors.review_queue(queryset), paginator=QueuePaginator)
    selectors.review_state(page.object_list)
    selectors.attach_same_partner_registrations(page.object_list)
    return render(request, "dealreg/queue.html", {
        "page": page, "status": status, "statuses": DealRegistration.Status.choices, "q": q,
        "pams": pams, "pam_id": pam_id, "overdue_only": overdue_only, "may_review": access.may_review(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def sales_import(request):
    """Program admins upload the sales system's opportunities or customer accounts (CSV, all or nothing)."""
    access.require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            upload = form.cleaned_data["file"]
            try:
                if kind == SalesImport.Kind.OPPORTUNITIES:
                    rows = read_csv(upload.read(), columns=OPPORTUNITY_COLUMNS, required=OPPORTUNITY_REQUIRED)
                    batch = services.opportunities_import(rows=rows, actor=request.user, source=upload.name)
                else:
                    rows = read_csv(upload.read(), columns=ACCOUNT_COLUMNS, required=ACCOUNT_COLUMNS)
                    batch = services.customer_accounts_import(rows=rows, actor=request.user, source=upload.name)
            except ImportRejected as rejected:
                row_errors = rejected.row_errors
            else:
                messages.success(request, f"Imported {batch.rows} row(s): {batch.created} new, {batch.updated} "
                                          f"changed, {batch.unchanged} unchanged.")
                return redirect("dealreg:import")
    recent = SalesImport.objects.select_related("imported_by")[:10]
    return render(request, "dealreg/import.html", {
        "form": form, "row_errors": row_errors, "recent": recent,
        "opportunity_columns": OPPORTUNITY_COLUMNS, "account_columns": ACCOUNT_COLUMNS,
    }, status=status)
