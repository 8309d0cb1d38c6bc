"""The one small override for tests: fast password hashing, plain cookies
for the http live server. Everything else is the real configuration."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("WEBAUTHN_ALLOW_INSECURE_ORIGIN", "1")

from samenspraak.settings import *  # noqa: F403

# Argon2 is slow on purpose; tests hash hundreds of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
