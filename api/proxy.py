"""Behind a reverse proxy: X-Forwarded-For, -Proto, -Host and -Prefix, believed only from trusted addresses.

SLRS_TRUSTED_PROXIES lists the proxies' addresses or networks (comma
separated, `10.0.0.5,192.168.0.0/16`; empty by default: no one is believed).
A request from one of them is read as the proxy says the client sent it, so
`more` links and every URL the app builds carry the public scheme, host and
path prefix (`X-Forwarded-Prefix: /lrs` gives `/lrs/xapi/statements?more=…`).
From any other address those headers are ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

from kernel.persistence import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(environ: Mapping[str, str]) -> list[Network]:
    """The networks of SLRS_TRUSTED_PROXIES; raises ConfigurationError naming an entry that is no address."""
    networks = []
    for entry in filter(None, (e.strip() for e in environ.get("SLRS_TRUSTED_PROXIES", "").split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ConfigurationError(f"SLRS_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from None
    return networks


class TrustedProxies:
    """WSGI middleware: the proxy headers of one hop (the nearest proxy's), if that proxy is trusted."""

    def __init__(self, app: Any, trusted: Iterable[Network]) -> None:
        self.app = app
        self.trusted = list(trusted)
        self.behind_proxy = ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        handler = self.behind_proxy if self._is_trusted(environ.get("REMOTE_ADDR")) else self.app
        return handler(environ, start_response)

    def _is_trusted(self, address: str | None) -> bool:
        if not self.trusted or not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)
