"""The one settings module. Every deployment difference comes from the environment.

Embedded defaults (no variables set): SQLite under var/ and kombu's filesystem
transport as the Celery broker, so `make run` needs no server. Production sets
DATABASE_URL and CELERY_BROKER_URL. A local checkout's `.env` (written by `make install`:
DEBUG=1 and a generated SECRET_KEY) fills in what the environment does not set; real
environment variables always win. Every variable read is listed, with its meaning, in
factcheck/environment.py.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from factcheck.env import (
    READ,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_optional_float,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)
VAR_DIR = Path(env_str("FACTCHECK_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off; "
            "for a local checkout, `make .env` writes DEBUG=1 and a key"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-" + "x" * 20
# Keys SECRET_KEY replaced: signatures made with them (sessions) and webhook secrets encrypted
# under them (webhooks/encryption.py) stay readable while they are listed.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# `make run` serves on PORT (as FACTCHECK_PORT); in development links follow it.
FACTCHECK_PORT = env_int("FACTCHECK_PORT", 8000, minimum=1, maximum=65535)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{FACTCHECK_PORT if DEBUG else 8000}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "factcheck.apps.FactcheckConfig",
    "sources",
    # Before claims: its receiver of sources' signals is connected first, so a consumer hears
    # `source.changed` before the `claim.needs_review` that the change causes.
    "webhooks",
    "claims",
    "analysis",
    "public",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL or other control character in the address: 400, before any view or query.
    "factcheck.middleware.RefuseControlCharacters",
    # A strict Content-Security-Policy on the public pages only (public/csp.py).
    "public.csp.PublicPagesCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factcheck" / "templates"],
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

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        # Kept open between requests and tasks (a new PostgreSQL backend costs more CPU
        # than a whole check), and tested before reuse, so one the server dropped is
        # replaced rather than failing the next query.
        DATABASES = {
            "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {exc}") from None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "factcheck.sqlite3"),
            # The web server, worker and beat share one file: wait for locks
            # instead of failing, and take the write lock at BEGIN so that two
            # writers never deadlock on a lock upgrade.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every wait on Redis (broker, cache, politeness) made from a request is bounded by this:
# a Redis that hangs must cost a request seconds, not the worker's life (docs/operations.md).
FACTCHECK_SERVICE_TIMEOUT = env_float("FACTCHECK_SERVICE_TIMEOUT", 1.0, minimum=0.1, maximum=30.0)

# --- Cache (throttle counters, robots.txt); shared through Redis when CACHE_URL names it ---
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "socket_timeout": FACTCHECK_SERVICE_TIMEOUT,
                "socket_connect_timeout": FACTCHECK_SERVICE_TIMEOUT,
            },
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL or unset; got {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    # kombu lists these folders without creating them; the worker dies if they are missing.
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A publish from a request gives up after this; the outbox keeps what it promised.
        "socket_timeout": FACTCHECK_SERVICE_TIMEOUT,
        "socket_connect_timeout": FACTCHECK_SERVICE_TIMEOUT,
        # An unacknowledged message (its worker killed) comes back after this. Longer than
        # a check's time limit, so a slow check is never run twice; a killed check is redone
        # sooner, when its short hold on the source runs out (FACTCHECK_CHECK_HOLD).
        "visibility_timeout": 3600,
    }
    # Survives a broker restart with a message in flight (see factcheck/broker.py).
    CELERY_BROKER_TRANSPORT = "factcheck.broker:RedisTransport"
CELERY_BROKER_CONNECTION_TIMEOUT = FACTCHECK_SERVICE_TIMEOUT
# A worker rides out a broker restart: it reconnects, for as long as it takes.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
# Acknowledged when done, not when taken: a task whose worker dies is not lost…
CELERY_TASK_ACKS_LATE = True
# …and is given back at once when the pool sees its process die (prefork).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per process: a long check never holds others behind it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task,
# whatever CONN_MAX_AGE says: three new PostgreSQL backends for every changed page a check
# records. With this it closes them once in this many tasks, and factcheck.celery closes
# those that are too old or broken, as Django does around each request.
CELERY_DB_REUSE_MAX = 1000
READING_PRIORITY = 9  # of a version's reading on the `assess` queue (see the routes below)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Fetching sources is slow IO: it has a queue of its own (`fetch`), so that a backlog of
# checks never delays the other tasks; the worker consumes both (Procfile.dev).
# Webhook deliveries wait on other people's servers: they have a queue of their own too
# (`webhooks`), so a slow receiver never delays a check or the desk's own tasks.
CELERY_TASK_ROUTES = {
    "sources.tasks.check_source": {"queue": "fetch"},
    # Reading, CPU work kept off the fetch workers (the Procfile's `reader`): a fetched
    # page's text extracted and the check recorded, then the version read against the claims.
    "sources.tasks.read_fetched_page": {"queue": "assess"},
    # Behind every page waiting to be recorded (on Redis, 0 is taken first and this last):
    # a change is on record, and the desk told, before the slower reading of what it says.
    "claims.tasks.read_source_version": {"queue": "assess", "priority": READING_PRIORITY},
    "webhooks.tasks.*": {"queue": "webhooks"},
}

# --- Auth, i18n, static -----------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["factcheck.api.permissions.EditorsWrite"],
    "DEFAULT_PAGINATION_CLASS": "factcheck.api.pagination.StrictCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["factcheck.api.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["factcheck.api.throttling.CallerThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("FACTCHECK_API_ANON_RATE", "300/min"),
        "user": env_rate("FACTCHECK_API_USER_RATE", "3000/min"),
        # POST /api/v1/match/ reads a whole text or fetches a page: a budget of its own.
        "match": env_rate("FACTCHECK_API_MATCH_RATE", "60/min"),
    },
    "EXCEPTION_HANDLER": "factcheck.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "factcheck.api.openapi.ApiAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": (
        "Claims, their evidence and verdicts, and how firm each claim is. Anonymous callers "
        "and read-only tokens read published claims; editors read everything and write."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "claims.models.Verdict",
        "LevelEnum": "claims.models.Level",
        "StanceEnum": "claims.models.Stance",
        "CertaintyEnum": "claims.models.Certainty",
        "EvidenceKindEnum": "claims.models.EvidenceKind",
        "EventKindEnum": "claims.models.EventKind",
        "LabelledByEnum": "claims.models.LabelledBy",
        "PublisherKindEnum": "sources.models.PublisherKind",
        "HealthEnum": "sources.models.Health",
        "SnapshotMethodEnum": "sources.models.SnapshotMethod",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security (safe unless DEBUG is on) -----------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # Django's own loggers would print a second copy through their handler.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# --- factcheck ------------------------------------------------------------
FACTCHECK_DEFAULT_RELIABILITY = env_float(
    "FACTCHECK_DEFAULT_RELIABILITY", 0.6, minimum=0.0, maximum=1.0
)
# How many settled reports the editors' prior reliability is worth against a publisher's
# track record (docs/firmness.md): 0 trusts the record alone, a large weight the prior alone.
FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT = env_float(
    "FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT", 2.0, minimum=0.0, maximum=1000.0
)
# Each report supporting a claim the desk has not settled counts as this fraction of a
# report that was wrong (docs/evaluation.md measures it; 0: such reports teach nothing).
FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT = env_float(
    "FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT", 1.5, minimum=0.0, maximum=10.0
)
FACTCHECK_TRACK_RECORD_HOUR = env_int("FACTCHECK_TRACK_RECORD_HOUR", 4, minimum=0, maximum=23)
FACTCHECK_USER_AGENT = env_str("FACTCHECK_USER_AGENT", f"factcheck/0.1 (+{SITE_URL}/about/bot)")
FACTCHECK_FETCH_ALLOWED_NETS = env_networks("FACTCHECK_FETCH_ALLOWED_NETS")
FACTCHECK_DEAD_AFTER_FAILURES = env_int("FACTCHECK_DEAD_AFTER_FAILURES", 3, minimum=1)
FACTCHECK_DEAD_MIN_SPAN = env_int("FACTCHECK_DEAD_MIN_SPAN", 72 * 3600, minimum=0)
FACTCHECK_ARCHIVE_URL = env_str("FACTCHECK_ARCHIVE_URL", "https://archive.org/wayback/available")
FACTCHECK_EXPECTED_BY_HOUR = env_int("FACTCHECK_EXPECTED_BY_HOUR", 6, minimum=0, maximum=23)
FACTCHECK_ORGANISATION = env_str("FACTCHECK_ORGANISATION", "factcheck desk")

# --- Evidence analysis (analysis.assessment, analysis.matching) ----------------
# How sources are read against claims: `rules` (cue words) or `model` (FNC-1-trained stance).
FACTCHECK_ASSESS_METHOD = env_choice("FACTCHECK_ASSESS_METHOD", "rules", ("rules", "model"))
# Matching claims to a text: `lexical` needs nothing more; `embedding` needs `pip install .[ml]`.
FACTCHECK_MATCH_METHOD = env_choice("FACTCHECK_MATCH_METHOD", "lexical", ("lexical", "embedding"))
# Scores in [0, 1]; unset means the method's own defaults (analysis/matching/*.py).
FACTCHECK_MATCH_SUGGEST_AT = env_optional_float("FACTCHECK_MATCH_SUGGEST_AT", 0.0, 1.0)
FACTCHECK_MATCH_STRONG_AT = env_optional_float("FACTCHECK_MATCH_STRONG_AT", 0.0, 1.0)
# Where `make eval` reads the Fake News Challenge (FNC-1) training data; never committed.
FACTCHECK_FNC1_DIR = Path(env_str("FACTCHECK_FNC1_DIR") or BASE_DIR.parent / "shared" / "fnc1")

# --- Fetch layer (sources/fetch/: client, robots, politeness) -------------
# Limits for fetching a source; see sources/fetch/client.py for what each outcome means.
FACTCHECK_FETCH_MAX_BYTES = env_int("FACTCHECK_FETCH_MAX_BYTES", 5_000_000, minimum=1024)
FACTCHECK_FETCH_CONNECT_TIMEOUT = env_float(
    "FACTCHECK_FETCH_CONNECT_TIMEOUT", 10.0, minimum=0.1, maximum=300.0
)
FACTCHECK_FETCH_READ_TIMEOUT = env_float(
    "FACTCHECK_FETCH_READ_TIMEOUT", 20.0, minimum=0.1, maximum=300.0
)
FACTCHECK_FETCH_DEADLINE = env_float("FACTCHECK_FETCH_DEADLINE", 60.0, minimum=0.1, maximum=900.0)
FACTCHECK_FETCH_MAX_REDIRECTS = env_int("FACTCHECK_FETCH_MAX_REDIRECTS", 5, minimum=0)
FACTCHECK_FETCH_CONTENT_TYPES = env_list(
    "FACTCHECK_FETCH_CONTENT_TYPES",
    ["text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml"],
)
# Longest a worker waits for a host's turn before giving up with outcome `deferred`.
FACTCHECK_FETCH_MAX_WAIT = env_float("FACTCHECK_FETCH_MAX_WAIT", 30.0, minimum=0.0, maximum=3600.0)
FACTCHECK_HOST_MIN_INTERVAL = env_float(
    "FACTCHECK_HOST_MIN_INTERVAL", 1.0, minimum=0.0, maximum=3600.0
)
FACTCHECK_ROBOTS_CACHE_SECONDS = env_int("FACTCHECK_ROBOTS_CACHE_SECONDS", 86_400, minimum=0)
FACTCHECK_ROBOTS_MAX_BYTES = env_int("FACTCHECK_ROBOTS_MAX_BYTES", 500_000, minimum=1024)
# Per-host politeness is shared by the workers through this Redis; empty (the embedded
# broker) keeps it in each process. (robots.txt answers live in Django's cache: CACHE_URL.)
FACTCHECK_POLITENESS_REDIS_URL = env_str("FACTCHECK_POLITENESS_REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)

# --- Rechecking sources (sources.checking, sources.scheduling, sources.tasks) ----
# The adaptive interval starts at the minimum, doubles while nothing changes, and falls
# back to the minimum after a change; each next check is jittered by ± this fraction.
FACTCHECK_RECHECK_MIN_INTERVAL = env_int("FACTCHECK_RECHECK_MIN_INTERVAL", 3600, minimum=60)
FACTCHECK_RECHECK_MAX_INTERVAL = env_int("FACTCHECK_RECHECK_MAX_INTERVAL", 30 * 86_400, minimum=60)
FACTCHECK_RECHECK_JITTER = env_float("FACTCHECK_RECHECK_JITTER", 0.1, minimum=0.0, maximum=0.5)
# After a transient error (5xx, timeout, blocked) the next check comes this soon, doubling
# with each error in a row, never later than the adaptive interval.
FACTCHECK_RECHECK_ERROR_DELAY = env_int("FACTCHECK_RECHECK_ERROR_DELAY", 600, minimum=10)
# Sources the beat task claims each minute, and how long a claim holds them (longer than a
# check's time limit) before another run may claim them again.
FACTCHECK_RECHECK_BATCH = env_int("FACTCHECK_RECHECK_BATCH", 500, minimum=1)
FACTCHECK_RECHECK_LEASE = env_int("FACTCHECK_RECHECK_LEASE", 1800, minimum=60)
# A running check holds its source this long, renewed every third of it while it runs; a
# check whose worker died frees its source when the hold runs out (and beat takes it again).
FACTCHECK_CHECK_HOLD = env_int("FACTCHECK_CHECK_HOLD", 90, minimum=3)
# Errors in a row before the claims citing a source are told (per source: alert_after_errors).
FACTCHECK_ALERT_AFTER_ERRORS = env_int("FACTCHECK_ALERT_AFTER_ERRORS", 3, minimum=1)
# check_source: retries on infrastructure errors (database, broker), with exponential backoff
# and jitter, and time limits (enforced by the prefork and gevent pools; under threads the
# fetch's own timeouts and deadline bound a check).
FACTCHECK_CHECK_MAX_RETRIES = env_int("FACTCHECK_CHECK_MAX_RETRIES", 5, minimum=0)
FACTCHECK_CHECK_RETRY_BACKOFF_MAX = env_int("FACTCHECK_CHECK_RETRY_BACKOFF_MAX", 600, minimum=1)
FACTCHECK_CHECK_SOFT_TIME_LIMIT = env_int("FACTCHECK_CHECK_SOFT_TIME_LIMIT", 300, minimum=10)
FACTCHECK_CHECK_TIME_LIMIT = env_int("FACTCHECK_CHECK_TIME_LIMIT", 360, minimum=15)
if FACTCHECK_RECHECK_MAX_INTERVAL < FACTCHECK_RECHECK_MIN_INTERVAL:
    raise ImproperlyConfigured(
        "FACTCHECK_RECHECK_MAX_INTERVAL must not be less than FACTCHECK_RECHECK_MIN_INTERVAL"
    )
if FACTCHECK_CHECK_TIME_LIMIT <= FACTCHECK_CHECK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "FACTCHECK_CHECK_TIME_LIMIT must be longer than FACTCHECK_CHECK_SOFT_TIME_LIMIT"
    )
if FACTCHECK_RECHECK_LEASE <= FACTCHECK_CHECK_TIME_LIMIT:
    raise ImproperlyConfigured("FACTCHECK_RECHECK_LEASE must be longer than a check's time limit")

# --- Webhooks (webhooks/) ---------------------------------------------------
# A failed delivery is tried again after about RETRY_FIRST seconds, then FACTOR times longer
# each time (half of it fixed, half drawn at random), never more than MAX_DELAY apart, for
# RETRY_FOR seconds after its first attempt. A 429's or 503's Retry-After is honoured.
FACTCHECK_WEBHOOK_RETRY_FIRST = env_float(
    "FACTCHECK_WEBHOOK_RETRY_FIRST", 30.0, minimum=0.01, maximum=3600.0
)
FACTCHECK_WEBHOOK_RETRY_FACTOR = env_float(
    "FACTCHECK_WEBHOOK_RETRY_FACTOR", 4.0, minimum=1.0, maximum=10.0
)
FACTCHECK_WEBHOOK_RETRY_MAX_DELAY = env_float(
    "FACTCHECK_WEBHOOK_RETRY_MAX_DELAY", 6 * 3600.0, minimum=0.01, maximum=86_400.0
)
FACTCHECK_WEBHOOK_RETRY_FOR = env_float(
    "FACTCHECK_WEBHOOK_RETRY_FOR", 24 * 3600.0, minimum=0.0, maximum=7 * 86_400.0
)
# Failed attempts in a row (any delivery of the subscription) after which it is disabled.
FACTCHECK_WEBHOOK_DISABLE_AFTER = env_int("FACTCHECK_WEBHOOK_DISABLE_AFTER", 15, minimum=1)
# Short limits: a receiver has this long to connect, and to answer in all.
FACTCHECK_WEBHOOK_CONNECT_TIMEOUT = env_float(
    "FACTCHECK_WEBHOOK_CONNECT_TIMEOUT", 3.0, minimum=0.1, maximum=60.0
)
FACTCHECK_WEBHOOK_TIMEOUT = env_float("FACTCHECK_WEBHOOK_TIMEOUT", 10.0, minimum=0.1, maximum=120.0)
# The delivery log (and the events only it refers to) is pruned after this many days.
FACTCHECK_WEBHOOK_KEEP_DAYS = env_int("FACTCHECK_WEBHOOK_KEEP_DAYS", 30, minimum=1)

# What the environment was asked for, and with which defaults: the system check
# factcheck.E006 and `manage.py settings_table` compare it with factcheck/environment.py.
FACTCHECK_ENVIRONMENT_READ = dict(READ)
