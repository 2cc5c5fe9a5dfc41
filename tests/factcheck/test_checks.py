"""The system checks for configuration mistakes, and a clean `check --deploy`."""

from __future__ import annotations

import copy
import os
import secrets
import string
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import Error, Warning, run_checks
from django.test import override_settings

from factcheck.checks import check_assess_method, check_broker, check_database, check_site

ROOT = Path(__file__).resolve().parents[2]


def databases_with(engine: str) -> dict:
    databases = copy.deepcopy(settings.DATABASES)
    databases["default"]["ENGINE"] = engine
    return databases


def ids(messages: list) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize("engine", ["django.db.backends.sqlite3", "django.db.backends.postgresql"])
def test_sqlite_and_postgresql_pass_the_database_check(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django warns that DATABASES is a complex override.
        with override_settings(DATABASES=databases_with(engine)):
            assert check_database() == []


def test_an_unsupported_database_engine_is_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with override_settings(DATABASES=databases_with("django.db.backends.mysql")):
            (problem,) = check_database()
    assert isinstance(problem, Error)
    assert problem.id == "factcheck.E001"
    assert "django.db.backends.mysql" in problem.msg


@pytest.mark.parametrize(
    "url", ["filesystem://", "redis://127.0.0.1:6379/0", "rediss://cache.example:6380/1"]
)
def test_supported_brokers_pass_the_broker_check(url):
    with override_settings(CELERY_BROKER_URL=url, DEBUG=True):
        assert check_broker() == []


@pytest.mark.parametrize("url", ["amqp://guest@localhost//", "sqs://", "localhost:6379"])
def test_an_unsupported_broker_scheme_is_an_error(url):
    with override_settings(CELERY_BROKER_URL=url):
        (problem,) = check_broker()
    assert isinstance(problem, Error)
    assert problem.id == "factcheck.E002"


def test_the_embedded_broker_with_postgresql_in_production_is_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with override_settings(
            CELERY_BROKER_URL="filesystem://",
            DEBUG=False,
            DATABASES=databases_with("django.db.backends.postgresql"),
        ):
            (problem,) = check_broker()
    assert isinstance(problem, Warning)
    assert problem.id == "factcheck.W001"


def test_a_user_agent_without_a_contact_url_is_a_deploy_error():
    with override_settings(FACTCHECK_USER_AGENT="factcheck/0.1", SITE_URL="https://example.org"):
        assert ids(check_site()) == ["factcheck.E003"]
        deploy = run_checks(include_deployment_checks=True, tags=["security"])
        plain = run_checks(include_deployment_checks=False, tags=["security"])
    assert "factcheck.E003" in ids(deploy)
    assert "factcheck.E003" not in ids(plain)


def test_the_model_method_without_weights_is_an_error(monkeypatch, tmp_path):
    from analysis.assessment import learned

    with override_settings(FACTCHECK_ASSESS_METHOD="model"):
        assert check_assess_method() == []
        monkeypatch.setattr(learned, "MODEL_FILE", tmp_path / "absent.json.gz")
        assert ids(check_assess_method()) == ["factcheck.E005"]
    with override_settings(FACTCHECK_ASSESS_METHOD="rules"):
        assert check_assess_method() == []


def test_a_plain_http_site_url_is_a_deploy_warning():
    agent = "factcheck/0.1 (+https://example.org/about/bot)"
    with override_settings(FACTCHECK_USER_AGENT=agent, SITE_URL="http://example.org"):
        assert ids(check_site()) == ["factcheck.W002"]
    with override_settings(FACTCHECK_USER_AGENT=agent, SITE_URL="https://example.org"):
        assert check_site() == []


def production_environment(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "CSRF_", "FACTCHECK_", "CACHE_"))
        and key not in {"DATABASE_URL", "CELERY_BROKER_URL", "USE_X_FORWARDED_PROTO"}
    }
    alphabet = string.ascii_letters + string.digits + string.punctuation
    env.update(
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        FACTCHECK_VAR_DIR=str(var_dir),
    )
    return env


@pytest.mark.slow
def test_a_production_configuration_passes_check_deploy_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
