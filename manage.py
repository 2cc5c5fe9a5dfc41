#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings)
    except ImproperlyConfigured as exc:
        # A setting missing or wrong (SECRET_KEY without DEBUG, say): one line that names it;
        # a traceback through Django's loader would bury the reason.
        sys.exit(f"manage.py: {exc}")
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as exc:
        # A database that cannot be reached, or a command run before `migrate`: one line.
        trouble = database_trouble(exc)
        if trouble is None:
            raise
        sys.exit(trouble)


def database_trouble(exc: Exception) -> str | None:
    """What a user can do about a database error, or None when it is not theirs to mend."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"manage.py: the database cannot be reached: {reason}"
    if unapplied and sys.argv[1:2] != ["migrate"]:
        return "manage.py: the database is not set up; run `python manage.py migrate` first"
    return None


if __name__ == "__main__":
    main()
