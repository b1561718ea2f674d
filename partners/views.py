from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from build_portal.forms import add_service_errors

from . import access, selectors, services
from .forms import PartnerApplicationForm
from .models import Agreement, Course, Partner


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
            address = EmailAddress.objects.add_email(request, user, user.email, confirm=True, signup=True)
            address.set_as_primary()
            messages.success(request, "Thank you. Check your email to verify your address, then log in.")
            return redirect("account_login")
    return render(request, "partners/apply.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreements(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    if request.method == "POST":
        access.require_partner_admin(request.user)
        agreement = get_object_or_404(Agreement, pk=request.POST.get("agreement"), is_current=True)
        try:
            services.agreement_accept(
                partner=partner, agreement=agreement, user=request.user, ip_address=request.META.get("REMOTE_ADDR")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You accepted the {agreement.title}.")
        return redirect("partners:agreements")
    accepted = {a.agreement_id: a for a in partner.acceptances.select_related("accepted_by")}
    rows = [(a, accepted.get(a.pk)) for a in selectors.current_agreements()]
    return render(request, "partners/agreements.html", {"partner": partner, "rows": rows})


@login_required
def home(request):
    access.require_partner_user(request.user)
    partner = request.user.partner
    today = timezone.localdate()
    current = Q(completions__expires_on__isnull=True) | Q(completions__expires_on__gte=today)
    counts = partner.people.aggregate(
        people=Count("pk", distinct=True),
        certified=Count("pk", filter=Q(completions__course=Course.PLATFORM) & current, distinct=True),
        trained=Count("pk", filter=Q(completions__course=Course.SELLERS_101) & current, distinct=True),
    )
    return render(request, "partners/home.html", {
        "partner": partner, "counts": counts, "to_accept": selectors.agreements_to_accept(partner),
    })


@login_required
def staff_home(request):
    access.require_staff(request.user)
    partners = access.partners_visible_to(request.user)
    by_tier = partners.values("tier").annotate(n=Count("pk")).order_by("tier")
    unassigned = Partner.objects.filter(tier__in=["silver", "gold", "global_strategic"], pam__isnull=True)
    return render(request, "partners/staff_home.html", {
        "by_tier": by_tier, "partner_count": partners.count(),
        "unassigned": unassigned if request.user.is_program_admin else None,
    })
