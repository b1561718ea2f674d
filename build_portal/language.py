"""Which language a request is answered in, and the switcher that chooses it.

- A first visit follows the browser's Accept-Language (django.middleware.locale.LocaleMiddleware), else English.
- The switcher on every page (templates/_language_switcher.html) posts to ``set_language`` below: Django's own
  view (the language cookie), plus the choice kept in the session and, when signed in, on the profile
  (``User.language``; blank means follow the browser).
- Pages: ``ProfileLanguageMiddleware`` then activates the signed-in user's profile language, else the
  session's choice, over what LocaleMiddleware found.
- API with a token: token authentication runs in the view, after every middleware. A client that sends
  Accept-Language is answered in it; one that does not, in its user's profile language
  (``TokenAuthentication`` below).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real
from django.views.decorators.http import require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from django.views.i18n import set_language as django_set_language
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from partners.models import User

# The session key of the switcher's choice (Django itself keeps only the cookie since 4.0).
SESSION_KEY = "language"


def supported_language(code):
    """The LANGUAGES entry for a code ("pt-BR" → "pt-br", "fr-CA" → "fr"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def accept_language(request):
    """The first language of the request's Accept-Language header that the portal speaks, or None."""
    for code, _quality in trans_real.parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            return None
        language = supported_language(code)
        if language:
            return language
    return None


def _activate(request, language):
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


class ProfileLanguageMiddleware:
    """After AuthenticationMiddleware: the profile's language for a signed-in user, else the session's
    choice; otherwise LocaleMiddleware's answer (cookie, Accept-Language, English) stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated:
            language = supported_language(user.language)
        if language is None and hasattr(request, "session"):
            language = supported_language(request.session.get(SESSION_KEY))
        if language and language != translation.get_language():
            _activate(request, language)
        return self.get_response(request)


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication; a token request without a language of its own (no Accept-Language the
    portal speaks) is answered in the token user's profile language."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and accept_language(request) is None:
            language = supported_language(result[0].language)
            if language:
                _activate(request, language)
        return result


class TokenScheme(KnoxTokenScheme):
    """The schema names this authentication as drf-spectacular names knox's (a header ``Authorization: Token
    ...``): its extension matches knox's class only, and without one the schema would list no token scheme, so
    clients (and schemathesis's authentication checks) would not know where the token goes."""

    target_class = "build_portal.language.TokenAuthentication"


@require_POST
def set_language(request):
    """Django's set_language (the cookie, the redirect back to ``next``), and the choice kept in the
    session and, when signed in, on the profile, so that the next sign-in on another device follows it too."""
    response = django_set_language(request)
    language = supported_language(request.POST.get(LANGUAGE_QUERY_PARAMETER))
    if language and language in dict(settings.LANGUAGES):
        request.session[SESSION_KEY] = language
        if request.user.is_authenticated and request.user.language != language:
            User.objects.filter(pk=request.user.pk).update(language=language)
            request.user.language = language
    return response


def languages(request):
    """Context processor: the switcher's languages, each named in itself (settings.LANGUAGES, untranslated,
    unlike Django's get_available_languages which translates the names)."""
    return {"portal_languages": settings.LANGUAGES}
