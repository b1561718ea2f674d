from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import access, selectors, services


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_GET
def notification_list(request):
    show = request.GET.get("show", "all")
    notifications = access.notifications_visible_to(request.user)
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = selectors.CappedPaginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "activity/notifications.html", {"page": page, "show": show})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with ``open`` go on to the page it is about."""
    notification = access.notification_for_user(request.user, pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect(_safe_next(request, "activity:notifications"))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, ngettext("%(n)d notification marked as read.", "%(n)d notifications marked as read.",
                                       count) % {"n": count})
    return redirect("activity:notifications")
