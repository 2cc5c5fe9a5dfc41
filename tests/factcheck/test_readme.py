"""The README's commands work as printed, and its configuration tables are the settings'.

Each `.venv/bin/python manage.py …` line of the README's shell blocks is run exactly as
printed, from the checkout, with no DEBUG, SECRET_KEY or database set by hand: the
checkout's `.env` (written by `make install`) is what makes them work. Only the variables
that keep the run apart from the developer's own data (a fresh FACTCHECK_VAR_DIR) are set.
"""

from __future__ import annotations

import os
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PASSWORD = "a long desk password 4 tests"
SET_BY_HAND = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")


def shell_lines() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def recipes() -> list[str]:
    """The local recipes: `.venv/bin/python manage.py`, except --write, which changes the
    repository (test_the_settings_tables_are_the_settings checks what it would write)."""
    return [
        line
        for line in shell_lines()
        if ".venv/bin/python manage.py" in line and "--write" not in line
    ]


def test_the_settings_tables_are_the_settings() -> None:
    out = StringIO()
    call_command("settings_table", "--check", str(README), stdout=out)
    assert "up to date" in out.getvalue()


def test_the_readme_shows_the_recipes_a_new_user_needs() -> None:
    shown = " ".join(recipes())
    for command in ("editor_token alice --password", "editor_token alice", "assess", "--jsonl"):
        assert command in shown


@pytest.fixture(scope="module")
def checkout_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not (ROOT / ".env").exists():
        pytest.fail(".env is missing: `make install` writes it; the README's commands need it")
    env = {k: v for k, v in os.environ.items() if k not in SET_BY_HAND}
    env["FACTCHECK_VAR_DIR"] = str(tmp_path_factory.mktemp("readme-var"))
    subprocess.run(
        [".venv/bin/python", "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


@pytest.mark.slow
@pytest.mark.parametrize("line", recipes())
def test_each_readme_recipe_runs_as_printed(line: str, checkout_env: dict[str, str]) -> None:
    script = line if not line.startswith("TOKEN=") else f'{line}; echo "token: $TOKEN"'
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=checkout_env,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,  # no terminal: the password prompt reads standard input
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ImproperlyConfigured" not in done.stderr and "Traceback" not in done.stderr
    if line.startswith("TOKEN="):
        assert re.search(r"^token: [0-9a-f]{40}$", done.stdout, re.M), done.stdout
