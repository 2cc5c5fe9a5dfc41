"""Where generate_data's COPY text goes: straight into the caller's connection, or to a
thread with its own connection, so that Python makes the next chunk while PostgreSQL
writes the last one (and two such threads keep PostgreSQL busy on two tables at once).

A batch is a list of (COPY statement, text) written in one transaction.
"""

from __future__ import annotations

import queue
import threading
from typing import Protocol

from django.db import connection, transaction

from claims.demo.copying import copy_text

Batch = list[tuple[str, str]]
# Batches waiting for a thread: enough to keep it busy, few enough to keep memory flat.
WAITING = 2
POLL_SECONDS = 0.5


class CopyWriter(Protocol):
    def send(self, batch: Batch) -> None: ...

    def close(self) -> None: ...

    def stop(self) -> None: ...


class InlineWriter:
    """Writes each batch at once on the caller's connection (and in its transaction, if it
    has one): what a small load or a test needs."""

    def send(self, batch: Batch) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, text in batch:
                copy_text(cursor.cursor, sql, text)

    def close(self) -> None:
        pass

    def stop(self) -> None:
        pass


class ThreadWriter:
    """Writes batches in a thread of its own, on its own connection, each committed as it
    is written. Only for a load whose rows need not see each other's transactions (its
    foreign keys are set aside: claims.demo.loading)."""

    def __init__(self) -> None:
        self.waiting: queue.Queue[Batch | None] = queue.Queue(maxsize=WAITING)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def send(self, batch: Batch) -> None:
        self._put(batch)

    def close(self) -> None:
        self.stop()
        self._raise_error()

    def stop(self) -> None:
        """Let the thread write what it holds, then end it (also after a failure)."""
        while self.thread.is_alive():
            try:
                self.waiting.put(None, timeout=POLL_SECONDS)
                break
            except queue.Full:
                continue
        self.thread.join()

    def _put(self, item: Batch | None) -> None:
        while True:
            self._raise_error()
            try:
                self.waiting.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _raise_error(self) -> None:
        if self.error is not None:
            raise RuntimeError("a COPY writer failed") from self.error

    def _run(self) -> None:
        try:
            with connection.cursor() as cursor:
                # A load is redone if lost; waiting for each commit to reach disk is not needed.
                cursor.execute("SET synchronous_commit = off")
            while (batch := self.waiting.get()) is not None:
                InlineWriter().send(batch)
        except BaseException as error:  # handed to the main thread at its next send
            self.error = error
        finally:
            connection.close()
