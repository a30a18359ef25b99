"""Settings, read from the environment (see README: Produktionsopsætning)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAGSINDSIGT_VAR_DIR", BASE_DIR / "var"))

# Development mode is explicit: the Makefile sets it for `make run` and `make test`.
DEVELOPMENT = os.environ.get("SAGSINDSIGT_DEV", "") == "1"
DEBUG = DEVELOPMENT and os.environ.get("DEBUG", "1") == "1"


def _secret_from_env_or_var(env_name: str, file_name: str) -> str:
    """A secret from the environment; in development generated once into var/ (never committed)."""
    value = os.environ.get(env_name, "")
    if value:
        return value
    if not DEVELOPMENT:
        raise ImproperlyConfigured(f"{env_name} skal være sat uden for udviklingstilstand.")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / file_name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_from_env_or_var("SECRET_KEY", "secret_key")
# The key of the keyed hash that replaces CPR numbers. Kept outside the database on purpose:
# whoever holds a database copy alone cannot test guesses of CPR numbers against it.
PSEUDONYM_KEY = _secret_from_env_or_var("SAGSINDSIGT_PSEUDONYM_KEY", "pseudonym.key")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEVELOPMENT:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "sagsindsigt.common",
    "sagsindsigt.organisation",
    "sagsindsigt.cases",
    "sagsindsigt.complaints",
    "sagsindsigt.intake",
    "sagsindsigt.insight",
    "sagsindsigt.evaluation",
    "sagsindsigt.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sagsindsigt.common.context_processors.navigation",
            ],
            # Danish numbers and plurals ({{ n|tal }}, {{ n|flertal:"sag,sager" }}) in every template.
            "builtins": ["sagsindsigt.common.templatetags.danish"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sagsindsigt.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A commit of a large file holds the write lock for a while; others wait rather than fail.
        "timeout": 120,
    }
    # A file, not memory: fault tests run the importer in a second process against the test database.
    # One per test process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-sagsindsigt-{os.getpid()}.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock out a user name + address after repeated failed log-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"
# No English start-up banner in the log (and on the command line's stderr) of every process.
AXES_VERBOSE = False

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEVELOPMENT:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded evaluation attachments; never served publicly, only through access-checked views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Content-Security-Policy: everything is served from our own origin; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEVELOPMENT:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Intake uploads stream to a temporary file; larger files are refused before they are read.
INTAKE_MAX_UPLOAD_BYTES = int(os.environ.get("SAGSINDSIGT_MAX_UPLOAD_MB", "500")) * 1024 * 1024
# A load being worked on says it is alive every few seconds; one silent this long was killed and is
# ended as failed (intake.services.loads_end_stalled).
INTAKE_STALL_SECONDS = int(os.environ.get("SAGSINDSIGT_INTAKE_STALL_SECONDS", "120"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Background work (large imports): Django's tasks API with the database-backed worker
# (`manage.py db_worker`, started by `make run`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Shared by the web process and the worker: the live progress of an import.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(os.environ.get("SAGSINDSIGT_CACHE_DIR", VAR_DIR / "cache"))),
    },
    # Suppression decisions (ADR 0015): many and large, so in their own place, where making room for
    # them can never push out an import's progress or heartbeat from the default cache.
    "suppression": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(os.environ.get("SAGSINDSIGT_CACHE_DIR", VAR_DIR / "cache")) / "suppression"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# E-mail (the monthly digest of saved views): SMTP from the environment; in development printed to the
# console unless EMAIL_BACKEND says otherwise. Tests use Django's locmem backend (its test default).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sagsindsigt <sagsindsigt@localhost>")
# The address the site is reached at, for links in e-mails (no trailing slash).
SAGSINDSIGT_BASE_URL = os.environ.get(
    "SAGSINDSIGT_BASE_URL", "http://127.0.0.1:8000" if DEVELOPMENT else ""
).rstrip("/")

# Counts from 1 up to this value are shown as "<5" in every aggregate (DOMAIN.md §8).
SUPPRESSION_THRESHOLD = int(os.environ.get("SAGSINDSIGT_SUPPRESSION_THRESHOLD", "5"))
# Suppression decisions are kept in the cache under the data's version (ADR 0015); every write that
# changes figures goes through common.staleness.mark_stale, which moves the version on.
SUPPRESSION_KEEP_DECISIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
