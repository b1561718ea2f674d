"""The tier badge's public URLs and the HTML snippet a partner copies (guide p.5 "tiered badging")."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

BADGE_WIDTH, BADGE_HEIGHT = 240, 64


def badge_links(request, partner):
    """Absolute URLs of the badge image and verification page, both addressed by the unguessable
    Partner.badge_token, and the snippet that embeds one linking to the other."""
    svg = request.build_absolute_uri(reverse("benefits:badge_svg", kwargs={"token": partner.badge_token}))
    verify = request.build_absolute_uri(reverse("benefits:badge_verify", kwargs={"token": partner.badge_token}))
    # The snippet is pasted into the partner's own site: its title and alt are in the language of the
    # partner user who copies it.
    snippet = format_html(
        '<a href="{}" title="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
        verify, _("Verify %(partner)s's Twilio Build tier") % {"partner": partner.name}, svg,
        _("Twilio Build partner badge"), BADGE_WIDTH, BADGE_HEIGHT,
    )
    return {"svg_url": svg, "verify_url": verify, "snippet": str(snippet)}
