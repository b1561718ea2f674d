"""API tokens: each user creates, lists and revokes their own (page and API).

django-rest-knox stores only a SHA-512 digest of each token (the token itself is shown once, when it is
made) and gives every token an expiry (REST_KNOX["TOKEN_TTL"]). A token is named in URLs by the first
16 characters of its digest, which reveal nothing of the token.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from activity.actions import AuditAction
from activity.services import audit_record

TOKENS_PER_USER = getattr(settings, "API_TOKENS_PER_USER", 10)
PUBLIC_ID_LENGTH = 16


def public_id(token):
    return token.digest[:PUBLIC_ID_LENGTH]


def api_tokens_of(user):
    """The user's tokens still valid, newest first (an expired token is as good as revoked)."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def api_token_for_user(user, token_id):
    """One of the user's own tokens; anyone else's, or a malformed id, is 404."""
    if len(token_id) != PUBLIC_ID_LENGTH:
        raise Http404(_("No such token."))
    token = api_tokens_of(user).filter(digest__startswith=token_id).first()
    if token is None:
        raise Http404(_("No such token."))
    return token


def api_token_create(*, user):
    """Make a token for ``user``; returns (row, token). Only the digest is kept: show the token now."""
    with transaction.atomic():
        # Lock the user's row so two requests at once cannot both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if api_tokens_of(user).count() >= TOKENS_PER_USER:
            raise ValidationError(ngettext("You have %(n)s token already: revoke it first.",
                                           "You have %(n)s tokens already: revoke one first.",
                                           TOKENS_PER_USER) % {"n": TOKENS_PER_USER})
        row, token = AuthToken.objects.create(user=user)
        audit_record(actor=user, action=AuditAction.API_TOKEN_CREATE, obj=user, partner_id=user.partner_id,
                     after={"token": public_id(row), "expires": row.expiry.isoformat()})
    return row, token


def api_token_revoke(*, token, actor):
    with transaction.atomic():
        deleted, _rows = AuthToken.objects.filter(digest=token.digest).delete()
        if deleted:
            audit_record(actor=actor, action=AuditAction.API_TOKEN_REVOKE, obj=token.user,
                         partner_id=token.user.partner_id, before={"token": public_id(token)})
    return token
