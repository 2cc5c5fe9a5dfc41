"""The fetcher against a local server: every outcome, every refusal, and the pinning."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sources.fetch import client, politeness
from sources.fetch.client import FetchOptions, Outcome
from sources.fetch.fetching import fetch
from tests.sources.conftest import FakeDNS
from tests.sources.httpserver import Reply, TestServer, conditional, redirect

HTML = "<html><body><p>A page about a claim.</p></body></html>"


def no_robots() -> FetchOptions:
    return FetchOptions.from_settings(obey_robots=False)


def test_a_page_is_read_with_an_honest_user_agent(server: TestServer) -> None:
    server.route("/story", Reply(200, HTML, headers={"ETag": '"v1"', "Last-Modified": "x"}))
    result = fetch(server.url("/story"))
    assert result.outcome is Outcome.OK and result.ok
    assert (result.status, result.content_type, result.encoding) == (200, "text/html", "utf-8")
    assert result.text == HTML and not result.truncated
    assert (result.etag, result.last_modified) == ('"v1"', "x")
    assert result.final_url == server.url("/story") and result.redirects == []
    seen = server.hits("/story")[0]
    assert seen.headers["user-agent"] == "factcheck-test/1.0 (+http://factcheck.test/bot)"
    assert "text/html" in seen.headers["accept"]
    assert "if-none-match" not in seen.headers


def test_loopback_is_refused_unless_allowed(server: TestServer, settings: Any) -> None:
    server.route("/story", Reply(200, HTML))
    settings.FACTCHECK_FETCH_ALLOWED_NETS = []
    result = fetch(server.url("/story"))
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "refused_address")
    assert "127.0.0.1" in result.error
    assert server.requests == []


@pytest.mark.parametrize("spelling", ["127.1", "0x7f000001", "2130706433", "017700000001"])
def test_odd_spellings_reach_the_checked_address(server: TestServer, spelling: str) -> None:
    server.route("/story", Reply(200, HTML))
    assert fetch(server.url("/story", host=spelling)).outcome is Outcome.OK


def test_a_loopback_address_outside_the_allowed_net_is_refused(server: TestServer) -> None:
    result = fetch(server.url("/story", host="127.0.0.2"))
    assert result.reason == "refused_address" and server.requests == []


def test_a_page_that_changes_between_requests(server: TestServer) -> None:
    server.route("/live", Reply(200, "<p>first</p>"), Reply(200, "<p>second</p>"))
    assert fetch(server.url("/live")).text == "<p>first</p>"
    assert fetch(server.url("/live")).text == "<p>second</p>"


def test_conditional_requests_and_304(server: TestServer) -> None:
    server.route("/c", conditional('"abc"', HTML, last_modified="Tue, 05 Mar 2024 10:00:00 GMT"))
    first = fetch(server.url("/c"))
    assert first.outcome is Outcome.OK and first.etag == '"abc"'
    again = fetch(server.url("/c"), etag=first.etag, last_modified=first.last_modified)
    assert (again.outcome, again.status, again.body) == (Outcome.NOT_MODIFIED, 304, b"")
    seen = server.hits("/c")[-1].headers
    assert seen["if-none-match"] == '"abc"'
    assert seen["if-modified-since"] == "Tue, 05 Mar 2024 10:00:00 GMT"
    by_date = fetch(server.url("/c"), last_modified="Tue, 05 Mar 2024 10:00:00 GMT")
    assert by_date.outcome is Outcome.NOT_MODIFIED
    changed = fetch(server.url("/c"), etag='"old"')
    assert changed.outcome is Outcome.OK and changed.text == HTML


def test_permanent_redirects_mean_moved(server: TestServer) -> None:
    server.route("/old", redirect(301, "/older"))
    server.route("/older", redirect(308, "/new"))
    server.route("/new", Reply(200, HTML))
    result = fetch(server.url("/old"))
    assert result.outcome is Outcome.MOVED and result.ok
    assert result.moved_to == result.final_url == server.url("/new")
    assert [status for status, _ in result.redirects] == [301, 308]
    assert result.text == HTML


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirects_are_followed_without_moving(server: TestServer, status: int) -> None:
    server.route("/short", redirect(status, "/long/article?id=1#part"))
    server.route("/long/article", Reply(200, HTML))
    result = fetch(server.url("/short"))
    assert (result.outcome, result.moved_to) == (Outcome.OK, "")
    assert result.final_url == server.url("/long/article?id=1")


def test_only_a_leading_run_of_permanent_hops_moves_the_source(server: TestServer) -> None:
    server.route("/a", redirect(301, "/b"))
    server.route("/b", redirect(302, "/c"))
    server.route("/c", Reply(200, HTML))
    server.route("/x", redirect(302, "/y"))
    server.route("/y", redirect(301, "/c"))
    moved = fetch(server.url("/a"))
    assert (moved.outcome, moved.moved_to, moved.final_url) == (
        Outcome.MOVED,
        server.url("/b"),
        server.url("/c"),
    )
    assert fetch(server.url("/x")).outcome is Outcome.OK


def test_a_permanent_redirect_to_a_missing_page_is_gone_not_moved(server: TestServer) -> None:
    server.route("/old", redirect(301, "/missing"))
    result = fetch(server.url("/old"))
    assert (result.outcome, result.reason, result.status) == (Outcome.GONE, "http_404", 404)


def test_at_most_five_redirects(server: TestServer) -> None:
    for hop in range(6):
        server.route(f"/hop{hop}", redirect(302, f"/hop{hop + 1}"))
    server.route("/hop6", Reply(200, HTML))
    too_many = fetch(server.url("/hop0"))
    assert (too_many.outcome, too_many.reason) == (Outcome.ERROR, "too_many_redirects")
    assert server.hits("/hop6") == []
    assert fetch(server.url("/hop1")).outcome is Outcome.OK  # exactly five


@pytest.mark.parametrize(
    "target", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"]
)
def test_a_redirect_to_a_refused_address_is_blocked(server: TestServer, target: str) -> None:
    server.route("/go", redirect(302, target))
    result = fetch(server.url("/go"))
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "refused_address")
    assert result.final_url == target  # the autouse guard shows no connection was tried


def test_a_redirect_to_another_loopback_address_is_blocked(server: TestServer) -> None:
    server.route("/go", redirect(301, server.url("/story", host="127.0.0.2")))
    result = fetch(server.url("/go"))
    assert result.reason == "refused_address" and server.hits("/story") == []


def test_a_redirect_to_a_name_of_a_refused_address_is_blocked(
    server: TestServer, fake_dns: FakeDNS
) -> None:
    fake_dns.set("rebind.test", ["10.1.2.3"])
    server.route("/go", redirect(302, "http://rebind.test/admin"))
    result = fetch(server.url("/go"))
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "refused_address")
    assert "rebind.test resolves to 10.1.2.3" in result.error


@pytest.mark.parametrize("target", ["ftp://files.test/a", "file:///etc/passwd", "gopher://x/"])
def test_a_redirect_to_another_scheme_is_blocked(server: TestServer, target: str) -> None:
    server.route("/go", redirect(302, target))
    result = fetch(server.url("/go"))
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "refused_url")


def test_an_unusable_redirect_is_an_error(server: TestServer) -> None:
    server.route("/go", redirect(302, "http://[::1"))
    result = fetch(server.url("/go"))
    assert result.outcome is Outcome.ERROR and "location" in result.error.lower()


def test_an_unusable_url_is_refused(fast_fetch: Any) -> None:
    assert fetch("http://a.test:99999/").reason == "refused_url"
    assert fetch("mailto:someone@example.test").reason == "refused_url"


def test_a_deep_link_sent_to_the_home_page_is_a_soft_404(server: TestServer) -> None:
    server.route("/news/2024/story", redirect(301, "/"))
    server.route("/", Reply(200, "<p>home</p>"))
    result = fetch(server.url("/news/2024/story"))
    assert (result.outcome, result.reason, result.body) == (Outcome.GONE, "soft_404", b"")
    assert result.final_url == server.url("/")


def test_a_soft_404_counts_subdomains_as_one_site(server: TestServer, fake_dns: FakeDNS) -> None:
    fake_dns.set("www.paper.test", ["127.0.0.1"])
    fake_dns.set("paper.test", ["127.0.0.1"])
    server.route("/story", redirect(302, server.url("/", host="www.paper.test")))
    server.route("/", Reply(200, "<p>home</p>"))
    result = fetch(server.url("/story", host="paper.test"))
    assert result.reason == "soft_404"


def test_the_home_page_sent_home_is_not_a_soft_404(server: TestServer) -> None:
    server.route("/", redirect(302, "/"), Reply(200, "<p>home</p>"))
    result = fetch(server.url("/"))
    assert result.outcome is Outcome.OK and result.redirects == [(302, server.url("/"))]


def test_soft_404_rule() -> None:
    assert client.is_soft_404("https://a.test/x/y", "https://a.test/")
    assert client.is_soft_404("https://a.test/?id=3", "https://www.a.test")
    assert not client.is_soft_404("https://a.test/", "https://a.test/")
    assert not client.is_soft_404("https://a.test/x", "https://b.test/")
    assert not client.is_soft_404("https://a.test/x", "https://a.test/y")
    assert not client.is_soft_404("https://a.test/x", "https://a.test/?page=1")


def test_not_found_then_found(server: TestServer) -> None:
    server.route("/late", Reply(404, "nope"), Reply(200, HTML))
    first = fetch(server.url("/late"))
    assert (first.outcome, first.reason, first.status) == (Outcome.GONE, "http_404", 404)
    assert first.body == b"" and "404" in first.error
    assert fetch(server.url("/late")).outcome is Outcome.OK


@pytest.mark.parametrize(
    ("status", "outcome", "reason"),
    [
        (410, Outcome.GONE, "http_410"),
        (401, Outcome.BLOCKED, "http_401"),
        (403, Outcome.BLOCKED, "http_403"),
        (451, Outcome.BLOCKED, "http_451"),
        (400, Outcome.ERROR, "http_400"),
        (500, Outcome.ERROR, "http_500"),
        (502, Outcome.ERROR, "http_502"),
    ],
)
def test_statuses(server: TestServer, status: int, outcome: Outcome, reason: str) -> None:
    server.route("/s", Reply(status, "x"))
    result = fetch(server.url("/s"))
    assert (result.outcome, result.reason, result.status) == (outcome, reason, status)


@pytest.mark.parametrize(("status", "outcome"), [(429, Outcome.BLOCKED), (503, Outcome.ERROR)])
def test_retry_after_is_honoured(server: TestServer, status: int, outcome: Outcome) -> None:
    server.route("/busy", Reply(status, "slow down", headers={"Retry-After": "120"}))
    server.route("/other", Reply(200, HTML))
    result = fetch(server.url("/busy"))
    assert (result.outcome, result.retry_after) == (outcome, 120.0)
    later = fetch(server.url("/other"))  # the host is left alone meanwhile
    assert (later.outcome, later.reason) == (Outcome.DEFERRED, "host_busy")
    assert later.retry_after is not None and 110 < later.retry_after <= 120
    assert server.hits("/other") == []


def test_a_host_whose_turn_is_far_off_is_deferred(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_HOST_MIN_INTERVAL = 30.0
    server.route("/a", Reply(200, HTML))
    assert fetch(server.url("/a"), options=no_robots()).outcome is Outcome.OK
    result = fetch(server.url("/a"), options=no_robots())
    assert (result.outcome, result.reason) == (Outcome.DEFERRED, "host_busy")
    assert len(server.hits("/a")) == 1


def test_successive_requests_to_a_host_keep_the_interval(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_HOST_MIN_INTERVAL = 0.3
    server.route("/a", Reply(200, HTML))
    started = time.monotonic()
    for _ in range(3):
        assert fetch(server.url("/a"), options=no_robots()).ok
    # Measured where the waiting happens, on our side: the server's own clock can note a
    # request late when the machine is busy, and make two turns look closer than they were.
    assert time.monotonic() - started >= 2 * 0.3
    assert len(server.hits("/a")) == 3


def test_a_slow_drip_hits_the_overall_deadline(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_FETCH_DEADLINE = 0.6
    server.route("/drip", Reply(200, "x" * 100, chunk=1, drip=0.05))
    started = time.monotonic()
    result = fetch(server.url("/drip"), options=no_robots())
    assert (result.outcome, result.reason) == (Outcome.ERROR, "deadline")
    assert time.monotonic() - started < 1.5


def test_a_silent_server_hits_the_read_timeout(server: TestServer, settings: Any) -> None:
    settings.FACTCHECK_FETCH_READ_TIMEOUT = 0.2
    server.route("/slow", Reply(200, HTML, delay=1.0))
    result = fetch(server.url("/slow"), options=no_robots())
    assert (result.outcome, result.reason) == (Outcome.ERROR, "timeout")


def test_a_connection_closed_without_an_answer_is_an_error(server: TestServer) -> None:
    server.route("/reset", Reply(hang_up=True))
    result = fetch(server.url("/reset"), options=no_robots())
    assert (result.outcome, result.reason) == (Outcome.ERROR, "network")


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_limit_is_refused(server: TestServer, declared: bool) -> None:
    big = "<p>" + "x" * 150_000 + "</p>"
    server.route("/big", Reply(200, big, content_length=declared, chunk=16_384))
    result = fetch(server.url("/big"))
    assert (result.outcome, result.reason) == (Outcome.ERROR, "too_large")
    assert result.truncated and result.body == b""
    assert "100,000" in result.error


def test_a_body_at_the_limit_is_kept(server: TestServer) -> None:
    server.route("/fits", Reply(200, "y" * 100_000, content_type="text/plain"))
    result = fetch(server.url("/fits"))
    assert result.ok and len(result.body) == 100_000 and not result.truncated


def test_truncation_may_be_accepted(server: TestServer) -> None:
    server.route("/big", Reply(200, "z" * 150_000, content_type="text/plain", content_length=False))
    options = FetchOptions.from_settings(accept_truncated=True, obey_robots=False)
    result = fetch(server.url("/big"), options=options)
    assert result.ok and result.truncated and len(result.body) == 100_000


@pytest.mark.parametrize("content_type", ["application/octet-stream", "image/png", None])
def test_content_types_outside_the_list_are_refused(
    server: TestServer, content_type: str | None
) -> None:
    server.route("/file", Reply(200, b"\x89PNG....", content_type=content_type))
    result = fetch(server.url("/file"))
    assert (result.outcome, result.reason, result.body) == (Outcome.ERROR, "content_type", b"")
    assert (content_type or "(none given)") in result.error


@pytest.mark.parametrize("content_type", ["application/xhtml+xml", "TEXT/PLAIN; charset=latin-1"])
def test_listed_content_types_are_read(server: TestServer, content_type: str) -> None:
    server.route("/doc", Reply(200, "caf\xe9".encode("latin-1"), content_type=content_type))
    result = fetch(server.url("/doc"))
    assert result.ok and result.content_type == content_type.split(";")[0].lower()


def test_the_declared_charset_decodes_text(server: TestServer) -> None:
    server.route(
        "/l1",
        Reply(200, "caf\xe9".encode("latin-1"), content_type="text/plain; charset=iso-8859-1"),
    )
    assert fetch(server.url("/l1")).text == "café"


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_is_gone(fast_fetch: Any, closed_port: int) -> None:
    result = fetch(f"http://127.0.0.1:{closed_port}/story")
    assert (result.outcome, result.reason) == (Outcome.GONE, "connection_refused")


def test_a_name_that_does_not_resolve_is_gone(fast_fetch: Any, fake_dns: FakeDNS) -> None:
    result = fetch("https://vanished.test/story")
    assert (result.outcome, result.reason) == (Outcome.GONE, "dns")
    assert "vanished.test" in result.error


def test_the_connection_goes_to_the_address_that_was_checked(
    server: TestServer, fake_dns: FakeDNS
) -> None:
    """A second DNS answer (here a private address) never gets a say: the connection uses
    the address checked first, and the Host header keeps the name."""
    fake_dns.set("pinned.test", ["127.0.0.1"], ["10.9.8.7"])
    server.route("/story", Reply(200, HTML))
    result = fetch(server.url("/story", host="pinned.test"), options=no_robots())
    assert result.outcome is Outcome.OK
    assert fake_dns.lookups == ["pinned.test"]
    assert server.hits("/story")[0].headers["host"] == f"pinned.test:{server.port}"


def test_every_redirect_hop_is_checked_again(server: TestServer, fake_dns: FakeDNS) -> None:
    fake_dns.set("first.test", ["127.0.0.1"])
    fake_dns.set("second.test", ["127.0.0.1"], ["10.0.0.1"])
    server.route("/a", redirect(302, server.url("/b", host="second.test")))
    server.route("/b", redirect(302, server.url("/c", host="second.test")))
    server.route("/c", Reply(200, HTML))
    result = fetch(server.url("/a", host="first.test"), options=no_robots())
    assert (result.outcome, result.reason) == (Outcome.BLOCKED, "refused_address")
    assert fake_dns.lookups == ["first.test", "second.test", "second.test"]
    assert server.hits("/c") == []


def test_a_proxy_in_the_environment_is_ignored(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.0.0.1:3128")
    server.route("/a", Reply(200, HTML))
    assert fetch(server.url("/a")).ok


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str, seconds: float | None) -> None:
    assert politeness.parse_retry_after(value) == seconds


def test_parse_retry_after_reads_future_dates() -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    seconds = politeness.parse_retry_after(when)
    assert seconds is not None and 80 < seconds <= 90


# --- TLS: the certificate is checked against the name, not the pinned address ---------


def _certificate(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(fast_fetch: Any, tmp_path: Path) -> Iterator[tuple[TestServer, ssl.SSLContext]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = _certificate(tmp_path, "secure.test")
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    running = TestServer(tls=served).start()
    try:
        yield running, ssl.create_default_context(cafile=str(cert))
    finally:
        running.stop()


def test_tls_checks_the_name_while_connecting_to_the_pinned_address(
    tls_server: tuple[TestServer, ssl.SSLContext], fake_dns: FakeDNS
) -> None:
    server, trust = tls_server
    fake_dns.set("secure.test", ["127.0.0.1"], ["10.0.0.1"])
    fake_dns.set("other.test", ["127.0.0.1"])
    server.route("/story", Reply(200, HTML))
    options = FetchOptions.from_settings(obey_robots=False, ssl_context=trust)
    result = fetch(server.url("/story", host="secure.test"), options=options)
    assert result.ok and result.text == HTML
    mismatch = fetch(server.url("/story", host="other.test"), options=options)
    assert (mismatch.outcome, mismatch.reason) == (Outcome.ERROR, "connect")
    assert "certificate" in mismatch.error.lower()
    assert fake_dns.lookups.count("secure.test") == 1
    fake_dns.set("secure.test", ["127.0.0.1"])
    untrusted = fetch(server.url("/story", host="secure.test"), options=no_robots())
    assert untrusted.outcome is Outcome.ERROR and len(server.hits("/story")) == 1
