"""The address policy: which hosts the fetcher may reach, however they are spelled."""

from __future__ import annotations

import ipaddress
from typing import Any

import httpcore
import pytest

from sources.fetch import guard
from sources.fetch.guard import RefusedAddress, RefusedURL, Unresolvable
from tests.sources.conftest import FakeDNS

ip = ipaddress.ip_address
net = ipaddress.ip_network


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("0", "0.0.0.0"),
    ],
)
def test_odd_spellings_are_read_as_the_resolver_reads_them(spelling: str, address: str) -> None:
    assert guard.parse_host_address(spelling) == ip(address)


@pytest.mark.parametrize(
    "name", ["example.com", "cafe.example", "deadbeef.example", "1.2.3.4.5", "0x", "a..b", ""]
)
def test_names_are_not_addresses(name: str) -> None:
    assert guard.parse_host_address(name) is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.255.254",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "100.127.255.254",
        "224.0.0.1",  # multicast
        "239.255.255.250",
        "0.0.0.0",
        "0.1.2.3",
        "240.0.0.1",  # reserved
        "255.255.255.255",
        "192.0.2.10",  # documentation
        "198.18.0.1",  # benchmarking
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:7f00:1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",  # IPv4-compatible
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "2002:a00:1::1",  # 6to4 around 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 around 169.254.169.254
        "64:ff9b::7f00:1",
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    ],
)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    assert guard.is_refused(ip(address))


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "100.63.255.255",  # just below carrier-grade NAT
        "100.128.0.1",  # just above it
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",  # NAT64 around a public address
        "2002:808:808::1",  # 6to4 around a public address
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert not guard.is_refused(ip(address))


def test_scoped_link_local_is_refused() -> None:
    assert guard.is_refused(ipaddress.IPv6Address("fe80::1%eth0"))


@pytest.mark.parametrize(
    ("address", "allowed", "refused"),
    [
        ("127.0.0.1", "127.0.0.1/32", False),
        ("::ffff:127.0.0.1", "127.0.0.1/32", False),  # the same host, spelled in IPv6
        ("127.0.0.2", "127.0.0.1/32", True),
        ("10.1.2.3", "10.0.0.0/8", False),
        ("10.1.2.3", "192.168.0.0/16", True),
        ("::1", "::1/128", False),
        ("::1", "127.0.0.0/8", True),
    ],
)
def test_allowed_networks_let_listed_addresses_through(
    address: str, allowed: str, refused: bool
) -> None:
    assert guard.is_refused(ip(address), [net(allowed)]) is refused


def test_resolve_keeps_every_address_once_in_order(fake_dns: FakeDNS) -> None:
    fake_dns.set("news.test", ["93.184.216.34", "2606:2800:220:1::1", "93.184.216.34"])
    assert guard.resolve("news.test", 80) == [ip("93.184.216.34"), ip("2606:2800:220:1::1")]


def test_resolve_does_not_ask_dns_for_literals(fake_dns: FakeDNS) -> None:
    assert guard.resolve("0x7f000001", 80) == [ip("127.0.0.1")]
    assert fake_dns.lookups == []


def test_a_name_that_does_not_resolve_is_unresolvable(fake_dns: FakeDNS) -> None:
    with pytest.raises(Unresolvable, match=r"nowhere\.test"):
        guard.resolve("nowhere.test", 80)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1/",
        "http://0x7f000001/",
        "http://017700000001/",
        "http://2130706433/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://0.0.0.0/",
        "http://100.64.1.1/",
        "http://224.0.0.251/",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1:8443/admin",
    ],
)
def test_urls_with_refused_literal_addresses_are_refused(url: str, fake_dns: FakeDNS) -> None:
    with pytest.raises(RefusedAddress, match="private or reserved"):
        guard.check_url(url)
    assert fake_dns.lookups == []


def test_a_name_is_refused_if_any_of_its_addresses_is(fake_dns: FakeDNS) -> None:
    fake_dns.set("mixed.test", ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(RefusedAddress) as caught:
        guard.check_url("https://mixed.test/story")
    assert "mixed.test resolves to 10.0.0.7" in str(caught.value)


def test_a_public_name_passes_with_its_addresses(fake_dns: FakeDNS) -> None:
    fake_dns.set("news.test", ["93.184.216.34"])
    checked = guard.check_url("https://News.Test./a?b=1")
    assert (checked.scheme, checked.host, checked.port) == ("https", "news.test", 443)
    assert checked.addresses == (ip("93.184.216.34"),)


def test_allowed_nets_setting_lets_loopback_through(settings: Any) -> None:
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [net("127.0.0.0/8")]
    assert guard.check_url("http://127.1:8080/").addresses == (ip("127.0.0.1"),)


def test_loopback_is_refused_without_an_allowance(settings: Any) -> None:
    settings.FACTCHECK_FETCH_ALLOWED_NETS = []
    with pytest.raises(RefusedAddress):
        guard.check_url("http://127.0.0.1:8080/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.test/file", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("http:///path-only", "no host name"),
        ("http://[::1/", "Not a valid URL"),
    ],
)
def test_other_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(RefusedURL, match=message):
        guard.check_url(url)


def test_validate_fetchable_refuses_literals_and_names_of_refused_addresses(
    fake_dns: FakeDNS,
) -> None:
    fake_dns.set("intranet.test", ["192.168.0.10"])
    with pytest.raises(RefusedAddress, match=r"0x7f000001 is the address 127\.0\.0\.1"):
        guard.validate_fetchable("http://0x7f000001/")
    with pytest.raises(RefusedAddress, match=r"intranet\.test resolves to 192\.168\.0\.10"):
        guard.validate_fetchable("http://intranet.test/wiki")


def test_validate_fetchable_accepts_names_that_cannot_be_resolved_now(fake_dns: FakeDNS) -> None:
    fake_dns.set("flaky.test", [])  # a temporary DNS failure
    guard.validate_fetchable("http://flaky.test/story")
    guard.validate_fetchable("http://unknown.test/story")


def test_validate_fetchable_accepts_public_names(fake_dns: FakeDNS) -> None:
    fake_dns.set("news.test", ["93.184.216.34"])
    guard.validate_fetchable("https://news.test/story")


def test_the_pinned_backend_never_connects_an_unchecked_host(fake_dns: FakeDNS) -> None:
    fake_dns.set("unchecked.test", ["127.0.0.1"])
    with pytest.raises(httpcore.ConnectError, match="not checked"):
        guard.PinnedBackend().connect_tcp("unchecked.test", 80, timeout=1)
    assert fake_dns.lookups == []
