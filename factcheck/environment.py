"""Every environment variable the service reads, with what it means: the one list.

settings.py reads each through factcheck.env, which records the name and the default it
was read with. A system check (factcheck.E006) fails when a variable is read but missing
here, or listed here but never read; the README's configuration tables are generated from
this list (`python manage.py settings_table --write README.md`), and a test keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    section: str
    meaning: str
    default: str = ""  # as shown to people; empty: the default settings.py reads it with


DEPLOY = "Deployment"
API = "The API"
FETCH = "Fetching sources"
RECHECK = "Rechecking sources"
READING = "Reading sources and matching claims"
DESK = "The desk"
WEBHOOKS = "Webhooks"

VARIABLES: tuple[Variable, ...] = (
    Variable("DEBUG", DEPLOY, "`1` for development only: relaxed security, a throwaway key"),
    Variable("SECRET_KEY", DEPLOY, "required when `DEBUG` is off", "—"),
    Variable(
        "SECRET_KEY_FALLBACKS",
        DEPLOY,
        "comma-separated keys `SECRET_KEY` replaced: sessions and webhook secrets made with "
        "them stay readable (docs/webhooks.md)",
        "none",
    ),
    Variable("ALLOWED_HOSTS", DEPLOY, "comma-separated host names", "none when `DEBUG` is off"),
    Variable(
        "CSRF_TRUSTED_ORIGINS", DEPLOY, "comma-separated origins (`https://desk.example.org`)"
    ),
    Variable(
        "SITE_URL",
        DEPLOY,
        "public base URL, for links, feeds and ClaimReview",
        "`http://127.0.0.1:8000` (the port `make run` serves on, with `DEBUG` on)",
    ),
    Variable(
        "FACTCHECK_PORT",
        DEPLOY,
        "the port `make run` serves on (`PORT=9000 make run` sets it); `SITE_URL` follows it "
        "in development",
    ),
    Variable("DATABASE_URL", DEPLOY, "`postgres://user:pass@host:5432/db`", "SQLite under `var/`"),
    Variable("CELERY_BROKER_URL", DEPLOY, "`redis://host:6379/0`", "embedded filesystem broker"),
    Variable(
        "CELERY_TASK_ALWAYS_EAGER", DEPLOY, "run tasks in the calling process (debugging only)"
    ),
    Variable(
        "CACHE_URL",
        DEPLOY,
        "`redis://host:6379/1`: share throttle counters and robots.txt answers between processes",
        "per process",
    ),
    Variable(
        "FACTCHECK_VAR_DIR",
        DEPLOY,
        "where SQLite, the embedded broker and beat's state live",
        "`var/`",
    ),
    Variable("SECURE_SSL_REDIRECT", DEPLOY, "redirect http to https", "on unless `DEBUG`"),
    Variable("SECURE_HSTS_SECONDS", DEPLOY, "HSTS max-age", "one year unless `DEBUG`"),
    Variable("USE_X_FORWARDED_PROTO", DEPLOY, "trust the proxy's `X-Forwarded-Proto`"),
    Variable("LOG_LEVEL", DEPLOY, "`DEBUG`, `INFO`, `WARNING` or `ERROR`"),
    Variable(
        "FACTCHECK_SERVICE_TIMEOUT",
        DEPLOY,
        "seconds any wait on Redis (broker, cache, politeness) may take, connecting or reading",
    ),
    Variable("FACTCHECK_API_ANON_RATE", API, "throttle of anonymous callers (`120/min`)"),
    Variable("FACTCHECK_API_USER_RATE", API, "throttle of signed-in callers"),
    Variable("FACTCHECK_API_MATCH_RATE", API, "throttle of `POST /api/v1/match/`, per caller"),
    Variable(
        "FACTCHECK_USER_AGENT",
        FETCH,
        "the fetcher's User-Agent, with a contact URL",
        "`factcheck/0.1 (+SITE_URL/about/bot)`",
    ),
    Variable(
        "FACTCHECK_FETCH_ALLOWED_NETS",
        FETCH,
        "comma-separated networks (`10.20.0.0/16`) the fetcher may reach although they are "
        "private: an intranet, or a test desk's own server; everything else must be public",
        "none",
    ),
    Variable("FACTCHECK_FETCH_MAX_BYTES", FETCH, "largest page read, in bytes"),
    Variable("FACTCHECK_FETCH_CONNECT_TIMEOUT", FETCH, "seconds to connect"),
    Variable("FACTCHECK_FETCH_READ_TIMEOUT", FETCH, "seconds to wait for each read"),
    Variable("FACTCHECK_FETCH_DEADLINE", FETCH, "seconds one fetch may take in all"),
    Variable("FACTCHECK_FETCH_MAX_REDIRECTS", FETCH, "redirects followed"),
    Variable(
        "FACTCHECK_FETCH_CONTENT_TYPES",
        FETCH,
        "comma-separated content types read",
        "HTML, XHTML, plain text, XML",
    ),
    Variable(
        "FACTCHECK_FETCH_MAX_WAIT",
        FETCH,
        "seconds a worker waits for a host's turn before deferring",
    ),
    Variable("FACTCHECK_HOST_MIN_INTERVAL", FETCH, "seconds between two requests to one host"),
    Variable("FACTCHECK_ROBOTS_CACHE_SECONDS", FETCH, "how long a robots.txt answer is kept"),
    Variable("FACTCHECK_ROBOTS_MAX_BYTES", FETCH, "the part of a robots.txt read, in bytes"),
    Variable(
        "FACTCHECK_POLITENESS_REDIS_URL",
        FETCH,
        "the Redis that shares each host's turns between workers",
        "the broker's, when it is Redis",
    ),
    Variable(
        "FACTCHECK_ARCHIVE_URL",
        FETCH,
        "Wayback availability API (empty: no archive look-ups)",
        "the Internet Archive's",
    ),
    Variable(
        "FACTCHECK_RECHECK_MIN_INTERVAL", RECHECK, "shortest adaptive interval, seconds", "1 hour"
    ),
    Variable(
        "FACTCHECK_RECHECK_MAX_INTERVAL", RECHECK, "longest adaptive interval, seconds", "30 days"
    ),
    Variable("FACTCHECK_RECHECK_JITTER", RECHECK, "± share of an interval drawn at random"),
    Variable(
        "FACTCHECK_RECHECK_ERROR_DELAY",
        RECHECK,
        "seconds before checking again after an error, doubling per error in a row",
    ),
    Variable("FACTCHECK_RECHECK_BATCH", RECHECK, "sources leased per minute"),
    Variable("FACTCHECK_RECHECK_LEASE", RECHECK, "seconds a lease holds them"),
    Variable(
        "FACTCHECK_CHECK_HOLD",
        RECHECK,
        "seconds a running check holds its source, renewed while it runs: a check whose "
        "worker died is taken up again after this",
    ),
    Variable(
        "FACTCHECK_DEAD_AFTER_FAILURES", RECHECK, "dead after this many 404/410/DNS failures…"
    ),
    Variable("FACTCHECK_DEAD_MIN_SPAN", RECHECK, "…at least this many seconds apart", "72 hours"),
    Variable("FACTCHECK_ALERT_AFTER_ERRORS", RECHECK, "errors in a row before the claims are told"),
    Variable("FACTCHECK_CHECK_MAX_RETRIES", RECHECK, "retries of a check when our own side fails"),
    Variable("FACTCHECK_CHECK_RETRY_BACKOFF_MAX", RECHECK, "longest wait between retries, seconds"),
    Variable("FACTCHECK_CHECK_SOFT_TIME_LIMIT", RECHECK, "seconds before a check is asked to stop"),
    Variable("FACTCHECK_CHECK_TIME_LIMIT", RECHECK, "seconds before a check is stopped"),
    Variable(
        "FACTCHECK_ASSESS_METHOD",
        READING,
        "`rules` (cue words) or `model` (the learned stance model)",
    ),
    Variable(
        "FACTCHECK_MATCH_METHOD", READING, "`lexical`, or `embedding` with `pip install '.[ml]'`"
    ),
    Variable(
        "FACTCHECK_MATCH_SUGGEST_AT",
        READING,
        "score in [0, 1] from which a match is worth showing",
        "the method's own",
    ),
    Variable(
        "FACTCHECK_MATCH_STRONG_AT",
        READING,
        "score in [0, 1] from which a source is offered to editors",
        "the method's own",
    ),
    Variable("FACTCHECK_FNC1_DIR", READING, "where `make eval` reads FNC-1", "`../shared/fnc1`"),
    Variable("FACTCHECK_DEFAULT_RELIABILITY", DESK, "reliability of a new publisher, 0–1"),
    Variable("FACTCHECK_ORGANISATION", DESK, "the desk's name in ClaimReview"),
    Variable(
        "FACTCHECK_EXPECTED_BY_HOUR",
        DESK,
        "hour (UTC) of the daily check for forward-looking claims whose date passed",
    ),
    Variable(
        "FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT",
        DESK,
        "how many settled reports the editors' prior reliability counts as against a "
        "publisher's track record",
    ),
    Variable(
        "FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT",
        DESK,
        "each report supporting a claim not settled counts as this fraction of a wrong one",
    ),
    Variable(
        "FACTCHECK_TRACK_RECORD_HOUR",
        DESK,
        "hour (UTC) of the nightly recomputation of every publisher's track record",
    ),
    Variable(
        "FACTCHECK_WEBHOOK_RETRY_FIRST",
        WEBHOOKS,
        "seconds before the first retry of a failed delivery (at most; half of it is drawn "
        "at random)",
    ),
    Variable(
        "FACTCHECK_WEBHOOK_RETRY_FACTOR", WEBHOOKS, "each later retry waits this many times longer"
    ),
    Variable(
        "FACTCHECK_WEBHOOK_RETRY_MAX_DELAY",
        WEBHOOKS,
        "longest wait between two attempts, seconds",
        "6 hours",
    ),
    Variable(
        "FACTCHECK_WEBHOOK_RETRY_FOR",
        WEBHOOKS,
        "seconds after its first attempt that a delivery is given up",
        "24 hours",
    ),
    Variable(
        "FACTCHECK_WEBHOOK_DISABLE_AFTER",
        WEBHOOKS,
        "failed attempts in a row after which a subscription is disabled",
    ),
    Variable(
        "FACTCHECK_WEBHOOK_CONNECT_TIMEOUT",
        WEBHOOKS,
        "seconds a receiver has to accept the connection",
    ),
    Variable("FACTCHECK_WEBHOOK_TIMEOUT", WEBHOOKS, "seconds a receiver has to answer, in all"),
    Variable("FACTCHECK_WEBHOOK_KEEP_DAYS", WEBHOOKS, "days the delivery log is kept"),
)

SECTIONS = (DEPLOY, API, FETCH, RECHECK, READING, DESK, WEBHOOKS)
BY_NAME = {variable.name: variable for variable in VARIABLES}

BEGIN_MARK = (
    "<!-- settings: generated by `manage.py settings_table --write README.md`; "
    "edit factcheck/environment.py -->"
)
END_MARK = "<!-- end of settings -->"


def shown_default(variable: Variable, read_with: object) -> str:
    """The default as people read it: the list's own words, else the value settings.py uses."""
    if variable.default:
        return variable.default
    if isinstance(read_with, bool):
        return "on" if read_with else "off"
    if read_with is None or read_with in ("", []):
        return "none"
    if isinstance(read_with, list):
        return ", ".join(f"`{item}`" for item in read_with)
    return f"`{read_with}`"


def markdown_tables(read: dict[str, object]) -> str:
    """One table per section, in the order of the list; only variables settings.py reads."""
    parts = [BEGIN_MARK]
    for section in SECTIONS:
        rows = [v for v in VARIABLES if v.section == section and v.name in read]
        if not rows:
            continue
        parts += [
            "",
            f"**{section}**",
            "",
            "| variable | meaning | default |",
            "| --- | --- | --- |",
        ]
        parts += [f"| `{v.name}` | {v.meaning} | {shown_default(v, read[v.name])} |" for v in rows]
    parts += ["", END_MARK]
    return "\n".join(parts)


def replace_tables(document: str, tables: str) -> str:
    """`document` with the text between the marks replaced; ValueError without the marks."""
    start, end = document.find(BEGIN_MARK), document.find(END_MARK)
    if start < 0 or end < start:
        raise ValueError("the settings marks are missing")
    return document[:start] + tables + document[end + len(END_MARK) :]
