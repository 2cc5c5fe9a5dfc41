"""`make run` keeps the web up when a background process dies: bin/keep-running starts the
process again, and says so loudly, instead of exiting (which would make honcho stop all)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def started(starts: Path) -> int:
    return starts.read_text().count("x") if starts.exists() else 0


def test_a_process_that_dies_is_started_again_and_the_restart_is_said(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    runner = subprocess.Popen(
        [str(ROOT / "bin" / "keep-running"), "worker", "sh", "-c", f"echo x >> {starts}; exit 3"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and started(starts) < 2:
            time.sleep(0.2)
        assert runner.poll() is None  # the loop itself never exits
    finally:
        os.killpg(runner.pid, signal.SIGTERM)
        _, said = runner.communicate(timeout=10)
    assert started(starts) >= 2
    assert "worker stopped (exit 3); the web keeps serving; restarting it" in said


def test_make_run_wraps_every_background_process() -> None:
    procfile = (ROOT / "Procfile.dev").read_text().splitlines()
    background = [line for line in procfile if line and not line.startswith("web:")]
    assert {line.split(":")[0] for line in background} == {"worker", "reader", "beat", "relay"}
    assert all(line.split(":", 1)[1].strip().startswith("bin/keep-running ") for line in background)
