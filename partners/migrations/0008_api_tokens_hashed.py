"""Existing DRF tokens (stored in plain text) become django-rest-knox tokens (stored as SHA-512 digests).

Programs keep working with the token they have until it expires (API_TOKEN_TTL_DAYS from now); the
plain-text keys are then deleted. Safe to re-run: a token already copied is skipped.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def copy_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    ttl = settings.REST_KNOX.get("TOKEN_TTL", timedelta(days=90))
    expiry = timezone.now() + ttl
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        # knox.crypto.hash_token: SHA-512 of the token's UTF-8 bytes; knox looks a token up by its first 15 characters.
        digest = hashlib.sha512(key.encode("utf-8")).hexdigest()
        AuthToken.objects.get_or_create(digest=digest, defaults={"token_key": key[:15], "user_id": user_id,
                                                                 "expiry": expiry})
        AuthToken.objects.filter(digest=digest).update(created=created)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0007_partner_resell_invited"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(copy_drf_tokens, migrations.RunPython.noop)]
