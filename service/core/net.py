"""Outbound HTTP safety (SSRF): sources, article pages and webhooks may not reach private addresses.

Two layers, both driven by `TOLLWATCH_ALLOW_PRIVATE_URLS` (plus `TOLLWATCH_PRIVATE_URL_ALLOWLIST`,
CIDRs that are allowed even when private addresses are not):

* `check_url(url, allow_private=…)` — validation when a URL is *accepted* (API, CLI): scheme, host,
  and every address the host resolves to. Decimal / octal / hex / short IPv4 spellings
  (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`) and IPv6 forms (`[::1]`, `[::ffff:127.0.0.1]`)
  are normalised before the check.
* `safe_client(...)` — an `httpx.Client` whose transport resolves each host itself, refuses the
  connection unless *the address it is about to connect to* is public, and connects to that very
  IP (TLS still verifies the hostname; the Host header is unchanged). So the guard holds for every
  redirect hop and against DNS rebinding (resolve-public-then-connect-private), which a check of
  the URL alone cannot do. Proxies from the environment are ignored (`trust_env=False`).

* `deadline(seconds)` — one wall-clock bound on everything a `safe_client` request does in a block.
* `retry_after_seconds(value)` — a `Retry-After` header (seconds or an HTTP date) as seconds.

The poller (`service.ingest.fetch`) and the webhook sender (`service.alerting.webhooks`) both use them::

    from service.core.net import safe_client, UnsafeURL
    with safe_client(timeout=10.0) as client:          # allow_private defaults to the setting
        resp = client.post(url, content=body, headers=headers)
    # a refused address raises httpx.ConnectError whose __cause__ / message carries UnsafeURL;
    # use `is_unsafe_error(exc)` to tell it apart from an ordinary connection failure.
    with safe_client() as client, deadline(15.0):      # optional: one deadline for the whole exchange
        ...
"""

from __future__ import annotations

import contextvars
import datetime as dt
import email.utils
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpcore
import httpx

from service.core.settings import get_settings


class UnsafeURL(ValueError):
    pass


_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def _allowlist() -> list[ipaddress._BaseNetwork]:
    raw = get_settings().private_url_allowlist or ""
    return [ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip()]


def parse_ip(host: str) -> ipaddress._BaseAddress | None:
    """The IP a host literal denotes, in any spelling the C resolver accepts; None for a name."""
    host = host.strip("[]").split("%")[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton accepts 2130706433, 0177.0.0.1, 0x7f.1, 127.1 …
        if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
            return ipaddress.ip_address(socket.inet_aton(host))
    except OSError:
        pass
    return None


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-compatible (::a.b.c.d, deprecated),
# IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d, SIIT) and NAT64 well-known (64:ff9b::/96).
# Wherever they are routed or translated, a connection to them reaches the embedded IPv4 address.
_EMBEDS_IPV4_LOW32 = tuple(
    ipaddress.ip_network(n) for n in ("::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96")
)
# Refused outright: NAT64 local-use (64:ff9b:1::/48, where the IPv4 address sits depends on the operator's
# prefix length) and the deprecated site-local fec0::/10 (private by intent; Python calls it global).
_NEVER_PUBLIC_V6 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b:1::/48", "fec0::/10"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address embeds or translates to (6to4, Teredo server and client, the
    prefixes of _EMBEDS_IPV4_LOW32); empty when it embeds none."""
    if any(ip in net for net in _EMBEDS_IPV4_LOW32):
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    return []


def is_public(ip: ipaddress._BaseAddress) -> bool:
    """True when `ip` is a public unicast address, and so is every IPv4 address it embeds."""
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _NEVER_PUBLIC_V6):
            return False
        embedded = _embedded_ipv4(ip)
        if embedded and not all(is_public(v4) for v4 in embedded):
            return False
        if embedded and any(ip in net for net in _EMBEDS_IPV4_LOW32):
            return True  # the IPv4 address it reaches is public (Python calls ::ffff:8.8.8.8 not global)
        # 6to4 and Teredo of public addresses: as the prefix itself is (Teredo's 2001::/23 is not global)
    return ip.is_global and not ip.is_multicast and ip not in _METADATA


def check_ip(ip: ipaddress._BaseAddress | str, *, allow_private: bool, host: str = "") -> None:
    """Raise UnsafeURL unless connecting to `ip` is allowed."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%")[0])
    if allow_private or is_public(ip):
        return
    if any(ip in net for net in _allowlist() if net.version == ip.version):
        return
    raise UnsafeURL(
        f"{host or ip} resolves to a non-public address ({ip}); set TOLLWATCH_ALLOW_PRIVATE_URLS=1 to allow it"
    )


def resolve_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (or the literal it is), without repeats."""
    literal = parse_ip(host)
    if literal is not None:
        return [str(literal)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"cannot resolve {host}: {exc}") from None
    seen: list[str] = []
    for info in infos:
        addr = info[4][0].split("%")[0]
        if addr not in seen:
            seen.append(addr)
    return seen


def check_url(url: str, *, allow_private: bool, schemes=("http", "https"), resolve: bool = True) -> str:
    """Raise UnsafeURL unless `url` is well-formed and (unless allowed) resolves only to public addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"malformed URL: {exc}") from None
    if parts.scheme not in schemes:
        raise UnsafeURL(f"scheme {parts.scheme!r} not allowed (use {', '.join(schemes)})")
    if parts.scheme == "file":
        return url
    if not parts.hostname:
        raise UnsafeURL("URL has no host")
    if allow_private:
        return url
    literal = parse_ip(parts.hostname)
    if literal is not None:
        check_ip(literal, allow_private=False, host=parts.hostname)
        return url
    if not resolve:
        return url
    for addr in resolve_addresses(parts.hostname, port or (443 if parts.scheme == "https" else 80)):
        check_ip(addr, allow_private=False, host=parts.hostname)
    return url


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("tollwatch_net_deadline", default=None)


@contextmanager
def deadline(seconds: float):
    """Bound everything a `safe_client` request does in this block — connect, TLS, every read of the
    status line, headers and body — by one wall-clock deadline (a server trickling its headers a byte
    at a time cannot outlast it). DNS resolution is bounded by the system resolver's own timeout."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _remaining(timeout: float | None) -> float | None:
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("total deadline exceeded")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend: resolve, check each address, connect to the checked IP."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first allowed address of `host`; refuse if an address is not allowed."""
        try:
            addresses = resolve_addresses(host, port)
        except UnsafeURL as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        last: Exception | None = None
        for addr in addresses:
            try:
                check_ip(addr, allow_private=self.allow_private, host=host)
            except UnsafeURL as exc:
                raise httpcore.ConnectError(f"refused: {exc}") from exc
            try:
                return _DeadlineStream(
                    super().connect_tcp(addr, port, _remaining(timeout), local_address, socket_options)
                )
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, *args, **kwargs):
        """Always refused: outbound requests go to TCP hosts only."""
        raise httpcore.ConnectError("refused: unix sockets")


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, max_connections: int = 20):
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(allow_private),
        )


def safe_client(
    *,
    allow_private: bool | None = None,
    timeout: float | httpx.Timeout = 10.0,
    follow_redirects: bool = False,
    max_redirects: int = 5,
    headers: dict | None = None,
    max_connections: int = 20,
) -> httpx.Client:
    """An httpx.Client whose every connection (every redirect hop) goes through the SSRF guard."""
    if allow_private is None:
        allow_private = get_settings().allow_private_urls
    return httpx.Client(
        transport=GuardedTransport(allow_private, max_connections),
        timeout=timeout,
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
        headers=headers,
        trust_env=False,
    )


_shared_clients: dict[tuple, httpx.Client] = {}
_shared_clients_lock = threading.Lock()


def shared_client(**options) -> httpx.Client:
    """One guarded client per (settings that shape the guard, `options`), kept for the process: its pool
    outlives one request. Settings changes (tests, reloads) get a fresh client; `options` are
    `safe_client`'s keyword arguments, told apart by their repr (headers and Timeout print their values)."""
    settings = get_settings()
    key = (settings.allow_private_urls, settings.private_url_allowlist, repr(sorted(options.items())))
    with _shared_clients_lock:
        client = _shared_clients.get(key)
        if client is None:
            client = _shared_clients[key] = safe_client(allow_private=settings.allow_private_urls, **options)
        return client


def close_shared_clients() -> None:
    """Close every shared client (shutdown, tests)."""
    with _shared_clients_lock:
        for client in _shared_clients.values():
            client.close()
        _shared_clients.clear()


def is_unsafe_error(exc: BaseException) -> bool:
    """True when an httpx error is the guard refusing an address (not a network failure)."""
    return isinstance(exc, httpx.ConnectError) and "non-public address" in str(exc)


_DELTA_SECONDS = re.compile(r"\d{1,10}(\.\d{1,6})?")


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """A `Retry-After` header as seconds from `now`: delta-seconds or an HTTP date (a past date is 0);
    None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
