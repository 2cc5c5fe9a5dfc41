"""`python manage.py editor_token USERNAME [--password] [--email E]`

Makes USERNAME an editor (staff, in the `editors` group; created when missing) and
prints their API token as the last line, so scripts can take it with `tail -n 1`.
Everything is checked before anything is written: bad input leaves no half-made user.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import models, transaction
from rest_framework.authtoken.models import Token

from claims.permissions import ensure_editors_group

PASSWORD_ENV = "FACTCHECK_EDITOR_PASSWORD"


def one_line(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Create the editor USERNAME if missing, put them in the editors group and print "
        "their API token as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--password",
            action="store_true",
            help=f"Set a password for the desk: asked twice, or read from ${PASSWORD_ENV}.",
        )
        parser.add_argument("--email", default="", help="The editor's e-mail address.")

    def handle(self, *args: Any, **options: Any) -> None:
        username = self.checked_username(options["username"])
        email = self.checked_email(options["email"])
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        password = None
        if options["password"]:
            candidate = user or User(**{User.USERNAME_FIELD: username, "email": email})
            password = self.checked_password(self.read_password(), candidate)
        with transaction.atomic():
            user, created = self.make_editor(username, email, password)
            token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(f"{'Created' if created else 'Updated'} the editor {username!r}.")
        if password is None and created:
            self.stdout.write("They have no password: the API token is their only key.")
        self.stdout.write(token.key)

    def checked_username(self, raw: str) -> str:
        User = get_user_model()
        field = User._meta.get_field(User.USERNAME_FIELD)
        assert isinstance(field, models.Field)
        username = raw.strip()
        if not username:
            raise CommandError("The username is empty.")
        try:
            field.run_validators(username)
        except ValidationError as exc:
            raise CommandError(f"Invalid username {raw!r}: {one_line(exc)}") from None
        return username

    def checked_email(self, raw: str) -> str:
        email = raw.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"Invalid e-mail address {raw!r}.") from None
        return email

    def read_password(self) -> str:
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env is not None:
            return from_env
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError(f"No password given (set ${PASSWORD_ENV} in scripts).") from None
        if first != second:
            raise CommandError("The two passwords differ.")
        return first

    def checked_password(self, password: str, user: Any) -> str:
        if not password:
            raise CommandError("The password is empty.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(f"Password refused: {one_line(exc)}") from None
        return password

    def make_editor(self, username: str, email: str, password: str | None) -> tuple[Any, bool]:
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        created = user is None
        if user is None:
            user = User(**{User.USERNAME_FIELD: username})
        user.is_staff = True  # the desk (admin) lets in staff only
        if email:
            user.email = email
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        user.groups.add(ensure_editors_group())
        if not user.is_active:
            self.stderr.write(f"Note: {username!r} is inactive; the token works once reactivated.")
        return user, created
