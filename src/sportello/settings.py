"""Sportello settings: one module, every value from the environment.

Each helper reads one variable; a secret may also come from ``<NAME>_FILE``
(Docker and systemd credentials). With ``DEBUG`` off, anything production
cannot run without raises ``ImproperlyConfigured`` at start-up.
"""

import os
import re
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Lets classes such as ModelAdmin[Model] be subscripted at run time, as the types say.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the content of the file named by ``<name>_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def required(name: str, value: object) -> None:
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (see the settings table in README.md)."
        )


DEBUG = env_bool("DEBUG")
# The demo switch turns on the landing page, the local mailbox and the demo
# company host names; it must never be on in production.
DEMO = env_bool("SPORTELLO_DEMO")

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-" + "x" * 40
    ALLOWED_HOSTS = ALLOWED_HOSTS or [".localhost", "localhost", "127.0.0.1", "testserver"]
else:
    required("SECRET_KEY", SECRET_KEY)
    required("ALLOWED_HOSTS", ALLOWED_HOSTS)

VAR_DIR = Path(env_str("SPORTELLO_VAR_DIR", str(PROJECT_DIR / "var")))
# Private files (invoice PDFs, attachments, imports) live outside the web root
# and are served only by views that check who owns them.
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(VAR_DIR / "files")))

# Links in e-mails are built from the company's primary host, never from the
# request's Host header; these two settings complete the address.
PUBLIC_SCHEME = env_str("PUBLIC_SCHEME", "http" if DEBUG else "https")
PUBLIC_PORT = env_str("PUBLIC_PORT", "")

# Hosts that serve the platform itself (demo landing page, mailbox, admin)
# rather than one company's portal. Company hosts are configured in the admin.
PLATFORM_HOSTS = env_list("PLATFORM_HOSTS", "localhost,127.0.0.1" if DEMO else "")

# /admin/ answers on the platform hosts only; on a company's host it is a 404,
# unless this is on (the demo, where operators use their company's host).
ADMIN_ON_COMPANY_HOSTS = env_bool("ADMIN_ON_COMPANY_HOSTS", DEMO)

# How many reverse proxies in front of us append to X-Forwarded-For. Zero means
# the client address is the socket's; a client can never choose its own.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Months the audit log is kept before the daily purge removes older events. The
# Garante privacy (provvedimento n. 192/2011, banks) asks for at least 24 months
# of operators' access to customers' data: a shorter period is refused.
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 24)
if AUDIT_RETENTION_MONTHS < 24:
    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_MONTHS must be at least 24 (months), not {AUDIT_RETENTION_MONTHS}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # naturaltime: the bell's "2 secondi fa", in the user's language.
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_email",
    # The REST API's interactive docs load Swagger UI from its static files, not a CDN.
    "ninja",
    "sportello.core",
    "sportello.accounts",
    "sportello.customers",
    "sportello.leasing",
    "sportello.billing",
    "sportello.servicedesk",
    "sportello.notices",
    "sportello.energy",
    "sportello.documents",
    "sportello.integration",
    "sportello.statements",
    "sportello.portal",
    "sportello.backoffice",
    "sportello.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sportello.core.middleware.CompanyMiddleware",
    # Django's, except that a background poll (the bell's badge) does not renew the session.
    "sportello.core.middleware.SessionMiddleware",
    # Cache-Control: no-store on every response to a logged-in session.
    "sportello.accounts.middleware.NoStoreForUsersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # user.is_verified(): the operator's session passed the e-mailed code.
    "django_otp.middleware.OTPMiddleware",
    "sportello.accounts.middleware.SessionLifetimeMiddleware",
    "sportello.core.middleware.CompanyUserMiddleware",
    "sportello.accounts.middleware.OperatorAccessMiddleware",
    "sportello.core.middleware.LanguageMiddleware",
    "sportello.accounts.password_change.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks; its lockout answer is the login page itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sportello.urls"
PLATFORM_URLCONF = "sportello.platform_urls"
WSGI_APPLICATION = "sportello.wsgi.application"

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
                "sportello.core.context_processors.company",
                "sportello.portal.context_processors.menu",
                "sportello.energy.context_processors.supply_point",
                "sportello.notices.context_processors.bell",
            ],
            "builtins": ["sportello.core.templatetags.sportello"],
        },
    }
]

# Persistent connections (DATABASE_CONN_MAX_AGE seconds) are checked before
# each request reuses them, so a restarted PostgreSQL costs no process restart:
# the first request after it opens a new connection instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sportello.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer is an error page within seconds, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the demo's web and job processes share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The Redis cache degrades to misses while Redis is away (core/cache.py): it
# answers within REDIS_TIMEOUT_MS, then leaves Redis alone for
# CACHE_CIRCUIT_SECONDS before trying again.
REDIS_URL = env_str("REDIS_URL")
REDIS_TIMEOUT_SECONDS = env_int("REDIS_TIMEOUT_MS", 500) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sportello.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "CIRCUIT_SECONDS": env_int("CACHE_CIRCUIT_SECONDS", 5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.PortalUser"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "sportello.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "sportello.accounts.validators.NotTheLoginValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account (django-axes) before any password is checked.
    "sportello.accounts.backends.LockoutBackend",
    # Customers: login + password within the host's company.
    "sportello.accounts.backends.CompanyLoginBackend",
    # Operators and administrators: the back office at /admin/.
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"

# Lockout (django-axes): 3 failed passwords lock the account (company/login)
# until the self-service unlock or an operator; no automatic cool-off. The
# address comes from core.http.client_ip (TRUSTED_PROXY_COUNT only). A locked
# account gets the login page with the usual "wrong password" error.
AXES_FAILURE_LIMIT = 3
AXES_COOLOFF_TIME = None
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "sportello.accounts.backends.axes_username"
AXES_CLIENT_IP_CALLABLE = "sportello.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "sportello.accounts.backends.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken", "code"]
# Axes' own admin pages are not scoped by company; operators unlock from the users list.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Logins are in the audit log already; axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
# axes.W006 asks to lock by address too: the lockout is per account by design
# (seed 000), and addresses are rate-limited separately (accounts.throttle.LOGIN_ADDRESS).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# One-time login codes (django-otp's e-mail device, delivered through the
# outbox): 6 digits, valid 5 minutes, a new one at most every 60 seconds.
# The exponential back-off is off: an attempt allows 5 wrong codes, and
# accounts.throttle.CODE limits codes per account and per address.
OTP_EMAIL_TOKEN_VALIDITY = 5 * 60
OTP_EMAIL_COOLDOWN_DURATION = 60
OTP_EMAIL_THROTTLE_FACTOR = 0

# Sessions: 30 minutes idle (renewed on every request), 12 hours at most
# (accounts.middleware.SessionLifetimeMiddleware), ended at logout.
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# ...but an unchanged session is written at most once a minute (core.middleware.SessionMiddleware):
# the idle limit slides from the last write, so it ends 29 to 30 minutes after the last request.
SESSION_SAVE_INTERVAL = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]


def private_files_storage() -> dict[str, object]:
    """Where private files live: the local disk (``PRIVATE_FILES_ROOT``), or an
    S3-compatible bucket (django-storages) that every web process and worker
    shares. Either way they are read only through Django's storage API and served
    only by views that check ownership (``core.files``): the bucket stays private,
    with no public URL.
    """
    kind = env_str("PRIVATE_FILES_STORAGE", "filesystem")
    if kind == "filesystem":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": "/no-public-url/"},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"PRIVATE_FILES_STORAGE must be filesystem or s3, not {kind!r}.")
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME must be set when PRIVATE_FILES_STORAGE is s3."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty: AWS itself; else MinIO, Ceph, a cloud's S3-compatible endpoint.
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
            # Empty: boto3's own chain (instance role, ~/.aws, its environment).
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            # As on disk: a name already taken gets a suffix, nothing is overwritten.
            "file_overwrite": False,
            # Never a public URL: a URL, if one were ever asked for, is signed.
            "querystring_auth": True,
            # A download is spooled to a temporary file beyond 1 MiB, not held in memory.
            "max_memory_size": 1024 * 1024,
        },
    }


STORAGES = {
    "default": private_files_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Largest upload accepted anywhere (attachments); views check it too.
FILE_UPLOAD_MAX_BYTES = env_int("FILE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# Largest feed file an operator uploads in the back office (streamed from a
# temporary file; larger feeds go through ``manage.py import`` or the API).
IMPORT_UPLOAD_MAX_BYTES = env_int("IMPORT_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# The service desk's attachments (E3, E5, E7): files per message, bytes per request.
REQUEST_FILES_PER_MESSAGE = env_int("REQUEST_FILES_PER_MESSAGE", 5)
REQUEST_FILES_MAX_TOTAL_BYTES = env_int("REQUEST_FILES_MAX_TOTAL_BYTES", 25 * 1024 * 1024)
# Where operators open the back office, for the links in the desk's e-mails
# (``https://operatori.example.com``). Empty: the company's own host, which
# serves the back office only with ADMIN_ON_COMPANY_HOSTS (as in the demo).
BACK_OFFICE_URL = env_str("BACK_OFFICE_URL").rstrip("/")

# The REST API (integration/api, docs/api.md): requests per key per window of
# seconds ("600/60"), rows per pushed batch, rows per page of a read-back list,
# and the hours an Idempotency-Key is remembered.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/60")
if not re.fullmatch(r"[1-9][0-9]*/[1-9][0-9]*", API_RATE_LIMIT):
    raise ImproperlyConfigured(f"API_RATE_LIMIT must be requests/seconds, not {API_RATE_LIMIT!r}.")
API_IMPORT_MAX_ROWS = env_int("API_IMPORT_MAX_ROWS", 5000)
API_PAGE_SIZE_MAX = env_int("API_PAGE_SIZE_MAX", 500)
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)

# The bell (F1): how often an open, visible tab asks for the unread count, and how
# long a customer's audience segments (product, province, overdue...) are cached.
NOTIFICATIONS_POLL_SECONDS = env_int("NOTIFICATIONS_POLL_SECONDS", 30)
NOTIFICATIONS_AUDIENCE_CACHE_SECONDS = env_int("NOTIFICATIONS_AUDIENCE_CACHE_SECONDS", 300)

# Virus scanning of uploads (sportello.core.uploads): clamd's Unix socket, or
# host:port in CLAMAV_TCP. Without an answer uploads are refused, unless
# CLAMAV_REQUIRED is off: the demo turns it off when no clamd socket exists,
# and then shows that files were not scanned.
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET", "/var/run/clamav/clamd.ctl")
CLAMAV_TCP = env_str("CLAMAV_TCP")
CLAMAV_TIMEOUT = env_int("CLAMAV_TIMEOUT", 30)
CLAMAV_REQUIRED = env_bool(
    "CLAMAV_REQUIRED", not (DEMO and not CLAMAV_TCP and not Path(CLAMAV_SOCKET).exists())
)

# E-mail: every message goes through the outbox (sportello.core.outbox), which
# sends with Django's default mailer. The demo keeps mail in memory and shows
# it in its local mailbox page.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailers() -> dict[str, dict[str, object]]:
    backend = env_str(
        "EMAIL_BACKEND",
        "django.core.mail.backends.locmem.EmailBackend" if DEMO else SMTP_BACKEND,
    )
    options: dict[str, object] = {}
    if backend == SMTP_BACKEND:
        options = {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers()
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sportello <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("ADMINS")]

# Celery: with no broker, tasks run in-process right after the transaction commits.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a request must not hang when the broker is down: one quick
# try, then the caller's fallback (the outbox row stays due and the periodic
# job sends it; see core/outbox.py). Workers keep retrying their own connection.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS * 2,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {"django.request": {"level": "ERROR"}, "weasyprint": {"level": "WARNING"}},
}
