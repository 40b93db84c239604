"""Outbound URL safety: sources and webhooks may not point at private addresses (SSRF)."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    pass


def _is_public(ip: ipaddress._BaseAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool, schemes=("http", "https"), resolve: bool = True) -> str:
    """Raise UnsafeURL unless `url` is well-formed and (unless allowed) resolves only to public addresses."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise UnsafeURL(f"malformed URL: {exc}") from None
    if parts.scheme not in schemes:
        raise UnsafeURL(f"scheme {parts.scheme!r} not allowed (use {', '.join(schemes)})")
    if parts.scheme == "file":
        return url
    if not parts.hostname:
        raise UnsafeURL("URL has no host")
    if allow_private or not resolve:
        return url
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"cannot resolve {parts.hostname}: {exc}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _is_public(ip):
            raise UnsafeURL(f"{parts.hostname} resolves to a non-public address ({ip}); "
                            "set TOLLWATCH_ALLOW_PRIVATE_URLS=1 to allow it")
    return url
