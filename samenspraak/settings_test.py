"""The one small override for tests: fast password hashing, plain cookies
for the http live server. Everything else is the real configuration."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("WEBAUTHN_ALLOW_INSECURE_ORIGIN", "1")
# Exports (encrypted ZIPs) of a test run go to a temporary folder, not var/.
os.environ.setdefault("EXPORT_DIR", os.path.join(tempfile.gettempdir(), f"samenspraak-test-exports-{os.getpid()}"))

from samenspraak.settings import *  # noqa: F403

# Pages expose their test hooks (data-test-hooks, e.g. window.samenspraakCall
# in static/js/call.js); off in production, where DEBUG is off too.
TEST_HOOKS = True

# Argon2 is slow on purpose; tests hash hundreds of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not memory, for the SQLite test database: writers in other threads
# (and, later, a live server in a child process) then wait for the write lock
# as they do in production instead of failing at once.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # One file per test run, so two runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
