from django import template

from ..selectors import program_year_notice as notice_for_today

register = template.Library()


@register.inclusion_tag("program/_year_notice.html", takes_context=True)
def program_year_notice(context):
    """The program admin's notice about program years (program.selectors.program_year_notice); nothing for
    anyone else. One query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and getattr(user, "is_program_admin", False)):
        return {"notice": None}
    return {"notice": notice_for_today(), "csrf_token": context.get("csrf_token")}
