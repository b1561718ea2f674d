from django.http import JsonResponse
from django.shortcuts import redirect, render

from partners.access import is_partner_user, is_staff_user

from . import health


def home(request):
    """Public landing for visitors; partner users and staff go to their own home."""
    user = request.user
    if is_partner_user(user):
        return redirect("partners:home")
    if is_staff_user(user):
        return redirect("partners:staff_home")
    return render(request, "home.html")


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
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return render(request, "500.html", status=500)
