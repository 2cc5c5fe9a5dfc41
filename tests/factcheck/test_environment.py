"""Every variable settings.py reads is listed with its meaning, and the development site
follows the port `make run` serves on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from factcheck import environment
from factcheck.checks import check_environment_listed

ROOT = Path(__file__).resolve().parents[2]


def ids(problems: list) -> list[str]:
    return [problem.id for problem in problems]


def test_every_variable_read_is_listed_and_every_listed_one_is_read() -> None:
    assert check_environment_listed() == []
    assert set(settings.FACTCHECK_ENVIRONMENT_READ) == set(environment.BY_NAME)


def test_a_variable_read_but_not_listed_is_an_error() -> None:
    read = {**settings.FACTCHECK_ENVIRONMENT_READ, "FACTCHECK_NEW_KNOB": 3}
    with override_settings(FACTCHECK_ENVIRONMENT_READ=read):
        problems = check_environment_listed()
    assert ids(problems) == ["factcheck.E006"]
    assert "FACTCHECK_NEW_KNOB" in problems[0].msg


def test_a_listed_variable_never_read_is_an_error() -> None:
    read = dict(settings.FACTCHECK_ENVIRONMENT_READ)
    del read["FACTCHECK_RECHECK_BATCH"]
    with override_settings(FACTCHECK_ENVIRONMENT_READ=read):
        assert ids(check_environment_listed()) == ["factcheck.E006"]


def test_the_tables_show_each_section_and_the_defaults_read() -> None:
    tables = environment.markdown_tables(settings.FACTCHECK_ENVIRONMENT_READ)
    for section in environment.SECTIONS:
        assert f"**{section}**" in tables
    assert "| `FACTCHECK_RECHECK_BATCH` | sources leased per minute | `500` |" in tables
    assert "`FACTCHECK_FETCH_ALLOWED_NETS`" in tables


def site_url(**variables: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "FACTCHECK_PORT"}}
    env.update(variables)
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.slow
def test_in_development_the_site_url_follows_the_port_unless_it_is_set() -> None:
    assert site_url(DEBUG="1", FACTCHECK_PORT="8101") == "http://127.0.0.1:8101"
    assert site_url(DEBUG="1") == "http://127.0.0.1:8000"
    assert site_url(DEBUG="1", FACTCHECK_PORT="8101", SITE_URL="https://desk.example/") == (
        "https://desk.example"
    )
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "FACTCHECK_PORT": "8101"}
    assert site_url(**production) == "http://127.0.0.1:8000"
