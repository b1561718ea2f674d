"""Invitation link tokens: random, shown once in the email, stored only as a hash."""

import hashlib
import secrets


def new_token():
    return secrets.token_urlsafe(32)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()
