"""Django settings, read from environment variables through strict helpers (``lib.env``).

Development defaults (a throw-away SECRET_KEY and CPR key, localhost hosts) apply only with
``DEBUG=1``; without it every secret must be set or the process refuses to start.

| variable | meaning | default |
|---|---|---|
| DEBUG | development mode | off |
| SECRET_KEY | Django's signing key, >= 50 random characters | dev key only with DEBUG |
| ALLOWED_HOSTS | comma-separated host names | localhost only with DEBUG |
| DATABASE_URL | sqlite:///path or postgres://user:pw@host:port/name | SQLite in var/ |
| BROBYGGER_CPR_KEY | Fernet key encrypting CPR numbers | dev key only with DEBUG |
| BROBYGGER_VAR_DIR | where the SQLite file and collected static files live | ./var |
| CSRF_TRUSTED_ORIGINS | comma-separated origins, e.g. https://brobygger.example.dk | none |
| SECURE_SSL_REDIRECT | redirect http to https in production | on |
| TRUST_X_FORWARDED_PROTO | behind a TLS-terminating proxy that sets X-Forwarded-Proto | off |
| TRUSTED_PROXIES | reverse proxies in front that append the caller to X-Forwarded-For | 0 |
| SECURE_HSTS_SECONDS | HSTS max-age in production | 31536000 |
| LOG_LEVEL | root log level | INFO |
| BROBYGGER_FORECAST_SCENARIO | scenario of the live business case (name or file) | default |
| BROBYGGER_FORECAST_DRAWS | Monte Carlo draws of the live forecast | 1000 |
| BROBYGGER_FORECAST_SEED | its seed | 2018 |
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dj_database_url

from brobygger.errors import Problem
from brobygger.web.lib.crypto import CprKeyError, CprVault
from brobygger.web.lib.env import Env, SettingError, check_database_url, check_secret_key

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent
_REPO = PACKAGE_DIR.parents[2]
_DEFAULT_VAR = _REPO / "var" if (_REPO / "pyproject.toml").exists() else Path.cwd() / "var"
VAR_DIR = Path(env.str("BROBYGGER_VAR_DIR", default=str(_DEFAULT_VAR)))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = check_secret_key(
    env.str("SECRET_KEY", dev_default="dev-only-" + "x" * 50, debug=DEBUG), debug=DEBUG
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", dev_default=["localhost", "127.0.0.1", "[::1]", "testserver"], debug=DEBUG
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# A fixed development key: data encrypted with it is not protected. Never used without DEBUG.
_DEV_CPR_KEY = "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="
BROBYGGER_CPR_KEY = env.str("BROBYGGER_CPR_KEY", dev_default=_DEV_CPR_KEY, debug=DEBUG)
try:
    CprVault(BROBYGGER_CPR_KEY)
except CprKeyError as exc:
    raise SettingError(Problem("environment", "BROBYGGER_CPR_KEY", str(exc))) from None

_default_db = f"sqlite:///{VAR_DIR / 'brobygger.sqlite3'}"
DATABASE_URL = check_database_url(env.str("DATABASE_URL", default=_default_db))
if _default_db == DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # several gunicorn workers write audit rows at once: WAL lets readers run beside a writer,
    # IMMEDIATE transactions queue writers instead of failing with "database is locked"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "brobygger.web.accounts",
    "brobygger.web.registry",
    "brobygger.web.pathways",
    "brobygger.web.accelerator",
    "brobygger.web.audit",
    "brobygger.web.dashboard",
    "brobygger.web.forecast",
    "brobygger.web.lab",
    "brobygger.web.reports",
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
]

ROOT_URLCONF = "brobygger.web.urls"
WSGI_APPLICATION = "brobygger.web.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brobygger.web.accounts.context.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "brobygger.web.errorpages.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
#: failed logins allowed per user name (and 4x per address) within the window, then refused
BROBYGGER_FORECAST_SCENARIO = env.str("BROBYGGER_FORECAST_SCENARIO", default="default")
BROBYGGER_FORECAST_DRAWS = env.int("BROBYGGER_FORECAST_DRAWS", default=1000)
BROBYGGER_FORECAST_SEED = env.int("BROBYGGER_FORECAST_SEED", default=2018)

LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)

# Danish first, English second; numbers in the active language's format (1.234,5 in Danish).
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
FORMAT_MODULE_PATH = ["brobygger.web.formats"]  # English dates day first (formats/en)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Plotly's JavaScript is served from the plotly package itself (no CDN, no second copy)
STATICFILES_DIRS = [PACKAGE_DIR / "static", (
    "vendor/plotly", Path(importlib.util.find_spec("plotly").origin).parent / "package_data")]
if DEBUG:  # whitenoise serves from the app folders in development, but wants the root to exist
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# behind this many reverse proxies, each appending the address it was called from to
# X-Forwarded-For, the caller's address (for the login throttle and the audit log) is the
# one the outermost proxy saw; with 0 it is the connection's own
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0, minimum=0)

# CPR numbers must never reach a log line: every handler redacts CPR-shaped digits, and the
# code never logs personal data in the first place (tests capture the logs to check).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_cpr": {"()": "brobygger.web.logfilters.RedactCpr"}},
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_cpr"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own loggers (its request errors, runserver's request log) go through the
    # redacting handler only, not also through the handlers Django adds by default
    "loggers": {name: {"handlers": ["console"], "level": "INFO", "propagate": False}
                for name in ("django", "django.server")},
}

# an uploaded file (the registry's import) may hold at most this many bytes; the first
# upload handler refuses a larger one as it arrives
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "brobygger.web.uploads.LimitedUpload",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

NINJA_PAGINATION_PER_PAGE = 50
