"""Template tags of deal registration: ``{% status_badge r %}``, the status badge of the lists, the review queue
and the detail page (one tag instead of an include per row)."""

from django import template
from django.utils.html import format_html

register = template.Library()

BADGE_CLASSES = {
    "approved": "text-bg-success",
    "won": "text-bg-primary",
    "rejected": "text-bg-danger",
    "lost": "text-bg-danger",
    "info_requested": "text-bg-warning",
    "submitted": "text-bg-info",
}


@register.simple_tag
def status_badge(registration):
    return format_html('<span class="badge {}">{}</span>', BADGE_CLASSES.get(registration.status, "text-bg-secondary"),
                       registration.get_status_display())
