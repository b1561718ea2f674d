"""Pages of the benefits app: thin callers of access, selectors and services."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors

from . import access, rules, selectors, services
from .badges import BADGE_HEIGHT, BADGE_WIDTH, badge_links
from .forms import DirectorySearchForm, InvitationForm, LeadForm, ListingForm, ProgramYearCopyForm, WithdrawForm
from .templatetags import benefits_tags
from .throttles import lead_allowance
from .vocabulary import INDUSTRY_NAMES, PRODUCT_NAMES, names, split_codes

INVITATIONS_PAGE_SIZE = 50
LEADS_PAGE_SIZE = 50


@login_required
@require_GET
def benefits(request):
    partner = access.partner_of_user(request.user)
    return render(request, "benefits/benefits.html", {"partner": partner})


# Program years (program admins) ----------------------------------------------------------------------


@login_required
@require_POST
def program_year_copy(request):
    """Copy a program year with its benefits; the form lives on the tiers app's program years page."""
    access.require_program_year_admin(request.user)
    form = ProgramYearCopyForm(request.POST)
    if form.is_valid():
        try:
            new = services.program_year_copy_with_benefits(
                source=form.cleaned_data["source"], year=form.cleaned_data["year"], user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Copied to %(year)s with its benefits. Edit its requirements below.") % {"year": new})
            return redirect("tiers:program_year_edit", year=new.year)
    return render(request, "tiers/program_years.html", {
        "years": selectors.program_years(), "copy_section": program_year_copy_section(request, form=form),
    }, status=400)


def tier_benefits_section(request, *, partner, program_year):
    """The benefits list of the tier page (tiers.sections): staff read about the partner, not "your tier"."""
    for_staff = request.user.is_authenticated and bool(request.user.staff_role)
    return benefits_tags.tier_benefits(partner, program_year=program_year, for_staff=for_staff)


def program_year_copy_section(request, *, form=None):
    """The "Copy a year" form of the program years page (tiers.sections); a bound form shows its errors."""
    return render_to_string("benefits/_program_year_copy.html",
                            {"form": form or ProgramYearCopyForm(), "csrf_token": get_token(request)})


# Invitations (staff) ---------------------------------------------------------------------------------


@login_required
@require_GET
def invitations(request):
    """Who has which invitation: program admins see every partner's, PAMs and PSAs their partners'."""
    access.require_staff(request.user)
    show = request.GET.get("show", "active")
    qs = access.invitations_visible_to(request.user).order_by("-invited_at", "-pk")
    if show != "all":
        qs = qs.filter(withdrawn_at__isnull=True)
    benefit = request.GET.get("benefit", "")
    if benefit:
        qs = qs.filter(benefit__code=benefit)
    page = Paginator(qs, INVITATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.invitation_rows(qs.filter(pk__in=[inv.pk for inv in page.object_list]))
    rows.sort(key=lambda row: (-row[0].invited_at.timestamp(), -row[0].pk))
    partner_query = request.GET.get("partner", "").strip()[:100]
    partners = (
        access.partners_visible_to(request.user).filter(name__icontains=partner_query).order_by("name")[:20]
        if partner_query else []
    )
    year = selectors.program_year_for(timezone.localdate())
    return render(request, "benefits/invitations.html", {
        "page": page, "rows": rows, "show": show, "benefit": benefit, "partner_query": partner_query,
        "partners": partners, "benefit_choices": selectors.benefits_of_year(year) if year else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def partner_invitations(request, partner_id):
    partner = access.partner_for_invitations(request.user, partner_id, for_change=request.method == "POST")
    year = selectors.program_year_for(timezone.localdate())
    invitable = selectors.invitable_benefits(partner, year) if year else []
    form = InvitationForm(request.POST or None, benefits=invitable)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user, partner=partner, benefit_code=form.cleaned_data["benefit"],
                reason=form.cleaned_data["reason"], region=form.cleaned_data["region"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(partner)s is invited; the partner has been notified.") % {"partner": partner.name})
            return redirect("benefits:partner_invitations", partner_id=partner.pk)
    history = selectors.partner_invitations(partner, year) if year else []
    return render(request, "benefits/partner_invitations.html", {
        "partner": partner, "program_year": year, "form": form, "invitable": invitable, "history": history,
        "may_invite": access.may_invite_partner(request.user, partner), "who_may_invite": access.who_may_invite(partner),
        "withdraw_form": WithdrawForm(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def invitation_withdraw(request, invitation_id):
    invitation = access.invitation_for_user(request.user, invitation_id, for_change=True)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_withdraw(actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invitation to %(benefit)s withdrawn; the partner was notified.") % {
                "benefit": invitation.benefit.name})
    else:
        messages.error(request, _("Give a reason to withdraw the invitation."))
    return redirect("benefits:partner_invitations", partner_id=invitation.partner_id)


# Showcase listing (partner) ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def showcase(request):
    partner = access.partner_of_user(request.user)
    listing = selectors.listing_of(partner)
    form = ListingForm(initial=ListingForm.initial_for(listing))
    status = 200
    if request.method == "POST":
        partner = access.listing_partner_for_change(request.user)
        form = ListingForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            logo = data.pop("logo")
            try:
                services.listing_save(actor=request.user, partner=partner, values=data,
                                      logo=logo or None, remove_logo=logo is False)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Listing saved."))
                return redirect("benefits:showcase")
        status = 400
    missing, blockers = selectors.listing_state(partner, listing)
    total = len(rules.LISTING_FIELDS)
    return render(request, "benefits/showcase.html", {
        "partner": partner, "listing": listing, "form": form, "missing": missing, "blockers": blockers,
        "completeness": round(100 * (total - len(missing)) / total),
        "published": not blockers, "may_edit": request.user.is_partner_admin,
    }, status=status)


@login_required
@require_GET
def leads(request):
    """Messages visitors sent from the public listing: the partner's admins and members read them."""
    partner = access.partner_of_user(request.user)
    page = Paginator(selectors.leads_of(partner), LEADS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "benefits/leads.html", {"partner": partner, "page": page,
                                                   "published": selectors.published_listing(partner.pk) is not None})


@login_required
@require_GET
def showcase_logo(request):
    """The draft's logo, for the partner's own users (the public one is served only when published)."""
    partner = access.partner_of_user(request.user)
    return _logo_response(selectors.listing_of(partner), public=False)


def _logo_response(listing, *, public):
    if listing is None or not listing.logo:
        raise Http404(_("No logo."))
    try:
        handle = default_storage.open(listing.logo.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("No logo.")) from exc
    content_type = mimetypes.guess_type(listing.logo.name)[0]
    if content_type not in ("image/png", "image/jpeg"):
        raise Http404(_("No logo."))
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Public directory ----------------------------------------------------------------------------------


def _public_listing(listing):
    return {
        "listing": listing, "partner": listing.partner,
        "tier_name": rules.TIER_NAMES.get(listing.partner.tier, ""),
        "products": names(listing.products, PRODUCT_NAMES), "industries": names(listing.industries, INDUSTRY_NAMES),
        "countries": split_codes(listing.countries_served),
    }


@require_GET
def directory(request):
    form = DirectorySearchForm(request.GET)
    if not form.is_valid():
        return render(request, "benefits/directory.html", {"form": form, "page": None}, status=400)
    page = selectors.directory_page(page=form.cleaned_data["page"] or 1, **form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    entries = [_public_listing(x) for x in page.entries]
    return render(request, "benefits/directory.html", {
        "form": form, "page": page, "entries": entries, "query": query.urlencode(),
        "cards_key": _cards_key(entries), "cards_seconds": CARDS_SECONDS, "filter_keys": _filter_keys(request, form),
    })


def _filter_keys(request, form):
    """Each select of the search form is remembered per language and chosen value ({% remembered %},
    templates/benefits/directory.html): rendering the 250 countries cost a few milliseconds of CPU per search.
    Only a value as the select shows it (a choice, as sent: a country typed in lower case selects nothing and
    is rendered each time), so that there are a few hundred of them at most."""
    if not form.is_valid():
        return {}
    keys = {}
    for name in ("country", "product", "industry", "tier"):
        sent = request.GET.get(name)
        if sent is None or sent == form.cleaned_data[name]:
            keys[name] = f"{get_language()}:{get_script_prefix()}:{name}:{sent!r}"
    return keys


# The directory's rendered cards are kept under a key made of everything they show (templates/benefits/
# directory.html: a field added to a card goes in here too), in the reader's language.
CARDS_VERSION = 1
CARDS_SECONDS = 15 * 60


def _cards_key(entries):
    shown = [(e["partner"].pk, e["partner"].name, e["partner"].tier, str(e["tier_name"]), e["listing"].description,
              [str(p) for p in e["products"]], list(e["countries"])) for e in entries]
    return f"{CARDS_VERSION}:{get_language()}:{shown!r}"


@require_http_methods(["GET", "POST"])
def listing(request, partner_id):
    """A published listing with its "contact this partner" form: the message goes to the partner's admins
    through the outbox and is kept for the partner; the visitor sees no address but the listing's own."""
    entry = selectors.published_listing(partner_id)
    if entry is None:
        raise Http404(_("No such listing."))
    form = LeadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            allowed, wait = lead_allowance(request)
            if allowed:
                services.lead_create(listing=entry, **form.cleaned_data)
                messages.success(request, _("Your message was sent to %(partner)s. They will reply by email.") % {
                    "partner": entry.partner.name})
                return redirect(f"{request.path}#contact")
            status = 429
            minutes = max(1, round((wait or 60) / 60))
            form.add_error(None, ngettext(
                "Too many messages from your network. Try again in %(n)s minute.",
                "Too many messages from your network. Try again in %(n)s minutes.", minutes) % {"n": minutes})
    return render(request, "benefits/listing.html", {**_public_listing(entry), "lead_form": form}, status=status)


@require_GET
def listing_logo(request, partner_id):
    return _logo_response(selectors.published_listing(partner_id), public=True)


# Tier badge -------------------------------------------------------------------------------------------


@login_required
@require_GET
def badge(request):
    partner = access.partner_of_user(request.user)
    valid = rules.badge_valid(tier=partner.tier, is_active=partner.is_active)
    year = selectors.program_year_for(timezone.localdate())
    return render(request, "benefits/badge.html", {
        "partner": partner, "valid": valid, "program_year": year, **(badge_links(request, partner) if valid else {}),
    })


def _badge_context(partner):
    year = selectors.program_year_for(timezone.localdate())
    return {
        "partner": partner, "valid": rules.badge_valid(tier=partner.tier, is_active=partner.is_active),
        "tier_name": rules.TIER_NAMES.get(partner.tier, _("Not registered")), "program_year": year,
        "width": BADGE_WIDTH, "height": BADGE_HEIGHT,
    }


@require_GET
def badge_svg(request, token):
    partner = selectors.badge_partner(token)
    if partner is None:
        raise Http404(_("No such badge."))
    response = render(request, "benefits/badge.svg", _badge_context(partner), content_type="image/svg+xml")
    # Embedded on other sites: short cache so a lost tier shows soon; no scripts inside the SVG.
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def badge_verify(request, token):
    partner = selectors.badge_partner(token)
    if partner is None:
        raise Http404(_("No such badge."))
    context = _badge_context(partner)
    context["listing_published"] = context["valid"] and selectors.published_listing(partner.pk) is not None
    context["site_url"] = settings.SITE_URL
    return render(request, "benefits/badge_verify.html", context)
