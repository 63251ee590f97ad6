"""The one settings module. Everything that differs between machines comes from the
environment through the typed helpers in :mod:`secondcareer.core.env`.

``SECONDCAREER_ENV`` is ``development`` (default), ``test`` or ``production``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from secondcareer.config.database import database_settings
from secondcareer.core.env import (
    check_production,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent  # src/secondcareer
PROJECT_DIR = BASE_DIR.parent.parent  # repository root when run from a checkout
VAR_DIR = Path(env_str("SECONDCAREER_VAR_DIR", str(PROJECT_DIR / "var")))

ENVIRONMENT = env_str("SECONDCAREER_ENV", "development")
if ENVIRONMENT != "production":
    # Local runs keep the SQLite file and collected static files here (git-ignored).
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
if ENVIRONMENT not in {"development", "test", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"SECONDCAREER_ENV must be development, test or production, got {ENVIRONMENT!r}"
    )

_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused in production
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
DEBUG = env_bool("DEBUG", ENVIRONMENT == "development")
check_production(
    environment=ENVIRONMENT, debug=DEBUG, secret_key=SECRET_KEY, default_secret=_DEV_SECRET
)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"] if ENVIRONMENT != "production" else [],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "secondcareer.infra",  # before django_tasks_db: its db_worker replaces the library's
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",  # its Swagger UI template and static files, for /api/docs
    "secondcareer.core",
    "secondcareer.programs",
    "secondcareer.people",
    "secondcareer.scheduling",
    "secondcareer.booking",
    "secondcareer.consultations",
    "secondcareer.jobs",
    "secondcareer.matching",
    "secondcareer.placements",
    "secondcareer.apitokens",
    "secondcareer.messaging",
    "secondcareer.messaging.line",
    "secondcareer.messaging.faq",
    "secondcareer.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "secondcareer.core.headers.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Refuses unreadable input before anything reads it; after SecurityMiddleware and
    # any header-only middleware (CSP…), before sessions, CSRF and sign-in.
    "secondcareer.core.input_middleware.InputRulesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "secondcareer.workspace.signin.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "secondcareer.core.middleware.DomainErrorMiddleware",
    # django-axes last: it turns a lockout flagged during the request into the answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secondcareer.config.urls"
WSGI_APPLICATION = "secondcareer.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "secondcareer.workspace.context_processors.staff_nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Built for either vendor by config/database.py: without DATABASE_URL, an embedded SQLite
# file under var/; ``sqlite:///path`` for another SQLite file (relative to the working
# directory; ``sqlite:////abs/path`` for an absolute one), with the same WAL, IMMEDIATE
# and busy-timeout settings; ``postgres://…`` for PostgreSQL. Connections are checked
# before a request reuses them (CONN_HEALTH_CHECKS), so a database restart costs no
# failed request. MIGRATE_DATABASE_URL: the same database as the owner role, which
# ``migrate`` uses (and then grants the runtime role of DATABASE_URL only what it needs;
# docs/adr/0012-database-roles.md); empty means DATABASE_URL does both.
_prepare = env_int("DATABASE_PREPARE_THRESHOLD", 5)
_database_options: dict[str, Any] = {
    "default_sqlite_path": VAR_DIR / env_str("SQLITE_NAME", "secondcareer.sqlite3"),
    "conn_max_age": env_int("DATABASE_CONN_MAX_AGE", 0),
    "conn_health_checks": env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True),
    "prepare_threshold": _prepare if _prepare >= 0 else None,
}
DATABASES = {"default": database_settings(env_str("DATABASE_URL", ""), **_database_options)}
_migrate_database_url = env_str("MIGRATE_DATABASE_URL", "")
MIGRATE_DATABASE: dict[str, Any] | None = (
    database_settings(_migrate_database_url, **_database_options) if _migrate_database_url else None
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"

# --- Staff sign-in: second factor, lockout, session lifetime (docs/adr/0014) ---------------
# Every staff login needs a TOTP code (django-otp) after the password; a session that has
# not passed the second factor is treated as signed out everywhere except the sign-in
# pages (secondcareer.workspace.signin.middleware).
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username or address before any password
    # is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# ASCII by default: the issuer is in the QR code twice, and percent-encoded Japanese
# would make the code dense enough to be hard to scan from a screen.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "SecondCareer")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows TOTP keys or recovery codes
# django-axes: failed sign-ins (wrong passwords and wrong second-factor codes alike) are
# counted per username and per client address in the shared cache; the Nth failure within
# the cool-off locks until the cool-off has passed since that failure.
AXES_ENABLED = env_bool("SIGNIN_LOCKOUT_ENABLED", True)
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 6)  # the 6th failure locks
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # reset after both factors, not after the password alone
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "secondcareer.workspace.signin.views.lockout_response"
# The client address as the booking rate limits see it: REMOTE_ADDR, or what the
# nearest of SECONDCAREER_TRUSTED_PROXIES reverse proxies saw.
AXES_CLIENT_IP_CALLABLE = "secondcareer.booking.ratelimit.client_ip"
SECONDCAREER_TRUSTED_PROXIES = env_int("SECONDCAREER_TRUSTED_PROXIES", 0)
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows; unlock from the user admin
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# Session lifetime for staff: signed out after STAFF_IDLE_MINUTES without a request and
# STAFF_SESSION_HOURS after signing in, whichever comes first (ASVS 7.3.1 / 7.3.2).
STAFF_IDLE_TIMEOUT = dt.timedelta(minutes=env_int("STAFF_IDLE_MINUTES", 30))
STAFF_ABSOLUTE_TIMEOUT = dt.timedelta(hours=env_int("STAFF_SESSION_HOURS", 8))
SESSION_COOKIE_AGE = int(STAFF_ABSOLUTE_TIMEOUT.total_seconds())

# --- Cache --------------------------------------------------------------------------------
# One cache shared by every web and worker process: the public booking rate limits and
# the staff sign-in lockouts count in it, so a per-process cache would let each process
# count on its own. CACHE_URL: empty or ``db`` (default) for a table in the database
# (``core_cache``, created by ``migrate``); ``redis://…`` / ``rediss://…`` / ``unix://…``
# for Redis; ``locmem`` for a per-process cache (one process only).
_cache_url = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url in {"", "db", "database"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "core_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
elif _cache_url == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"CACHE_URL must be empty, db, locmem or a redis:// URL, got {_cache_url!r}"
    )

# --- Background work ------------------------------------------------------------------
# django-tasks with the database backend (worker: `secondcareer db_worker`); tests run
# tasks immediately, in the same transaction boundaries as production code.
# TASKS_BACKEND=database|immediate overrides that (the worker tests run real workers).
_tasks_backend = env_str("TASKS_BACKEND", "immediate" if ENVIRONMENT == "test" else "database")
if _tasks_backend not in {"immediate", "database"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate, got {_tasks_backend!r}"
    )
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if _tasks_backend == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# The worker survives a database restart (it reconnects, waiting up to
# TASKS_RECONNECT_MAX_WAIT seconds between tries) and a killed sibling: every worker
# writes a heartbeat, and one not seen for TASKS_WORKER_TIMEOUT seconds is taken for
# dead, its RUNNING tasks queued again, or failed once TASKS_MAX_ATTEMPTS workers have
# died on the same task (docs/adr/0013-worker-resilience.md).
TASKS_WORKER_TIMEOUT = env_int("TASKS_WORKER_TIMEOUT", 300)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
TASKS_RECONNECT_MAX_WAIT = env_int("TASKS_RECONNECT_MAX_WAIT", 30)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = ENVIRONMENT != "production"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENVIRONMENT == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = ENVIRONMENT == "production"
CSRF_COOKIE_SECURE = ENVIRONMENT == "production"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if ENVIRONMENT == "production":
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Response headers: CSP, Permissions-Policy, HSTS, Cache-Control ----------------------
# Content-Security-Policy (django-csp 4): everything from our own origin, nothing inline.
# No template has an inline <script>, <style>, style="…" or on…= handler; scripts and
# styles are static files. The only inline <script> blocks are json_script data
# (type="application/json"), which browsers never execute. The Django admin runs under the
# same policy (its inline bits are gone since Django 4.2's CSP work; see ADR 0016).
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_NONE],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page of ours uses a camera, a
# microphone, the location, payments or devices; embedded content may not either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# HSTS in production: a year, every subdomain, and eligible for the browsers' preload
# list (check --deploy warns W005/W021 otherwise). SECURE_HSTS_SECONDS=0 switches it off
# for a first deployment on a new domain; the other two are for a domain whose
# subdomains are not all on HTTPS yet.
if ENVIRONMENT == "production":
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Cache-Control: no-store on every response but static files, by
# secondcareer.core.headers.NoStoreMiddleware (right after SecurityMiddleware).

if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Input rules (core.input_middleware, docs/adr/0015) ---------------------------------
# Every body that is not a form is read as JSON: at most this many bytes (413 past it,
# before the body is read) and this many levels of nesting (400 past it, before it is
# parsed). Forms keep Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
INPUT_JSON_MAX_BYTES = env_int("INPUT_JSON_MAX_BYTES", 64 * 1024)
INPUT_JSON_MAX_DEPTH = env_int("INPUT_JSON_MAX_DEPTH", 32)

# --- Logging: never personal data; records carry ids, not names --------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fontTools says at INFO what it did to every table of a font it subsets (PDFs).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Project settings ----------------------------------------------------------------------
# Where the shipped program presets live (kobe.yaml, saitama.yaml).
PROGRAM_PRESET_DIR = BASE_DIR / "programs" / "presets"
# The platform's own address, for links sent over LINE and the fake LINE platform's
# webhook URL (``<site>/line/<program>/webhook``).
SECONDCAREER_SITE_URL = env_str("SECONDCAREER_SITE_URL", "http://127.0.0.1:8000")
# How long the signed link that opens a seeker's chat works (messaging/chat_links.py).
CHAT_LINK_MAX_AGE_HOURS = env_int("CHAT_LINK_MAX_AGE_HOURS", 72)
# The fake LINE platform served in-process under /fakeline/ and the LINE simulator page
# (demo and tests); never on in production unless asked for.
FAKE_LINE_ENABLED = env_bool("FAKE_LINE_ENABLED", ENVIRONMENT != "production")
