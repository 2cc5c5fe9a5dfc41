"""manage.py before the database is ready: one line saying why and what to do, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DEBUG="1", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", [["recheck", "--all-due"], ["load_demo"]])
def test_a_command_before_migrate_says_to_migrate_in_one_line(tmp_path, command):
    done = manage(*command, FACTCHECK_VAR_DIR=str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "manage.py: the database is not set up; run `python manage.py migrate` first"
    ]


def test_a_database_that_cannot_be_reached_is_named_in_one_line(tmp_path):
    url = "postgres://postgres@127.0.0.1:5432/factcheck_no_such_database"
    done = manage("recheck", "--all-due", FACTCHECK_VAR_DIR=str(tmp_path), DATABASE_URL=url)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("manage.py: the database cannot be reached:")
    assert "factcheck_no_such_database" in line
