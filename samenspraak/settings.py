"""Settings for Samenspraak, read from the environment.

Embedded default (no variables set): SQLite in WAL mode, in-memory channel
layer, a cache table in the database (shared by all worker processes: rate
limits count there), in-process tasks. ``DATABASE_URL`` switches to
PostgreSQL; ``REDIS_URL`` switches the channel layer and the cache to Redis.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from samenspraak.dburl import database_from_url, sqlite_database
from samenspraak.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError(
            "DJANGO_SECRET_KEY is not set. Set it (or DJANGO_SECRET_KEY_FILE), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Platform core: the rate-limit store shared by all worker processes.
    "ratelimits",
    # Platform core: notification preferences, push subscriptions, the installable app.
    "notifications",
    # Our capabilities, one app each.
    "accounts",
    "organisations",
    "audit",
    # Platform core: the consent register every capability writes to.
    "consents",
    "casefiles",
    "blend",
    "messaging",
    "appointments",
    "diary",
    "outcomes",
    "exports",
    "privacy",
    "learning",
    "preparation",
    "benchmark",
    "feedback",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files stay cacheable, every page gets no-store.
    "samenspraak.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pages.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages middleware: it tells the person why they were signed out.
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "accounts.middleware.StaffMustUseMFAMiddleware",
]

ROOT_URLCONF = "samenspraak.urls"
WSGI_APPLICATION = "samenspraak.wsgi.application"
ASGI_APPLICATION = "samenspraak.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.layout",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {"default": sqlite_database(str(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "samenspraak.sqlite3"))))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "samenspraak"),
        }
    }
    # Longer than every blocking Redis call we make (channel layer 5 s, task
    # worker 5 s), so the server, not the client, ends a blocking wait.
    REDIS_SOCKET_TIMEOUT = 30
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 gives up reading after 5 s by default, exactly as
                # long as the channel layer's blocking pop waits on an idle
                # channel (5 s): under load the client timed out first and
                # the consumer died (close code 1011). A longer read timeout.
                "hosts": [{"address": REDIS_URL, "socket_timeout": REDIS_SOCKET_TIMEOUT}],
                "prefix": env_str("CHANNEL_PREFIX", "samenspraak"),
            },
        }
    }
else:
    # A table in the database every worker process uses, never per-process
    # memory: rate limits and one-time codes live in the cache
    # (docs/security/rate-limits.md). Expired rows are purged, not culled,
    # so a flood of keys cannot push live counters out.
    CACHES = {
        "default": {
            "BACKEND": "ratelimits.cache.SharedDatabaseCache",
            "LOCATION": "samenspraak_cache",
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Django's tasks framework. In-process by default: a task runs when it is
# enqueued (services enqueue after the transaction commits). With Redis, a
# queue in Redis and `manage.py run_tasks` as the worker.
if REDIS_URL:
    TASKS = {
        "default": {
            "BACKEND": "samenspraak.task_queue.RedisQueueBackend",
            "OPTIONS": {"url": REDIS_URL, "prefix": env_str("CACHE_KEY_PREFIX", "samenspraak")},
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- Accounts and sign-in ----------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    # Residents through an OpenID Connect provider; answers only the
    # provider's callback (accounts/oidc.py).
    "accounts.oidc.ResidentOIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# A reset for an unknown address sends nothing (its mail would point to the
# closed sign-up page).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_USER_DISPLAY = "accounts.models.display_name"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# The reset mail is sent after the page has answered, so a known address
# takes no longer than an unknown one (docs/security/hardening.md).
ACCOUNT_FORMS = {"reset_password": "accounts.forms.PasswordResetForm"}
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: per account from one address ("key" is account +
    # address, accounts.adapter) and per address over all accounts (an
    # office behind one NAT shares an address). Per account from all
    # addresses: RATE_LIMIT_LOGIN_FAILED_ACCOUNT below.
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "5/15m/key,100/15m/ip"),
    # Every sign-in (right or wrong) per address: a flood guard, above what
    # an office signing in at nine o'clock behind one address needs.
    "login": "100/m/ip",
    "reset_password": "10/h/ip,3/h/key",
    "change_password": "5/m/user",
    # Guessing activation codes: per address and in total, so a botnet
    # spreading guesses over many addresses is slowed down too.
    "activate": env_str("RATE_LIMIT_ACTIVATE", "10/15m/ip"),
}
# Failed sign-ins of one account from all addresses per 15 minutes. Beyond
# this, only addresses where the account signed in before (90 days) may try:
# a stranger cannot lock the owner out of their usual address.
RATE_LIMIT_LOGIN_FAILED_ACCOUNT = env_int("RATE_LIMIT_LOGIN_FAILED_ACCOUNT", 50)
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Samenspraak"
# Also accept the code of the previous 30 seconds: typing takes time. allauth's
# tolerance also accepts the next step; our forms refuse that (accounts/totp.py).
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "accounts.totp.TotpAuthenticateForm",
    "reauthenticate": "accounts.totp.TotpReauthenticateForm",
    "activate_totp": "accounts.totp.TotpActivateForm",
}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("WEBAUTHN_ALLOW_INSECURE_ORIGIN", DEBUG)
# Tracking "last seen" would write to the database on every request.
USERSESSIONS_TRACK_ACTIVITY = False
# Ending a session from the session list also closes its open sockets.
USERSESSIONS_ADAPTER = "accounts.usersessions.UserSessionsAdapter"

# Residents sign in through an OpenID Connect provider (DigiD through a
# broker; docs/oidc.md), with mozilla-django-oidc. Off unless a client id and
# the provider (its discovery document, or the endpoints one by one) are set.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_DISCOVERY_URL = env_str("OIDC_OP_DISCOVERY_URL", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid")
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", False)
# The lowest assurance level accepted in the ID token's "acr" (an eIDAS,
# eToegang or DigiD level; higher levels of the same scale count too).
OIDC_REQUIRED_ACR = env_str("OIDC_REQUIRED_ACR", "http://eidas.europa.eu/LoA/substantial")
# The name on the sign-in button.
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "DigiD")
# Key of the hash under which a provider's "sub" is stored (derived from
# SECRET_KEY when empty; a key of its own survives a SECRET_KEY rotation).
OIDC_SUBJECT_HASH_KEY = env_str("OIDC_SUBJECT_HASH_KEY", "")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_TIMEOUT = 10
# The provider's sign-in page is reached by a redirect after a form ("Koppel
# DigiD", the password asked again); the CSP's form-action must allow it.
_oidc_entry = urlsplit(OIDC_OP_AUTHORIZATION_ENDPOINT or OIDC_OP_DISCOVERY_URL)
OIDC_OP_ORIGIN = f"{_oidc_entry.scheme}://{_oidc_entry.netloc}" if _oidc_entry.netloc else ""

# Minutes of inactivity after which a session ends, per kind of user.
SESSION_IDLE_MINUTES_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 15)
SESSION_IDLE_MINUTES_RESIDENT = env_int("SESSION_IDLE_MINUTES_RESIDENT", 30)
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# Activation codes and invitations.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# --- Security headers --------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The service worker (/sw.js) and the web app manifest, both our own.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF, *([OIDC_OP_ORIGIN] if OIDC_OP_ORIGIN else [])],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# Only with SECURE_HSTS_SECONDS > 0. Subdomains: every host under the domain
# must serve HTTPS. Preload: submit the domain to the browsers' preload list
# (hard to undo; see docs/security/hardening.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# How many proxies of our own stand in front (they append to X-Forwarded-For);
# used for the access log's IP address and the sign-in rate limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Signed checkpoints of the access log's chain heads, outside the database
# (docs/security/access-log.md): an append-only directory, and the key that
# signs them (derived from SECRET_KEY when empty; a key of its own survives
# a SECRET_KEY rotation).
ACCESS_LOG_CHECKPOINT_DIR = env_str("ACCESS_LOG_CHECKPOINT_DIR", str(BASE_DIR / "var" / "checkpoints"))
ACCESS_LOG_CHECKPOINT_KEY = env_str("ACCESS_LOG_CHECKPOINT_KEY", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# --- Language and time -------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and mail ---------------------------------------------------

_s3_bucket = env_str("PRIVATE_STORAGE_S3_BUCKET", "")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "media")},
    },
    # Residents' documents: never under STATIC or a public URL.
    "private": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _s3_bucket,
                "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
                "access_key": env_str("AWS_ACCESS_KEY_ID", ""),
                "secret_key": env_str("AWS_SECRET_ACCESS_KEY", ""),
                "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "location": "private",
            },
        }
        if _s3_bucket
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": env_str("PRIVATE_STORAGE_DIR", str(BASE_DIR / "var" / "private")),
                "base_url": None,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# A second place for the access log's checkpoints (a storage alias): the
# private S3 bucket when configured (docs/security/access-log.md).
ACCESS_LOG_CHECKPOINT_STORAGE = env_str("ACCESS_LOG_CHECKPOINT_STORAGE", "private" if _s3_bucket else "")
# Uploads above this size go to a temporary file, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Uploaded Office/OpenDocument files are zip archives: what they may unpack
# to, measured while reading, not as declared (docs/security/uploads.md).
UPLOAD_MAX_UNZIPPED_BYTES = env_int("UPLOAD_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
UPLOAD_MAX_MEMBER_BYTES = env_int("UPLOAD_MAX_MEMBER_BYTES", 50 * 1024 * 1024)
UPLOAD_MAX_MEMBERS = env_int("UPLOAD_MAX_MEMBERS", 1000)
# clamd for every accepted upload: a unix socket path or tcp://host:port;
# empty means no virus scan. Configured but unreachable refuses the upload.
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET", "")
CLAMAV_TIMEOUT_SECONDS = env_int("CLAMAV_TIMEOUT_SECONDS", 30)
# Short texts (SMS): a backend class from samenspraak.sms, or empty for off.
SMS_BACKEND = env_str("SMS_BACKEND", "")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
# Channels that tell people there is something new (never what); SMS joins
# e-mail and push when an SMS backend is set.
NOTIFIERS = env_list(
    "NOTIFIERS",
    ["samenspraak.notify.EmailNotifier", "notifications.push.PushNotifier"]
    + (["samenspraak.notify.SmsNotifier"] if SMS_BACKEND else []),
)
# Web Push (docs/notifications.md): the VAPID key pair; without it a key is
# generated once into VAPID_KEY_FILE. The subject tells push services whom
# to contact (a mailto: or https: address).
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_KEY_FILE = env_str("VAPID_KEY_FILE", str(BASE_DIR / "var" / "vapid_private_key"))
VAPID_SUBJECT = env_str(
    "VAPID_SUBJECT", SITE_URL if SITE_URL.startswith("https://") else "mailto:noreply@samenspraak.invalid"
)
# A push endpoint over plain http on loopback: only for development and the
# tests' own push service; real push services are https.
PUSH_ALLOW_LOOPBACK_HTTP = env_bool("PUSH_ALLOW_LOOPBACK_HTTP", DEBUG)
# The push services a browser may name (a host or a parent domain): the
# server posts to the endpoint, so an arbitrary address would let anyone
# signed in make it call any server.
PUSH_ENDPOINT_HOSTS = env_list(
    "PUSH_ENDPOINT_HOSTS",
    ["fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"],
)
# Messages one person may send per 10 seconds.
MESSAGE_RATE_LIMIT = env_int("MESSAGE_RATE_LIMIT", 20)
# Activity diary: a week counts as skewed when effort exceeds relaxation by
# more than this many points; two such weeks in a row give the coach a signal.
DIARY_BALANCE_MARGIN = env_int("DIARY_BALANCE_MARGIN", 5)
# Download of all own data (exports app, docs/export.md): where the encrypted
# ZIPs are kept (never under static or media), the Fernet key (default:
# derived from SECRET_KEY), how long a download stays, how many requests a
# resident may make per day, and whether internal case-file notes go in
# (organisation policy: no).
EXPORT_DIR = env_str("EXPORT_DIR", str(BASE_DIR / "var" / "exports"))
EXPORT_ENCRYPTION_KEY = env_str("EXPORT_ENCRYPTION_KEY", "")
EXPORT_VALID_DAYS = env_int("EXPORT_VALID_DAYS", 7)
EXPORT_REQUESTS_PER_DAY = env_int("EXPORT_REQUESTS_PER_DAY", 3)
EXPORT_INCLUDE_INTERNAL_NOTES = env_bool("EXPORT_INCLUDE_INTERNAL_NOTES", False)

# Video calls (appointments/calls.py, deploy/coturn.md). Without STUN/TURN,
# calls connect only between devices that reach each other directly (one
# machine or network); production sets a TURN server with a shared secret.
VIDEO_STUN_URLS = env_list("VIDEO_STUN_URLS", [])
VIDEO_TURN_URLS = env_list("VIDEO_TURN_URLS", [])
VIDEO_TURN_SECRET = env_str("VIDEO_TURN_SECRET", "")
# Signalling frames (offers, answers, ICE candidates) one person may send per 10 seconds.
CALL_SIGNAL_RATE_LIMIT = env_int("CALL_SIGNAL_RATE_LIMIT", 100)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = env_bool("STATIC_USE_FINDERS", True)

# Mail goes to the console unless SMTP is configured (EMAIL_HOST).
_smtp_host = env_str("EMAIL_HOST", "")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samenspraak <noreply@samenspraak.invalid>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tokens in URLs (calendar feed, old invitation links) never reach a log line.
    "filters": {"redact_secrets": {"()": "samenspraak.log_redaction.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
