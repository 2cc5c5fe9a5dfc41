"""Which addresses the fetcher may connect to, and what a host name resolves to.

The fetcher must never be turned against the service's own network (server-side request
forgery): every host is resolved here, refused if *any* of its addresses is not a public
one, and the fetcher then connects to exactly the addresses checked here, so that a second
DNS answer cannot slip a private address in between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

from factcheck.errors import BadInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FETCHABLE_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Shared address space for carrier-grade NAT (RFC 6598); not "private" to `ipaddress`.
CGNAT = ipaddress.ip_network("100.64.0.0/10")
# The well-known NAT64 prefix (RFC 6052): the last 32 bits are the IPv4 host. The local-use
# prefix 64:ff9b:1::/48 is not translated here: it is reserved, so always refused.
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
# Only digits, hex letters, `x` and dots can be an IPv4 address in one of inet_aton's
# spellings (`127.1`, `0x7f000001`, `017700000001`, `2130706433`); checking first keeps
# names such as `cafe.example` and inet_aton's leniency about trailing text out.
_IPV4ISH = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)


PRIVATE_NETWORK = (
    "which is private or reserved; sources must be on the public internet, or in a network "
    "that FACTCHECK_FETCH_ALLOWED_NETS allows (an intranet, or a test desk's own server)."
)


class RefusedURL(BadInput):
    """The URL may not be fetched: wrong scheme, no host, or a refused address."""


class RefusedAddress(RefusedURL):
    """The host is, or resolves to, an address the fetcher may not connect to."""


class Unresolvable(OSError):
    """The host name has no address at the moment (DNS failure)."""


@dataclass(frozen=True)
class CheckedURL:
    """A URL that passed the check, with the addresses the connection must use."""

    url: str
    scheme: str
    host: str  # as the connection sees it: lower-case ASCII (IDNA), no brackets
    port: int
    addresses: tuple[IPAddress, ...]


def parse_host_address(host: str) -> IPAddress | None:
    """The address `host` spells, in any spelling a resolver accepts; None for a name."""
    text = host.strip().removeprefix("[").removesuffix("]").rstrip(".")
    if not text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _IPV4ISH.match(text) and not text.startswith(".") and ".." not in text:
        try:
            # The C library reads `127.1`, `0x7f.1`, `0177.0.0.1` and `2130706433` as
            # addresses; read them the same way rather than guessing with a parser of ours.
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def translated_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 host an IPv6 address stands for: IPv4-mapped, IPv4-compatible, or NAT64.

    Packets to these go to that IPv4 host, so it is the IPv4 address that is judged.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.packed[:12] == bytes(12) or ip in NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(ip.packed[12:])
    return None


def tunnelled_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 endpoints carried in a tunnelling address (6to4, Teredo)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = [ip.sixtofour] if ip.sixtofour is not None else []
    return found + list(ip.teredo or ())


def _is_special(ip: IPAddress) -> bool:
    # `not is_global` also covers documentation, benchmarking and other special-use ranges.
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT)
        or not ip.is_global
    )


def is_refused(ip: IPAddress, allowed_nets: Iterable[Network] = ()) -> bool:
    """Whether the fetcher must not connect to `ip`; `allowed_nets` override the policy."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    target: IPAddress = translated_ipv4(ip) or ip
    nets = list(allowed_nets)
    if any(candidate in net for candidate in {ip, target} for net in nets):
        return False
    return any(_is_special(candidate) for candidate in [target, *tunnelled_ipv4(ip)])


def allowed_nets() -> list[Network]:
    return list(getattr(settings, "FACTCHECK_FETCH_ALLOWED_NETS", []))


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every TCP address of `host`, in the resolver's order; raises Unresolvable."""
    literal = parse_host_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(f"{host} cannot be resolved: {exc}") from None
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise Unresolvable(f"{host} has no address")
    return found


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL the fetcher could use; raises RefusedURL otherwise."""
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port
    except ValueError as exc:
        raise RefusedURL(f"Not a valid URL: {exc}.") from None
    scheme = parts.scheme.lower()
    if scheme not in FETCHABLE_SCHEMES:
        raise RefusedURL(f"Only http and https URLs can be fetched, not {scheme or 'none'}:.")
    if not hostname:
        raise RefusedURL("The URL has no host name.")
    try:
        host = hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise RefusedURL(f"{hostname!r} is not a valid host name.") from None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def _refuse_if_any(host: str, addresses: Sequence[IPAddress]) -> None:
    nets = allowed_nets()
    refused = [ip for ip in addresses if is_refused(ip, nets)]
    if not refused:
        return
    if parse_host_address(host) is not None:
        raise RefusedAddress(f"{host} is the address {refused[0]}, {PRIVATE_NETWORK}")
    raise RefusedAddress(f"{host} resolves to {refused[0]}, {PRIVATE_NETWORK}")


def check_url(url: str) -> CheckedURL:
    """Resolve the URL's host and pass it only if every address is public (or allowed)."""
    scheme, host, port = split_url(url)
    addresses = resolve(host, port)
    _refuse_if_any(host, addresses)
    return CheckedURL(url=url, scheme=scheme, host=host, port=port, addresses=tuple(addresses))


def validate_fetchable(url: str, *, resolve: bool = True) -> None:
    """For the API when evidence is added: refuse what can be known to be refused now.

    A literal refused address, or a name that resolves to one, raises RefusedAddress; a
    URL that is not http(s) or has no host raises RefusedURL (its base class): both are a
    400 for the client. A name that cannot be resolved at this moment passes: DNS may be
    down briefly, and the fetch will record the failure if it lasts. Without `resolve`,
    names are not looked up at all: only a literal address can be refused.
    """
    if not resolve:
        host = split_url(url)[1]
        literal = parse_host_address(host)
        _refuse_if_any(host, [literal] if literal is not None else [])
        return
    try:
        check_url(url)
    except Unresolvable:
        return


class PinnedBackend(httpcore.SyncBackend):
    """Connects a host name only to the addresses pinned for it after the check.

    httpcore hands `connect_tcp` the URL's host; instead of resolving it again (and maybe
    getting a different answer), we connect to the checked addresses. TLS still runs on
    the host name: httpcore gives it to `start_tls` for SNI and certificate checks.
    """

    def __init__(self) -> None:
        self._pins: dict[str, tuple[IPAddress, ...]] = {}

    def pin(self, host: str, addresses: Sequence[IPAddress]) -> None:
        self._pins[host.lower()] = tuple(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get(host.lower())
        if not addresses:
            # Never fall back to the resolver: an unchecked host is a refused host.
            raise httpcore.ConnectError(f"{host} was not checked before connecting")
        failure: httpcore.ConnectError | None = None
        for address in addresses:  # like socket.create_connection: first that answers
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool that uses a PinnedBackend."""

    def __init__(self, backend: PinnedBackend, ssl_context: ssl.SSLContext | None = None) -> None:
        # Deliberately not calling super().__init__(): it builds a pool with the default
        # backend, which resolves names itself. Everything else is httpx's own code.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=4,
            http1=True,
            http2=False,
            network_backend=backend,
        )
