"""Parts of the tier pages that an app above tiers renders, without tiers importing it (the layers
contract in pyproject.toml): the benefits app registers the benefits list of the standing page and the
"copy a year" form of the program years page in its AppConfig.ready(). A page shows a placeholder
sentence for a section nobody registered."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

STANDING_BENEFITS = "standing_benefits"  # render(request, *, partner, program_year)
PROGRAM_YEAR_COPY = "program_year_copy"  # render(request, *, form=None)

_renderers: dict[str, Callable[..., SafeString]] = {}


def register(name: str, render: Callable[..., SafeString]) -> None:
    _renderers[name] = render


def render(name: str, request: HttpRequest, **context) -> SafeString | None:
    renderer = _renderers.get(name)
    return renderer(request, **context) if renderer else None
