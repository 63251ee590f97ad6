"""The one settings module. Everything that differs between machines comes from the
environment through the typed helpers in :mod:`secondcareer.config.env`.

``SECONDCAREER_ENV`` is ``development`` (default), ``test`` or ``production``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url

from secondcareer.config.env import (
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
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "secondcareer.core",
    "secondcareer.programs",
    "secondcareer.people",
    "secondcareer.scheduling",
    "secondcareer.booking",
    "secondcareer.apitokens",
    "secondcareer.messaging",
    "secondcareer.messaging.line",
    "secondcareer.messaging.faq",
    "secondcareer.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Default: an embedded SQLite file under var/ in WAL mode, every transaction IMMEDIATE
# (it takes the write lock at BEGIN, so concurrent writers queue instead of failing
# half-way). DATABASE_URL switches to PostgreSQL.
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
        )
    }
    # Server-side parameter binding and prepared statements: psycopg sends a statement
    # and its values separately and, on a persistent connection, prepares a statement
    # it has run five times, so the hot queries are parsed and planned once per
    # connection. Behind a transaction-pooling proxy (PgBouncer without prepared
    # statement support) set DATABASE_PREPARE_THRESHOLD=-1 to switch preparing off.
    _prepare = env_int("DATABASE_PREPARE_THRESHOLD", 5)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=env_bool("DATABASE_SERVER_SIDE_BINDING", True),
        prepare_threshold=_prepare if _prepare >= 0 else None,
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / env_str("SQLITE_NAME", "secondcareer.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
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
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

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
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 3600)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Logging: never personal data; records carry ids, not names --------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Project settings ----------------------------------------------------------------------
# Where the shipped program presets live (kobe.yaml, saitama.yaml).
PROGRAM_PRESET_DIR = BASE_DIR / "programs" / "presets"
# The platform's own address, for links sent over LINE and the fake LINE platform's
# webhook URL (``<site>/line/<program>/webhook``).
SECONDCAREER_SITE_URL = env_str("SECONDCAREER_SITE_URL", "http://127.0.0.1:8000")
# The fake LINE platform served in-process under /fakeline/ and the LINE simulator page
# (demo and tests); never on in production unless asked for.
FAKE_LINE_ENABLED = env_bool("FAKE_LINE_ENABLED", ENVIRONMENT != "production")
