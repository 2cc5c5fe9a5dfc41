"""`manage.py editor_token USERNAME`: an editor account and its API token."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from claims.permissions import EDITORS_GROUP, sees_unpublished
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a long and unusual passphrase 42"
User = get_user_model()


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("editor_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def test_it_creates_a_staff_editor_and_prints_the_token_as_the_last_line() -> None:
    lines = run("alice", "--email", "alice@example.org")
    user = User.objects.get(username="alice")
    assert lines[-1] == Token.objects.get(user=user).key
    assert user.is_staff and sees_unpublished(user)
    assert user.has_perm("claims.change_claim")
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert user.email == "alice@example.org"
    assert not user.has_usable_password()


def test_running_it_twice_prints_the_same_token_and_makes_one_user() -> None:
    first, second = run("bob")[-1], run("bob")[-1]
    assert first == second
    assert User.objects.filter(username="bob").count() == 1
    assert Token.objects.count() == 1


def test_it_makes_an_existing_user_an_editor_and_keeps_their_password() -> None:
    UserFactory(username="carol")
    user = User.objects.get(username="carol")
    run("carol")
    user.refresh_from_db()
    assert user.is_staff and sees_unpublished(user)
    assert user.has_perm("claims.change_claim")
    assert user.check_password("correct horse battery staple")


@pytest.mark.parametrize("username", ["not valid!", "", "   ", "x" * 151])
def test_it_rejects_an_invalid_username_and_creates_nothing(username: str) -> None:
    with pytest.raises(CommandError, match="username"):
        run(username)
    assert not User.objects.exists()


def test_it_rejects_an_invalid_email() -> None:
    with pytest.raises(CommandError, match="e-mail"):
        run("dave", "--email", "not-an-address")
    assert not User.objects.exists()


def test_it_sets_a_password_from_the_environment_for_scripts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FACTCHECK_EDITOR_PASSWORD", GOOD_PASSWORD)
    run("erin", "--password")
    assert User.objects.get(username="erin").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize("password", ["short", "password123", "12345678901234", ""])
def test_it_refuses_a_password_the_validators_refuse_and_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("FACTCHECK_EDITOR_PASSWORD", password)
    with pytest.raises(CommandError, match="assword"):
        run("frank", "--password")
    assert not User.objects.exists()


def test_it_asks_for_the_password_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTCHECK_EDITOR_PASSWORD", raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("gina", "--password")
    assert User.objects.get(username="gina").check_password(GOOD_PASSWORD)


def test_it_refuses_two_different_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTCHECK_EDITOR_PASSWORD", raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        run("hank", "--password")
    assert not User.objects.exists()


@pytest.mark.slow
def test_a_bad_username_exits_non_zero_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env: dict[str, Any] = {**os.environ, "DEBUG": "1", "FACTCHECK_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the command fails before it needs a database
    result = subprocess.run(
        [sys.executable, "manage.py", "editor_token", "no spaces allowed"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: Invalid username 'no spaces allowed'")
