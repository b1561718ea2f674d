"""Parts of the deal pages that an app above dealreg renders, without dealreg importing it (the layers
contract in pyproject.toml): the tiers app registers the pipeline-to-tier forecast of an open registration
in its AppConfig.ready(). Nothing is shown when nobody registered a section."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

REGISTRATION_FORECAST = "registration_forecast"  # render(request, *, registration)

_renderers: dict[str, Callable[..., SafeString]] = {}


def register(name: str, render: Callable[..., SafeString]) -> None:
    _renderers[name] = render


def render(name: str, request: HttpRequest, **context) -> SafeString | None:
    renderer = _renderers.get(name)
    return renderer(request, **context) if renderer else None
