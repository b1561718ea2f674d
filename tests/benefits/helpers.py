"""Test helpers of the benefits app: images and complete showcase listings."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from partners.models import ShowcaseListing


def image_bytes(fmt="PNG", size=(40, 20), color=(200, 30, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


COMPLETE = {
    "description": "We build contact centres on Twilio Flex.",
    "services": "Contact-centre migration, managed support",
    "industries": "retail,healthcare",
    "countries_served": "US,GB",
    "products": "flex,messaging",
    "website": "https://acme.example",
    "contact_email": "hello@acme.example",
}


def make_listing(partner, *, logo=True, **overrides):
    """A listing written directly (the service is tested on its own); complete unless told otherwise."""
    listing = ShowcaseListing(partner=partner, **(COMPLETE | overrides))
    if logo:
        listing.logo.save(f"test-{partner.pk}.png", ContentFile(image_bytes()), save=False)
    listing.save()
    return listing
