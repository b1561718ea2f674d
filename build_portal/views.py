from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.access import is_partner_user, is_staff_user, require_partner_user

from . import health
from . import partner_home as partner_home_selectors


def home(request):
    """Public landing for visitors; partner users and staff go to their own home."""
    user = request.user
    if is_partner_user(user):
        return redirect("partner_home")
    if is_staff_user(user):
        return redirect("staff:home")
    return render(request, "home.html")


@login_required
def partner_home(request):
    """The partner's home: tier and progress, next steps, deals, MDF and the PAM (build_portal/partner_home.py)."""
    require_partner_user(request.user)
    context = partner_home_selectors.partner_home(request.user.partner, user=request.user,
                                                  today=timezone.localdate())
    return render(request, "partners/home.html", context)


def healthz(request):
    """PostgreSQL, Redis and a Celery worker (``?check=postgresql&check=redis`` for some only): 200 when
    all answer, else 503 naming what fails."""
    healthy, checks = health.report(request.GET.getlist("check"))
    body = {"status": "ok" if healthy else "failing", "checks": checks}
    if not healthy:
        body["failing"] = [name for name, result in checks.items() if result != "ok"]
    return JsonResponse(body, status=200 if healthy else 503)


def not_found(request, exception=None):
    """API clients get JSON for an unknown URL (e.g. a malformed id), people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return render(request, "500.html", status=500)
