"""The tier badge's public URLs and the HTML snippet a partner copies (guide p.5 "tiered badging")."""

from django.urls import reverse
from django.utils.html import format_html

BADGE_WIDTH, BADGE_HEIGHT = 240, 64


def badge_links(request, partner):
    """Absolute URLs of the badge image and verification page, both addressed by the unguessable
    Partner.badge_token, and the snippet that embeds one linking to the other."""
    svg = request.build_absolute_uri(reverse("benefits:badge_svg", kwargs={"token": partner.badge_token}))
    verify = request.build_absolute_uri(reverse("benefits:badge_verify", kwargs={"token": partner.badge_token}))
    snippet = format_html(
        '<a href="{}" title="Verify {}\'s Twilio Build tier"><img src="{}" alt="Twilio Build partner badge" '
        'width="{}" height="{}"></a>', verify, partner.name, svg, BADGE_WIDTH, BADGE_HEIGHT,
    )
    return {"svg_url": svg, "verify_url": verify, "snippet": str(snippet)}
