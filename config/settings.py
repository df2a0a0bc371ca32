"""The one settings module: every value that differs between machines comes from the environment.

Bad values fail loudly at start-up rather than half-working (see the helpers below).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_days(name: str, default: int) -> int:
    """A number of days to keep something: a whole number, at least 1."""
    days = env_int(name, default)
    if days < 1:
        raise ImproperlyConfigured(f"{name} must be a number of days, at least 1, not {days}")
    return days


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_json_object(name: str) -> dict[str, object]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return {}
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {raw!r}")
    return value


def env_rate(name: str, default: str) -> str:
    """A throttle rate such as `120/min` (requests per second, minute, hour or day)."""
    raw = env_str(name, default).strip()
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, such as "
            f"120/min, not {raw!r}"
        )
    return raw


DEBUG = env_bool("MACA_DEBUG", False)
# The development key only works with DEBUG on, so a production deployment cannot forget to set one.
_DEV_SECRET = "maca-development-only-secret-key-do-not-use-in-production-000000"
SECRET_KEY = env_str("MACA_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("MACA_SECRET_KEY must be set when MACA_DEBUG is off")

ALLOWED_HOSTS = env_list("MACA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("MACA_CSRF_TRUSTED_ORIGINS", [])

PARTNERSHIP_NAME = env_str("MACA_PARTNERSHIP_NAME", "Safeguarding Children Partnership")
# The address e-mails link to (reminders, escalations).
SITE_URL = env_str("MACA_SITE_URL", "http://127.0.0.1:8000")
# Working days an agency has to acknowledge an escalation, by urgency (England and Wales
# bank holidays are not working days).
ESCALATION_ACKNOWLEDGE_WORKING_DAYS = {
    "immediate": env_int("MACA_ACK_DAYS_IMMEDIATE", 1),
    "statutory_overdue": env_int("MACA_ACK_DAYS_STATUTORY", 5),
    "practice": env_int("MACA_ACK_DAYS_PRACTICE", 5),
}
# Return reminders go this many working days before returns are due, and after while they are
# outstanding; a return workbook may be this large.
RETURN_REMINDER_WORKING_DAYS_BEFORE = (3,)
RETURN_REMINDER_WORKING_DAYS_AFTER = (1, 5)
RETURN_WORKBOOK_MAX_BYTES = 5 * 1024 * 1024
SERVICE_NAME = "Multi-agency case audit"

# The 903 import (maca/sampling/conf.py checks them where they are used). The partnership's
# own postcode districts, to tell in-area from out-of-area placements when an extract has no
# PL_LOCATION; where checked extracts and waiting uploads are kept; the key of the hash that
# recognises a child already sampled (derived from the secret key when empty); the LA's own
# code for placement rules 411 and 1015 (taken from the extract when empty).
MACA_HOME_POSTCODE_DISTRICTS = env_str("MACA_HOME_POSTCODE_DISTRICTS", "")
MACA_SAMPLING_DIR = env_str("MACA_SAMPLING_DIR", "") or str(BASE_DIR / "var" / "sampling")
MACA_CHILD_HMAC_KEY = env_str("MACA_CHILD_HMAC_KEY", "")
MACA_LA_CODE = env_str("MACA_LA_CODE", "")

# Where `maca serve` listens and how many web workers it starts (0: 2 × CPUs + 1, at most 12);
# its --bind and --workers override them.
SERVE_BIND = env_str("MACA_BIND", "127.0.0.1:8000")
SERVE_WORKERS = env_int("MACA_WORKERS", 0)

# The partnership's statements for its data protection impact assessment, shown on the
# privacy page (/privacy/). The defaults are the usual basis for a safeguarding partnership's
# audits; the partnership's data protection officer confirms or replaces them.
DPIA_CONTROLLER = env_str(
    "MACA_DPIA_CONTROLLER",
    "The safeguarding partners: the local authority, the integrated care board and the chief "
    "officer of police, as joint controllers",
)
DPIA_DPO_CONTACT = env_str("MACA_DPIA_DPO_CONTACT", "Not set: ask the partnership business unit")
LAWFUL_BASIS_ARTICLE_6 = env_str(
    "MACA_LAWFUL_BASIS_ARTICLE_6",
    "Article 6(1)(e) public task: the safeguarding partners' duty to make arrangements to "
    "safeguard and promote the welfare of children (Children Act 2004, sections 16E to 16K)",
)
LAWFUL_BASIS_ARTICLE_9 = env_str(
    "MACA_LAWFUL_BASIS_ARTICLE_9",
    "Article 9(2)(g) substantial public interest, with Data Protection Act 2018 Schedule 1 "
    "paragraph 18 (safeguarding of children and of individuals at risk)",
)

# Key for child identifiers at rest: comma-separated Fernet keys, newest first, so a key can be
# rotated by prepending a new one. In development a key is derived from SECRET_KEY.
IDENTIFIER_KEYS = env_list("MACA_IDENTIFIER_KEYS", [])
# Days after an audit closes before its child identifiers are purged (unless a hold is set).
IDENTIFIER_RETENTION_DAYS = env_int("MACA_IDENTIFIER_RETENTION_DAYS", 365)
# Days a draft's PDF or Word file is kept for the person who asked; the daily run deletes older
# ones (maca.reports.draft_renders.draft_renders_expire).
DRAFT_RENDER_DAYS = env_days("MACA_DRAFT_RENDER_DAYS", 7)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the form renderer below.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Before django_tasks_db, so `maca db_worker` is maca's (it settles jobs a dead worker left).
    "maca.core",
    "django_tasks_db",
    "maca.accounts",
    "maca.audits",
    "maca.planning",
    "maca.returns",
    "maca.learning",
    "maca.moderation",
    "maca.identifiers",
    "maca.reports",
    "maca.sampling",
    "maca.history",
    "rest_framework",
    "drf_spectacular",
    "maca.api",
    "maca.exchange",
    "maca.manage",
    "maca.demo",
]

MIDDLEWARE = [
    # First, so every later log line carries the request's id.
    "maca.core.request_id.RequestIdMiddleware",
    # A connection lost part-way through a request: a clear 503, not a server error.
    "maca.core.database_lost.DatabaseLostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maca.accounts.middleware.SessionActivityMiddleware",
    "maca.accounts.middleware.MfaRequiredMiddleware",
    "maca.core.history.HistoryMiddleware",
    "maca.api.middleware.ApiCallLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, so the 413 page it may return is rendered like any other page; nothing before it
    # reads the request body.
    "maca.core.uploads.RequestSizeLimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maca.core.context_processors.service",
                "maca.accounts.context_processors.session_timeout",
            ],
        },
    },
]
# Forms and fields Django draws itself come out as GOV.UK markup (templates/govuk/).
FORM_RENDERER = "maca.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'maca.sqlite3'}"),
        conn_max_age=env_int("MACA_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while the demo or a worker writes. Writers take the write lock
    # when their transaction begins (IMMEDIATE), so one never fails half-way to let another
    # through, and wait up to 20 s for it rather than show "database is locked"
    # (tests/test_faults.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "audits:list"
LOGOUT_REDIRECT_URL = "sign-in"

# Sign-in is django-allauth: email and password, then a code from an authenticator app.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "maca.accounts.adapter.AccountAdapter"  # refuses public sign-up
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Administrators create accounts with known addresses; no verification e-mail is needed to sign in.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False  # the idle timeout below always applies
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {"login": "maca.accounts.forms.SignInForm"}
# Sign-in attempts are limited per account (tightly: guessing one person's password, or their
# code, since allauth counts a wrong code as a failed sign-in keyed to the account) and per
# client address (loosely: a whole office signs in from behind one NAT address, and must not be
# locked out by one person's mistakes). The address is the one the reverse proxy reports
# (MACA_TRUSTED_PROXY_COUNT below); without it everyone shares the proxy's address.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("MACA_LOGIN_LIMIT", "600/15m/ip"),
    "login_failed": env_str("MACA_LOGIN_FAILED_LIMIT", "300/15m/ip,5/15m/key"),
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
# Revealing identifiers and exporting need a sign-in or password confirmation this recent.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("MACA_REAUTH_SECONDS", 300)
MFA_ADAPTER = "maca.accounts.adapter.MfaAdapter"
MFA_FORMS = {
    "authenticate": "maca.accounts.forms.TotpCodeForm",
    "reauthenticate": "maca.accounts.forms.TotpReauthenticateForm",
    "activate_totp": "maca.accounts.forms.TotpActivateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TRUST_ENABLED = False
# "Last seen" for the sessions list is kept by maca.accounts.middleware.SessionActivityMiddleware.
USERSESSIONS_TRACK_ACTIVITY = False
# Proxies in front of maca that set X-Forwarded-For; the client address (for sign-in throttling
# and the sessions list) is read from that header only when this is set. Production runs behind
# a reverse proxy, so set it (usually 1): left at 0, every person has the proxy's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("MACA_TRUSTED_PROXY_COUNT", 0)
# Everyone holding a role that sees child-level data must set up two-factor authentication
# before reaching any page; documented here so operators can see it. Keep it on.
MFA_REQUIRED_FOR_CHILD_LEVEL_ROLES = env_bool("MACA_MFA_REQUIRED", True)
# The demo shows the current code of the shared demo authenticator on the code page. Never on
# a real deployment: `maca demo` turns it on.
DEMO_MODE = env_bool("MACA_DEMO", False)

# Throttling counters and used one-time codes must be shared by every web process, so they
# live in the database (the table is made by a maca.accounts migration; no extra step).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maca_cache",
    },
    # Drawn charts, shared by every web worker and server (maca/reports/charts.py).
    "charts": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maca_cache",
    },
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Where maca keeps files, by name. "extracts": the checked 903 extracts (encrypted), by default
# in MACA_SAMPLING_DIR; any Django storage can take its place (e.g. django-storages' S3 storage
# for shared object storage), with its options given as JSON. See the README.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "extracts": {
        "BACKEND": env_str("MACA_EXTRACTS_STORAGE", "maca.sampling.storage.SamplingDirStorage"),
        "OPTIONS": env_json_object("MACA_EXTRACTS_STORAGE_OPTIONS"),
    },
    # Published versions' downloads, made once (maca/reports/kept_renders.py).
    "renders": {
        "BACKEND": env_str("MACA_RENDERS_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json_object("MACA_RENDERS_STORAGE_OPTIONS")
        or {"location": str(BASE_DIR / "var" / "renders")},
    },
}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("MACA_STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
# WhiteNoise serves from here after `maca collectstatic`; until then it finds files in static/.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = env_int("MACA_SESSION_IDLE_SECONDS", 30 * 60)
# How long before the idle timeout the "you will be signed out" warning appears.
SESSION_IDLE_WARNING_SECONDS = 2 * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout, not a fixed lifetime
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A refused form post (a stale page, a session ended in another tab) gets the service's 403.
CSRF_FAILURE_VIEW = "maca.core.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("MACA_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy's health check may call the web process directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("MACA_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Background work (reminders, imports, rendering) is queued in the database and run by
# `maca db_worker`; MACA_TASKS_IMMEDIATE runs it inline instead (tests, a one-process demo).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("MACA_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MACA_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
# The largest request body of any kind (uploads included); larger ones get a 413 before they
# are read. A whole national 903 extract is about 150 MB of CSV.
REQUEST_MAX_BYTES = env_int("MACA_REQUEST_MAX_BYTES", 250 * 1024 * 1024)

# REST API (maca.api): personal access tokens or the browser session, JSON only, every list
# paginated, errors as {"detail", "errors": [{"field", "message"}]}.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "maca.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["maca.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "maca.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "maca.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "maca.api.errors.exception_handler",
    # Per person (their account; before sign-in, their client address), counted in the shared
    # database cache: every API call, and every download rendered on request (maca.core.throttling).
    "DEFAULT_THROTTLE_CLASSES": ["maca.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env_rate("MACA_API_RATE", "120/min"),
        "render": env_rate("MACA_RENDER_RATE", "30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "maca API",
    "DESCRIPTION": (
        "The multi-agency case audit API. Every call is made as the person who owns the token "
        "and sees exactly what they see in the browser; anything outside their scope is a 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    },
    "ENUM_NAME_OVERRIDES": {
        "AuditStatusEnum": "maca.audits.models.AuditStatus",
        "AuditKindEnum": "maca.audits.models.Audit.Kind",
        "ReturnStatusEnum": "maca.audits.models.ReturnStatus",
        "InvolvementStatusEnum": "maca.audits.models.AgencyInvolvement.Status",
        "EscalationStatusEnum": "maca.audits.models.Escalation.Status",
        "UrgencyEnum": "maca.audits.models.Escalation.Urgency",
        "QuestionKindEnum": "maca.audits.models.Question.Kind",
        "ScaleKindEnum": "maca.audits.models.GradingScale.Kind",
        "OutcomeEnum": "maca.audits.models.GradeLevel.Outcome",
        "ActionStatusEnum": "maca.learning.models.ActionStatus",
        "HeadingEnum": "maca.learning.models.Heading",
        "RoleEnum": "maca.accounts.models.Role",
        "SectorEnum": "maca.accounts.models.Sector",
    },
}
# Longest life a personal access token may be given, in days.
API_TOKEN_MAX_DAYS = env_int("MACA_API_TOKEN_MAX_DAYS", 365)
# Largest whole-audit import accepted, in bytes.
AUDIT_IMPORT_MAX_BYTES = env_int("MACA_AUDIT_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

# E-mail (reminders, escalations): SMTP in production; printed to the console in development.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_EMAIL_BACKEND = env_str(
    "MACA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND == _SMTP:
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("MACA_EMAIL_HOST", "localhost"),
        "port": env_int("MACA_EMAIL_PORT", 25),
        "username": env_str("MACA_EMAIL_USER", ""),
        "password": env_str("MACA_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("MACA_EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env_str("MACA_FROM_EMAIL", "maca@localhost")

# Every line names the request it was written for (maca.core.request_id); "-" outside one.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maca.core.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("MACA_LOG_LEVEL", "WARNING")},
    # WeasyPrint and fontTools report every font subset at INFO; keep the console readable.
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
