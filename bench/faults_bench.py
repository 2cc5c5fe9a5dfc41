"""Recovery times with the default settings, measured on the service's own processes.

    .venv/bin/python bench/faults_bench.py [--outage 120]

Starts a Redis of its own, then gunicorn, a threads worker, beat and the outbox relay on
PostgreSQL (database `factcheck_faultbench` on 127.0.0.1:5432, created and migrated on the
first run, or BENCH_DATABASE_URL), exactly as production runs them, with the default
FACTCHECK_CHECK_HOLD (90 s), FACTCHECK_RECHECK_LEASE (30 min) and beat's one-minute schedule:

1. The broker is down for `--outage` seconds (two minutes by default). A forced recheck and
   a piece of evidence on a new source are asked for during it; how long after the broker's
   return is each source checked?
2. Redis hangs (CLIENT PAUSE, 20 s): how long do /healthz, an API list, the claims page and
   a new piece of evidence take?
3. A worker is SIGKILLed in the middle of a check (a page that takes minutes to answer);
   how long until the check is done again?

Results are printed and written to bench/results/faults.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_faultbench"
)
PAGE = "<html><body><article><p>The council approved the new tram line.</p></article></body></html>"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Stack:
    """Redis and the four processes, each with a log file."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.redis_port, self.web_port = folder, free_port(), free_port()
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
        self.env.update(
            DEBUG="1",
            SECRET_KEY="faults-bench-" + "k" * 40,
            DATABASE_URL=DATABASE,
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            CACHE_URL=f"redis://127.0.0.1:{self.redis_port}/1",
            FACTCHECK_VAR_DIR=str(folder),
            FACTCHECK_FETCH_ALLOWED_NETS="127.0.0.1/32",
            FACTCHECK_HOST_MIN_INTERVAL="0",
            FACTCHECK_FETCH_READ_TIMEOUT="300",
            FACTCHECK_FETCH_DEADLINE="900",
            LOG_LEVEL="WARNING",
        )

    def commands(self) -> dict[str, list[str]]:
        from tests.faults.conftest import procfile_command

        celery = [str(BIN / "celery"), "-A", "factcheck"]
        return {
            "redis": [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            "web": [
                str(BIN / "gunicorn"),
                "factcheck.wsgi",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.web_port}",
            ],
            "worker": procfile_command("worker"),
            "beat": [*celery, "beat", "--schedule", str(self.folder / "beat-schedule")],
            "relay": [str(BIN / "python"), "manage.py", "outbox_relay"],
        }

    def start(self, name: str) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            self.commands()[name], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        if name == "redis":
            self._wait(lambda: redis.Redis(port=self.redis_port, socket_timeout=0.5).ping())

    def kill(self, name: str) -> None:
        self.processes.pop(name).send_signal(signal.SIGKILL)

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.wait(timeout=30)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    @staticmethod
    def _wait(condition: Any, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except Exception:
                pass
            time.sleep(0.1)
        raise RuntimeError("did not start")


def site() -> tuple[Any, dict[str, int]]:
    """A local server: /old and /new answer at once; /slow hangs the first time."""
    from tests.sources.httpserver import Reply, TestServer

    counts = {"slow": 0}
    lock = threading.Lock()

    def slow(seen: Any) -> Reply:
        with lock:
            counts["slow"] += 1
            first = counts["slow"] == 1
        return Reply(200, PAGE, delay=600 if first else 0)

    server = TestServer().start()
    server.route("/old", Reply(200, PAGE))
    server.route("/new", Reply(200, PAGE))
    server.route("/up", Reply(200, PAGE))
    server.route("/paused", Reply(200, PAGE))
    server.route("/slow", slow)
    return server, counts


SETUP = """
from rest_framework.authtoken.models import Token
from claims.services.claims import claim_create
from sources.services import source_get_or_create
from tests.factories import EditorFactory
editor = EditorFactory.create(username="bench-{stamp}")
source, _ = source_get_or_create(url="{old}")
slow, _ = source_get_or_create(url="{slow}", schedule=False)
claim = claim_create(
    text="The council will build a tram line {stamp}", published=True, allow_duplicate=True
)
print(Token.objects.create(user=editor).key, source.pk, slow.pk, claim.pk)
"""
CHECKED = (
    "import datetime; from sources.models import Source; "
    "since = datetime.datetime.fromtimestamp({since}, datetime.UTC); "
    "print(Source.objects.filter(pk__in=[{ids}], last_checked_at__gt=since).count())"
)


def checked_since(stack: Stack, since: float, *ids: int) -> int:
    script = CHECKED.format(since=since, ids=",".join(map(str, ids)))
    return int(stack.manage("shell", "-c", script).strip().splitlines()[-1])


def wait_checked(stack: Stack, since: float, ids: list[int], timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if checked_since(stack, since, *ids) == len(ids):
            return time.monotonic() - started
        time.sleep(1)
    return None


def timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def outage(stack: Stack, server: Any, seconds: float) -> dict[str, Any]:
    script = SETUP.format(old=server.url("/old"), slow=server.url("/slow"), stamp=time.time())
    token, old, slow, claim = stack.manage("shell", "-c", script).strip().splitlines()[-1].split()
    api = httpx.Client(
        base_url=f"http://127.0.0.1:{stack.web_port}",
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    Stack._wait(lambda: checked_since(stack, 0, int(old)) == 1, timeout=60)  # its first check
    # The baseline: the same two requests with the broker up.
    _, recheck_up_s = timed(lambda: api.post(f"/api/v1/sources/{old}/recheck/"))
    _, evidence_up_s = timed(
        lambda: api.post(f"/api/v1/claims/{claim}/evidence/", json={"url": server.url("/up")})
    )
    stack.kill("redis")
    asked_at = time.time()
    asked, recheck_s = timed(lambda: api.post(f"/api/v1/sources/{old}/recheck/"))
    linked, evidence_s = timed(
        lambda: api.post(f"/api/v1/claims/{claim}/evidence/", json={"url": server.url("/new")})
    )
    time.sleep(seconds)
    stack.start("redis")
    new = linked.json()["source"]["id"]
    after = wait_checked(stack, asked_at, [int(old), int(new)], timeout=300)
    return {
        "outage_s": seconds,
        "recheck": [asked.status_code, round(recheck_s, 2)],
        "evidence": [linked.status_code, round(evidence_s, 2)],
        "broker_up_s": [round(recheck_up_s, 2), round(evidence_up_s, 2)],
        "checked_after_return_s": after,
        "slow_source": int(slow),
        "token": token,
    }


def paused(stack: Stack, server: Any, token: str, seconds: float = 20) -> dict[str, Any]:
    """Redis hangs (CLIENT PAUSE): how long does each kind of request take?"""
    reader = httpx.Client(base_url=f"http://127.0.0.1:{stack.web_port}", timeout=30)
    desk = httpx.Client(
        base_url=reader.base_url, headers={"Authorization": f"Token {token}"}, timeout=30
    )
    claim = desk.get("/api/v1/claims/").json()["results"][0]
    pause = redis.Redis(port=stack.redis_port)
    pause.execute_command("CLIENT", "PAUSE", int(seconds * 1000), "ALL")
    try:
        timings = {
            "healthz": timed(lambda: reader.get("/healthz")),
            "api_list": timed(lambda: reader.get("/api/v1/claims/")),
            "claims_page": timed(lambda: reader.get("/claims/")),
            "add_evidence": timed(
                lambda: desk.post(
                    f"/api/v1/claims/{claim['id']}/evidence/", json={"url": server.url("/paused")}
                )
            ),
        }
    finally:
        pause.execute_command("CLIENT", "UNPAUSE")
    return {name: [answer.status_code, round(took, 2)] for name, (answer, took) in timings.items()}


def killed_worker(stack: Stack, counts: dict[str, int], slow: int) -> dict[str, Any]:
    """The page hangs (FACTCHECK_FETCH_READ_TIMEOUT is raised so that the check is still
    running): the worker is SIGKILLed during it and started again at once, as a supervisor
    would. How long until the check starts again, and until it is done?"""
    stack.manage("recheck", "--source", str(slow))
    Stack._wait(lambda: counts["slow"] >= 1, timeout=120)
    time.sleep(5)
    stack.kill("worker")
    killed, killed_at = time.monotonic(), time.time()
    stack.start("worker")
    Stack._wait(lambda: counts["slow"] >= 2, timeout=600)
    restarted = time.monotonic() - killed
    done = wait_checked(stack, killed_at, [slow], timeout=120)
    return {
        "check_started_again_s": round(restarted, 1),
        "check_done_s": None if done is None else round(restarted + done, 1),
        "fetches": counts["slow"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outage", type=float, default=120.0)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="faults-bench-"))
    stack = Stack(folder)
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            "CREATE DATABASE factcheck_faultbench",
        ],
        capture_output=True,
        check=False,
    )
    stack.manage("migrate", "--noinput", "-v", "0")
    server, counts = site()
    try:
        for name in ("redis", "web", "worker", "beat", "relay"):
            stack.start(name)
        Stack._wait(
            lambda: httpx.get(f"http://127.0.0.1:{stack.web_port}/healthz").status_code == 200
        )
        first = outage(stack, server, options.outage)
        hanging = paused(stack, server, first["token"])
        second = killed_worker(stack, counts, first["slow_source"])
    finally:
        stack.stop_all()
        server.stop()
    results = {
        "outage": {k: v for k, v in first.items() if k not in {"token", "slow_source"}},
        "redis_paused": hanging,
        "killed_worker": second,
        "logs": str(folder),
    }
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "faults.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
