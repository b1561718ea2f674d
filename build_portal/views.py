from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from partners.access import is_partner_user, is_staff_user


def home(request):
    """Public landing for visitors; partner users and staff go to their own home."""
    user = request.user
    if is_partner_user(user):
        return redirect("partners:home")
    if is_staff_user(user):
        return redirect("partners:staff_home")
    return render(request, "home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
