"""The README's commands work as printed, and its configuration tables are the settings'.

Each command the README prints for a local checkout (the `.venv/bin/python manage.py …` lines
of its shell blocks, `load_demo` and `recheck` in its text) and the one `make run`'s banner
prints is run exactly as printed, in a fresh `git clone` of this repository (its committed
state: commit before running these), with the `.env` that `make install` writes (`make .env`)
and no DEBUG, SECRET_KEY, database or FACTCHECK_* variable set: the embedded SQLite database
and broker under the clone's var/. The clone borrows this checkout's venv rather than
installing one. Without `.env` the service is production, and refuses to start without a key.
"""

from __future__ import annotations

import os
import re
import sqlite3
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


def a_new_users_env(clone: Path) -> dict[str, str]:
    """The environment of someone who just cloned: none of the service's variables, and the
    clone's venv first on PATH (so `python` is its python, as in an activated venv)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SET_BY_HAND and not k.startswith(("FACTCHECK_", "DJANGO_"))
    }
    env["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def git_clone(into: Path) -> Path:
    clone = into / "factcheck"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    (clone / ".venv").symlink_to(ROOT / ".venv")  # installed already: borrowed, not rebuilt
    return clone


def run(line: str, clone: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", line],
        cwd=clone,
        env=env,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,  # no terminal: a password prompt reads standard input
    )


def ran_cleanly(done: subprocess.CompletedProcess[str]) -> bool:
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "ImproperlyConfigured" not in said and "Traceback" not in said, said
    return True


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh clone after `make .env` and the migration `make run` makes."""
    clone = git_clone(tmp_path_factory.mktemp("readme"))
    env = a_new_users_env(clone)
    subprocess.run(["make", "-s", ".env"], cwd=clone, env=env, check=True, timeout=60)
    migrate = ".venv/bin/python manage.py migrate --noinput -v 0"
    assert ran_cleanly(run(migrate, clone, env))
    return clone, env


@pytest.mark.slow
@pytest.mark.parametrize("line", recipes())
def test_each_readme_recipe_runs_as_printed(
    line: str, installed: tuple[Path, dict[str, str]]
) -> None:
    clone, env = installed
    script = line if not line.startswith("TOKEN=") else f'{line}; echo "token: $TOKEN"'
    done = run(script, clone, env)
    assert ran_cleanly(done)
    if line.startswith("TOKEN="):
        assert re.search(r"^token: [0-9a-f]{40}$", done.stdout, re.M), done.stdout


def printed_inline(command: str) -> str:
    """The README's inline `… manage.py COMMAND …`, as printed."""
    text = README.read_text(encoding="utf-8")
    [printed] = {m for m in re.findall(r"`([^`\n]*manage\.py [^`\n]*)`", text) if command in m}
    return printed


@pytest.mark.slow
def test_the_demo_and_recheck_commands_run_as_printed(
    installed: tuple[Path, dict[str, str]],
) -> None:
    clone, env = installed
    load_demo = printed_inline("load_demo")
    assert load_demo == ".venv/bin/python manage.py load_demo"
    assert ran_cleanly(run(load_demo, clone, env))
    assert ran_cleanly(run(load_demo, clone, env))  # "running it twice changes nothing"
    with sqlite3.connect(clone / "var" / "factcheck.sqlite3") as db:
        [(first, count)] = db.execute("SELECT min(id), count(*) FROM sources_source").fetchall()
    assert count > 0
    recheck = printed_inline("recheck")  # `… recheck --source ID [ID …]` or `--all-due`
    assert recheck == "python manage.py recheck --source ID [ID …]"
    for line in (
        recheck.replace("ID [ID …]", str(first)),
        recheck.replace("--source ID [ID …]", "--all-due"),
    ):
        done = run(line, clone, env)
        assert ran_cleanly(done)
        assert re.search(r"^\d+ source\(s\) queued for the workers\.$", done.stdout, re.M), (
            done.stdout
        )


def banner_lines(clone: Path, env: dict[str, str]) -> list[str]:
    """What `make run` prints before it starts the processes (from `make -n`, so nothing
    is installed or started)."""
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=clone, env=env, capture_output=True, text=True, timeout=60
    ).stdout
    echoes = [line for line in recipe.splitlines() if line.startswith("echo ")]
    printed = run("\n".join(echoes), clone, env).stdout
    return [line.strip() for line in printed.splitlines() if line.strip()]


@pytest.mark.slow
def test_the_command_make_runs_banner_prints_runs_as_printed(
    installed: tuple[Path, dict[str, str]],
) -> None:
    clone, env = installed
    [line] = [line for line in banner_lines(clone, env) if "manage.py" in line]
    assert line == ".venv/bin/python manage.py editor_token YOURNAME --password"
    done = run(line, clone, env)
    assert ran_cleanly(done)
    assert re.search(r"^[0-9a-f]{40}$", done.stdout.strip().splitlines()[-1]), done.stdout


@pytest.fixture
def bare_clone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A clone before `make install`: no `.env`."""
    clone = git_clone(tmp_path)
    return clone, a_new_users_env(clone)


PRINT_SETTINGS = (
    ".venv/bin/python manage.py shell -v 0 -c "
    "'from django.conf import settings as s; print(s.DEBUG, s.SITE_URL, s.SECRET_KEY)'"
)


@pytest.mark.slow
def test_without_debug_or_a_key_the_service_refuses_to_start_in_one_line(
    bare_clone: tuple[Path, dict[str, str]],
) -> None:
    clone, env = bare_clone
    assert not (clone / ".env").exists()
    done = run(".venv/bin/python manage.py check", clone, env)
    assert done.returncode != 0
    [reason] = done.stderr.strip().splitlines()
    assert "SECRET_KEY must be set when DEBUG is off" in reason
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.slow
def test_a_real_environment_variable_overrides_dotenv(
    bare_clone: tuple[Path, dict[str, str]],
) -> None:
    clone, env = bare_clone
    subprocess.run(["make", "-s", ".env"], cwd=clone, env=env, check=True, timeout=60)
    with (clone / ".env").open("a") as dotenv:
        dotenv.write("SITE_URL=https://from-dotenv.example\n")
    key = re.search(r"^SECRET_KEY=(.+)$", (clone / ".env").read_text(), re.M)
    assert key is not None
    done = run(PRINT_SETTINGS, clone, env)
    assert ran_cleanly(done)
    assert done.stdout.split() == ["True", "https://from-dotenv.example", key.group(1)]
    given = env | {"DEBUG": "0", "SECRET_KEY": "k" * 50, "SITE_URL": "https://from-env.example"}
    done = run(PRINT_SETTINGS, clone, given)
    assert ran_cleanly(done)
    assert done.stdout.split() == ["False", "https://from-env.example", "k" * 50]
