"""changedetection.io beside our worker, for bench/recheck_bench.py: installed by the bench
in a throwaway venv (bench/.cdio-venv, git-ignored; CDIO_VENV to put it elsewhere), started
on a local port with its datastore in a temporary folder, watching the same local pages with
as many fetch workers as our worker has threads, and asked through its REST API to recheck
every watch. Its rounds are timed as our worker's are: from the first request for a page to
the last, as the local page server saw them.

Everything it needs comes from PyPI through pip; when it cannot be installed or started,
`CdioUnavailable` says why, and the bench prints that instead of a figure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CDIO_VERSION = "0.60.10"
VENV = Path(os.environ.get("CDIO_VENV", ROOT / "bench" / ".cdio-venv"))
PROGRAM = VENV / "bin" / "changedetection.io"


class CdioUnavailable(Exception):
    """changedetection.io could not be installed or started here; the message says why."""


def cdio_install() -> Path:
    """The changedetection.io program, installed into the throwaway venv when missing."""
    marker = VENV / f"installed-{CDIO_VERSION}"
    if PROGRAM.exists() and marker.exists():
        return PROGRAM
    shutil.rmtree(VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "pip"), "install", "-q", f"changedetection.io=={CDIO_VERSION}"],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=1200)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CdioUnavailable(f"`{' '.join(step[-3:])}` failed: {exc}") from None
        if done.returncode != 0:
            said = [line for line in done.stderr.splitlines() if "ignored" not in line]
            raise CdioUnavailable(f"`{' '.join(step[-3:])}` failed: {' / '.join(said[-3:])}")
    marker.touch()
    return PROGRAM


@dataclass
class Cdio:
    """A running changedetection.io and its API."""

    url: str
    key: str
    process: subprocess.Popen[bytes]

    def api(self, path: str, **params: str) -> Any:
        response = httpx.get(
            f"{self.url}/api/v1/{path}", params=params, headers={"x-api-key": self.key}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def recheck_all(self) -> None:
        self.api("watch", recheck_all="1")

    def queue_empty(self) -> bool:
        return int(self.api("systeminfo")["queue_size"]) == 0

    def changed_since(self, epoch: float) -> int:
        """How many watches have a version found at or after `epoch` (whole seconds)."""
        watches = self.api("watch").values()
        return sum(1 for w in watches if (w.get("last_changed") or 0) >= int(epoch))


@contextmanager
def cdio_running(
    program: Path, urls: list[str], *, workers: int, port: int, folder: Path
) -> Iterator[Cdio]:
    """changedetection.io on 127.0.0.1:`port` with `workers` fetch workers, watching `urls`
    (given with -u, so that it adds none of its default watches); each is read once at start."""
    datastore = folder / "datastore"
    command = [str(program), "-d", str(datastore), "-C", "-p", str(port), "-l", "WARNING"]
    for url in urls:
        command += ["-u", url]
    env = {
        **os.environ,
        "FETCH_WORKERS": str(workers),
        "LISTEN_HOST": "127.0.0.1",
        "ALLOW_IANA_RESTRICTED_ADDRESSES": "true",  # the pages are on 127.0.0.1
    }
    log = (folder / "cdio.log").open("wb")
    process = subprocess.Popen(
        command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield _connect(process, datastore, f"http://127.0.0.1:{port}", folder / "cdio.log")
    finally:
        _stop(process)
        log.close()


def _connect(process: subprocess.Popen[bytes], datastore: Path, url: str, log: Path) -> Cdio:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace").splitlines()[-5:]
            raise CdioUnavailable(f"it exited ({process.returncode}): {' / '.join(tail)}")
        try:
            settings = json.loads((datastore / "changedetection.json").read_text())
            key = settings["settings"]["application"]["api_access_token"]
            cdio = Cdio(url, key, process)
            cdio.api("systeminfo")
            return cdio
        except (OSError, ValueError, KeyError, httpx.HTTPError):
            time.sleep(0.5)
    raise CdioUnavailable("its API did not answer within 120 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:  # it waits for its workers; they hold nothing of ours
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(15)


def wait_until(test: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise CdioUnavailable(f"timed out waiting for {what}")
        time.sleep(0.1)
