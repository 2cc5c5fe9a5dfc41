"""Fixtures for the fetch layer: a local HTTP server, fast settings, and a guard that
fails any test whose code tries to connect anywhere but this machine."""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.conf import settings

from sources.fetch import politeness, robots
from tests.sources.httpserver import TestServer

LOOPBACK_ONLY = ipaddress.ip_network("127.0.0.1/32")


@pytest.fixture(autouse=True)
def root_logging() -> Iterator[None]:
    """Each test starts with the root logger as settings configured it.

    Celery's embedded test worker (the end-to-end tests) sets the root logger to ERROR for
    the rest of the process; tests that read warnings with caplog would then see nothing,
    depending on which tests ran before them.
    """
    root = logging.getLogger()
    level = root.level
    root.setLevel(cast(dict[str, Any], settings.LOGGING)["root"]["level"])
    yield
    root.setLevel(level)


@pytest.fixture(autouse=True)
def outside_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse (and record) every TCP connection to an address off this machine.

    The fetcher is meant never to try one; if it ever did, this keeps the test from
    sending traffic to a private or public network, and the test fails.
    """
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
            if not ip.is_loopback:
                attempts.append(address)
                raise ConnectionRefusedError(f"test guard: no connections to {address[0]}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert attempts == [], f"the code tried to connect off this machine: {attempts}"


class FakeDNS:
    """Stands in for socket.getaddrinfo: names map to successive answers; numeric hosts
    pass through to the real resolver (which never asks the network for them)."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self._answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def set(self, name: str, *answers: list[str]) -> None:
        """Each lookup of `name` takes the next answer, the last repeating; [] fails."""
        self._answers[name] = list(answers)

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name.split("%", 1)[0])
        except ValueError:
            return self._answer(name, int(port or 0))
        return self._real(host, port, *args, **kwargs)

    def _answer(self, name: str, port: int) -> list[Any]:
        self.lookups.append(name)
        answers = self._answers.get(name)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return [_info(address, port) for address in addresses]


def _info(address: str, port: int) -> tuple[Any, ...]:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """Every name lookup answered from the test's own table; none reaches a real resolver."""
    dns = FakeDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    return dns


@pytest.fixture
def fast_fetch(settings: Any) -> Any:
    """Settings for quick tests against 127.0.0.1, with politeness kept in this process."""
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [LOOPBACK_ONLY]
    settings.FACTCHECK_HOST_MIN_INTERVAL = 0.0
    settings.FACTCHECK_FETCH_CONNECT_TIMEOUT = 1.0
    settings.FACTCHECK_FETCH_READ_TIMEOUT = 1.0
    settings.FACTCHECK_FETCH_DEADLINE = 3.0
    settings.FACTCHECK_FETCH_MAX_WAIT = 5.0
    settings.FACTCHECK_FETCH_MAX_BYTES = 100_000
    settings.FACTCHECK_POLITENESS_REDIS_URL = ""
    settings.FACTCHECK_USER_AGENT = "factcheck-test/1.0 (+http://factcheck.test/bot)"
    politeness.reset_local()
    return settings


@pytest.fixture
def server(fast_fetch: Any) -> Iterator[TestServer]:
    """A fresh local server per test. The robots.txt cached for it, under whatever names
    the test reached it by, is dropped before and after."""
    running = TestServer().start()
    robots.forget(running.url())
    try:
        yield running
    finally:
        running.stop()
        for host in {seen.headers.get("host", "") for seen in running.requests} - {""}:
            robots.forget(f"{running.scheme}://{host}/")
        robots.forget(running.url())
