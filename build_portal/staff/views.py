"""The staff workspace: the worklist home, reports with charts, and the partner 360."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partners import access
from partners import selectors as partner_selectors

from . import charts, selectors


def _pam_filter(request):
    """A program admin may look at one PAM's book (?pam=<id>) or at partners without one (?pam=none)."""
    if not request.user.is_program_admin:
        return "", None
    pam = request.GET.get("pam", "")
    return (pam if pam == "none" or pam.isdigit() else ""), selectors.pams()


@login_required
@require_GET
def home(request):
    access.require_staff(request.user)
    pam, pams = _pam_filter(request)
    worklist, as_of = selectors.worklist_as_of(request.user, pam=pam)
    context = {**worklist, "pam": pam, "pams": pams, "as_of": as_of,
               "as_of_minutes": selectors.WORKLIST_SECONDS // 60}
    return render(request, "staff/home.html", context)


@login_required
@require_GET
def reports(request):
    access.require_staff(request.user)
    pam, pams = _pam_filter(request)
    partners = selectors.book(request.user, pam=pam)
    figures = [(name, build(partners)) for name, (build, _svg) in charts.CHARTS.items()]
    return render(request, "staff/reports.html", {"figures": figures, "pam": pam, "pams": pams})


@login_required
@require_GET
def chart(request, name):
    access.require_staff(request.user)
    if name not in charts.CHARTS:
        raise Http404(_("No such chart."))
    pam, _pams = _pam_filter(request)
    build, draw = charts.CHARTS[name]
    response = HttpResponse(draw(build(selectors.book(request.user, pam=pam))), content_type="image/svg+xml")
    # The picture is a document of its own: no script may run in it, its inline style is pygal's.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def partner(request, pk):
    access.require_staff(request.user)
    partner = access.partner_for_user(request.user, pk)
    manage = access.may_manage_partner(request.user, partner)
    context = selectors.partner_360(partner, with_audit=request.user.is_program_admin)
    context.update(
        partner=partner, counts=partner_selectors.roster_counts(partner, as_of=timezone.localdate()),
        colleagues=partner_selectors.colleagues(partner), may_manage=manage,
        invitations=partner_selectors.open_invitations(partner, now=timezone.now()) if manage else None,
        acceptances=partner.acceptances.select_related("agreement", "accepted_by"),
    )
    return render(request, "staff/partner.html", context)
