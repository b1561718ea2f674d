from django.urls import get_script_prefix
from django.utils.translation import get_language

from activity.selectors import unread_count


def navigation(request):
    """The navigation's unread count, and ``nav_key``: what its menus depend on (templates/base.html remembers
    them per process under it: ``{% remembered %}``): the language, the URL prefix, and who reads, as the menus
    tell them apart (signed in or not, partner user or not, the staff role)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    who = f"{user.partner_id is not None}:{user.staff_role}" if signed_in else "anonymous"
    context = {"nav_key": f"{get_language()}:{get_script_prefix()}:{who}"}
    if signed_in:
        unread = context["unread_notifications"] = unread_count(user)
        # The badge shows the count ("99+" once capped): it is all the block depends on, with the language.
        context["notifications_key"] = f"{get_language()}:{get_script_prefix()}:{unread}"
    return context
