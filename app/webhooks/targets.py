"""Which webhook URLs are accepted, and which addresses a delivery may never reach.

The URL check runs when a webhook is created; the address policy runs when the
sender connects, on the address it actually connects to (see app.webhooks.sender).
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000

_HOST_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_RFC1918 = (ip_network("10.0.0.0/8"), ip_network("172.16.0.0/12"), ip_network("192.168.0.0/16"))
_UNIQUE_LOCAL = ip_network("fc00::/7")
_SHARED = ip_network("100.64.0.0/10")
_THIS_NETWORK = ip_network("0.0.0.0/8")
_NAT64 = ip_network("64:ff9b::/96")
_METADATA = IPv4Address("169.254.169.254")


def check_target_url(url: str) -> str:
    """The URL unchanged if a webhook may target it; otherwise ValueError saying why.

    Only the form is checked here: where the host resolves is checked at each
    delivery, since DNS can change in between.
    """
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"URL is longer than {MAX_URL_LENGTH} characters")
    if not url.isascii():
        raise ValueError(
            "URL must be ASCII: percent-encode the path and use the xn-- form of the host name"
        )
    # urlsplit silently drops tabs and newlines; a URL holding them is refused instead.
    if any(c.isspace() or not c.isprintable() for c in url):
        raise ValueError("URL must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        if "Port" in str(exc):
            raise ValueError("URL port must be a number from 1 to 65535") from None
        raise ValueError(f"URL is malformed ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("URL must be absolute and start with http:// or https://")
    if "@" in parts.netloc:
        raise ValueError("URL must not contain a user name or password")
    host = parts.hostname or ""
    if parts.netloc.startswith("["):
        try:
            IPv6Address(host.split("%")[0])
        except ValueError:
            raise ValueError(f"URL host [{host}] is not an IPv6 address") from None
    elif not _HOST_NAME.fullmatch(host):
        raise ValueError("URL must name a host")
    if port == 0:
        raise ValueError("URL port must be a number from 1 to 65535")
    if "#" in url:
        raise ValueError("URL must not have a fragment")
    return url


def is_forbidden_address(ip: str | IPv4Address | IPv6Address) -> str | None:
    """Why a delivery may not connect to this address ("private", "loopback", ...),
    or None if it may. The reason reads after "address X is"."""
    address = ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(address, IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that IPv4 address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            reason = is_forbidden_address(embedded)
            return None if reason is None else f"{reason} (IPv4 {embedded} inside IPv6)"
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address == _METADATA:
        return "link-local (the cloud metadata service)"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address in _THIS_NETWORK:
        return "in 0.0.0.0/8 (this network)"
    if address in _UNIQUE_LOCAL or any(address in net for net in _RFC1918):
        return "private"
    if address in _SHARED:
        return "carrier-grade NAT space (100.64.0.0/10)"
    if address.is_reserved:
        return "reserved"
    if isinstance(address, IPv6Address) and address.is_site_local:
        return "site-local"
    # Whatever else IANA marks as not globally reachable (documentation, benchmarking,
    # protocol assignments): no webhook receiver lives there.
    if not address.is_global:
        return "not globally reachable"
    return None
