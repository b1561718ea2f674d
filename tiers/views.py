from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import csv_export
from core.forms import add_service_errors
from program import services as program_services

from . import access, sections, selectors, services
from .filters import AssessmentFilter
from .forms import DesignationForm, ProgramYearForm, RunForm
from .models import Assessment


def _standing(request, partner):
    """The standing page's context: its benefits list is the benefits app's (tiers.sections); the two
    forecasts are computed from today's rows and recorded nowhere (selectors.tier_view keeps them while
    those rows are unchanged)."""
    view = selectors.tier_view(partner, today=timezone.localdate())
    s = view["standing"]
    return {
        "s": s,
        "benefits_section": sections.render(sections.STANDING_BENEFITS, request, partner=s["partner"],
                                            program_year=s["program_year"]),
        "risk": view["risk"],
        "pipeline": view["pipeline"],
        "view_key": view["key"],
    }


@login_required
def standing(request):
    partner = access.own_partner(request.user)
    context = _standing(request, partner)
    # The partner's own page keeps its rendered standing under the tier view's key (templates/tiers/standing.html);
    # the staff page renders it each time (it carries the designation form).
    context.update(tier_key=context["view_key"], tier_seconds=selectors.TIER_VIEW_SECONDS)
    return render(request, "tiers/standing.html", context)


@login_required
def partner_standing(request, partner_id):
    partner = access.staff_partner_for_user(request.user, partner_id)
    return render(request, "tiers/standing.html", {
        **_standing(request, partner), "staff_view": True,
        "designation_form": DesignationForm() if request.user.is_program_admin else None,
    })


@login_required
@require_POST
def designation(request, partner_id):
    partner = access.staff_partner_for_user(request.user, partner_id, for_change=True)
    form = DesignationForm(request.POST)
    action = request.POST.get("action")
    if form.is_valid() and action in ("give", "remove"):
        service = services.designation_give if action == "give" else services.designation_remove
        try:
            service(partner=partner, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Designation given.") if action == "give" else _("Designation removed."))
            return redirect("tiers:partner_standing", partner_id=partner.pk)
    elif action not in ("give", "remove"):
        form.add_error(None, _("Choose to give or to remove the designation."))
    partner.refresh_from_db()
    return render(request, "tiers/standing.html", {
        **_standing(request, partner), "staff_view": True,
        "designation_form": form,
    }, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def runs(request):
    access.require_recalculation_admin(request.user)
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_preview(kind=form.cleaned_data["kind"], as_of=form.cleaned_data["as_of"],
                                       started_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Preview ready: nothing has changed yet. Review it, then apply."))
            return redirect("tiers:run_detail", run_id=run.pk)
    page = Paginator(selectors.runs(), 25).get_page(request.GET.get("page"))
    return render(request, "tiers/runs.html", {"form": form, "page": page},
                  status=400 if request.method == "POST" else 200)


@login_required
def run_detail(request, run_id):
    run = access.run_for_user(request.user, run_id)
    filterset = AssessmentFilter(request.GET, queryset=run.assessments.all())
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else filterset.queryset.none(), 50).get_page(request.GET.get("page"))
    return render(request, "tiers/run_detail.html", {
        "run": run, "page": page, "filter": filterset, "movement": request.GET.get("movement", ""),
        "movements": Assessment.Movement.choices, "o": request.GET.get("o", "")[:20],
        "superseded_by": selectors.superseding_run(run),
    })


@login_required
@require_GET
def run_export(request, run_id):
    """A run's assessments as CSV: exactly what the page's filters select, streamed."""
    run = access.run_for_user(request.user, run_id)
    filterset = AssessmentFilter(request.GET, queryset=run.assessments.all())
    if not filterset.is_valid():
        return HttpResponseBadRequest(_("Invalid filters: %(errors)s") % {"errors": "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())})
    rows = (
        (a.partner_id, a.partner.name, a.previous_tier, a.computed_tier, a.applied_tier, a.movement,
         a.certified_technical, a.sales_trained, a.revenue_usd, "yes" if a.agreement_accepted else "no",
         "yes" if a.designated else "no", " ".join(a.reason_texts))
        for a in filterset.qs.iterator(chunk_size=csv_export.CHUNK_SIZE)
    )
    return csv_export.stream_csv(filename=f"run-{run.pk}-assessments.csv", header=ASSESSMENT_CSV_HEADER, rows=rows)


ASSESSMENT_CSV_HEADER = ["partner id", "partner", "previous tier", "computed tier", "applied tier", "movement",
                         "platform-certified", "sales-trained", "revenue (USD)", "agreement accepted", "designated",
                         "reasons"]


@login_required
@require_http_methods(["GET", "POST"])
def run_apply(request, run_id):
    """GET: what applying would do (up / down / unchanged, designated partners kept) and a confirm button.
    POST: apply, only with the explicit confirmation."""
    run = access.run_for_user(request.user, run_id)
    error = None
    if request.method == "POST" and run.status != run.Status.APPLIED:
        if request.POST.get("confirm") != "yes":
            error = _("Tick the confirmation to apply this run.")
        else:
            try:
                run, applied = services.run_apply(run=run, user=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return _applied_redirect(request, run, applied)
    elif request.method == "POST":
        return _applied_redirect(request, run, False)
    return render(request, "tiers/run_apply.html", {
        "run": run, "superseded_by": selectors.superseding_run(run), "error": error,
        "designated_count": selectors.designated_count(run),
    }, status=400 if error else 200)


def _applied_redirect(request, run, applied):
    if applied:
        messages.success(request, ngettext(
            "Applied: %(changed)d tier changed, %(skipped)d skipped because their tier changed after the preview.",
            "Applied: %(changed)d tiers changed, %(skipped)d skipped because their tier changed after the preview.",
            run.changed_count) % {"changed": run.changed_count, "skipped": run.skipped_count})
    else:
        messages.info(request, _("This run was already applied; nothing changed."))
    return redirect("tiers:run_detail", run_id=run.pk)


@login_required
@require_GET
def program_years(request):
    """The program years and their requirements. Copying a year copies its benefits too, so the copy
    form and its action belong to the benefits app (benefits.views.program_year_copy), rendered here
    through tiers.sections like the tier page's benefits."""
    access.require_recalculation_admin(request.user)
    return _program_years_page(request)


def _program_years_page(request, *, error=None, status=200):
    years = list(selectors.program_years_with_runs())
    for year in years:
        year.edit_refusal = selectors.program_year_edit_refusal(year, has_applied_runs=bool(year.applied_runs))
    return render(request, "tiers/program_years.html", {
        "years": years, "copy_section": sections.render(sections.PROGRAM_YEAR_COPY, request), "lifecycle_error": error,
    }, status=status)


@login_required
@require_POST
def program_year_lifecycle(request, year, action):
    """Publish a draft year, or close a published one after its end (program admin; audited)."""
    program_year = access.program_year_for_user(request.user, year)
    service = {"publish": program_services.program_year_publish, "close": program_services.program_year_close}[action]
    try:
        program_year = service(program_year=program_year, user=request.user)
    except ValidationError as error:
        return _program_years_page(request, error=" ".join(error.messages), status=400)
    done = _("%(year)s published.") if action == "publish" else _("%(year)s closed.")
    messages.success(request, done % {"year": program_year})
    return redirect("tiers:program_years")


@login_required
@require_http_methods(["GET", "POST"])
def program_year_edit(request, year):
    program_year = access.program_year_for_user(request.user, year)
    tiers = list(program_year.tiers.order_by("rank"))
    form = ProgramYearForm(request.POST or None, tiers=tiers,
                           initial={"provisional_period_days": program_year.provisional_period_days,
                                    "poc_max_amount": program_year.poc_max_amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.program_year_update(program_year=program_year, user=request.user,
                                         provisional_period_days=form.cleaned_data["provisional_period_days"],
                                         requirements=form.requirements(),
                                         poc_max_amount=form.cleaned_data["poc_max_amount"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(year)s saved.") % {"year": program_year})
            return redirect("tiers:program_years")
    return render(request, "tiers/program_year_edit.html", {
        "form": form, "program_year": program_year, "refusal": selectors.program_year_edit_refusal(program_year),
    }, status=400 if request.method == "POST" else 200)


def registration_forecast_section(request, *, registration):
    """Pipeline to tier for one open registration (rendered into the deal page by dealreg.sections)."""
    from django.template.loader import render_to_string

    from dealreg.rules import ACTIVE_STATUSES

    partner = registration.partner
    if registration.status not in ACTIVE_STATUSES or not partner.tier:
        return None
    s = selectors.standing(partner, as_of=timezone.localdate())
    steps = selectors.pipeline_to_tier(partner, metrics=s["metrics"], requirements=s["requirements"], registrations=[
        (registration.reference, registration.pk, registration.estimated_arr_usd)])
    return render_to_string("tiers/_registration_forecast.html", {"steps": steps, "s": s}, request=request)
