"""API users make, list and revoke their own tokens, on a page and through the API; tokens are stored
hashed and expire."""

import datetime
import hashlib
import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from activity.models import AuditEntry
from partners import api_tokens

pytestmark = pytest.mark.django_db


def test_page_makes_a_token_shown_once_and_stored_as_a_digest(client, partner_admin):
    client.force_login(partner_admin)
    response = client.post(reverse("partners:api_tokens"))
    assert response.status_code == 200
    token = re.search(r'data-testid="new-token">([0-9a-f]{64})<', response.content.decode()).group(1)
    row = AuthToken.objects.get(user=partner_admin)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    assert token not in (row.digest, row.token_key)
    assert row.expiry > timezone.now() + datetime.timedelta(days=80)
    # Not shown again.
    listing = client.get(reverse("partners:api_tokens")).content.decode()
    assert token not in listing and token[:8] in listing
    # It signs in to the API (and only as its owner).
    client.logout()
    answer = client.get("/api/v1/partner/", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 200 and answer.json()["id"] == partner_admin.partner_id
    assert AuditEntry.objects.filter(action="partners.api_token_create", actor=partner_admin).exists()


def test_page_revokes_a_token_which_then_stops_working(client, partner_admin, partner_member):
    row, token = api_tokens.api_token_create(user=partner_admin)
    client.force_login(partner_member)
    assert client.post(reverse("partners:api_token_revoke", args=[api_tokens.public_id(row)])).status_code == 404
    client.force_login(partner_admin)
    response = client.post(reverse("partners:api_token_revoke", args=[api_tokens.public_id(row)]))
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=partner_admin).exists()
    client.logout()
    answer = client.get("/api/v1/partner/", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"


def test_api_creates_lists_and_revokes_own_tokens(client, pam):
    row, token = api_tokens.api_token_create(user=pam)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    created = client.post("/api/v1/tokens/", **auth)
    assert created.status_code == 201
    second = created.json()["token"]
    listed = client.get("/api/v1/tokens/", **auth).json()
    assert {t["id"] for t in listed} == {api_tokens.public_id(row), created.json()["id"]}
    assert all("token" not in t for t in listed)
    assert client.post(f"/api/v1/tokens/{api_tokens.public_id(row)}/revoke/", **auth).status_code == 200
    assert client.get("/api/v1/tokens/", **auth).status_code == 401  # the revoked one
    assert client.get("/api/v1/tokens/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200


def test_expired_token_is_refused(client, partner_admin):
    row, token = api_tokens.api_token_create(user=partner_admin)
    AuthToken.objects.filter(digest=row.digest).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/partner/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_tokens_per_user_are_limited(client, partner_admin, settings):
    for _ in range(api_tokens.TOKENS_PER_USER):
        api_tokens.api_token_create(user=partner_admin)
    client.force_login(partner_admin)
    assert client.post("/api/v1/tokens/").status_code == 400
    assert AuthToken.objects.filter(user=partner_admin).count() == api_tokens.TOKENS_PER_USER


def test_old_plain_text_drf_tokens_keep_working_hashed_until_they_expire(client, partner_admin):
    """The data migration: a DRF token (plain text) becomes a knox token with the same value, then the
    plain-text copy is deleted."""
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz NOT NULL,"
                       " user_id bigint NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [key, partner_admin.pk])
    migration = importlib.import_module("partners.migrations.0008_api_tokens_hashed")
    editor = SimpleNamespace(connection=connection)
    migration.copy_drf_tokens(apps, editor)
    migration.copy_drf_tokens(apps, editor)  # safe to re-run
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert AuthToken.objects.filter(user=partner_admin).count() == 1
    assert client.get("/api/v1/partner/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
