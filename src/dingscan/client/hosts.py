"""Where the two DingTalk hosts live for this run.

Private 专属钉钉 deployments, egress proxies and the loopback emulator put the hosts elsewhere,
possibly under a path prefix, so every layer that needs to tell which host a URL belongs to
(the read-only guard, the recorder, replay) asks this one object.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from dingscan.client.endpoints import Host

DEFAULT_OAPI_URL = "https://oapi.dingtalk.com"
DEFAULT_API_URL = "https://api.dingtalk.com"


@dataclass(frozen=True)
class HostMap:
    oapi_url: str = DEFAULT_OAPI_URL
    api_url: str = DEFAULT_API_URL

    def base(self, host: Host) -> str:
        return (self.oapi_url if host is Host.OAPI else self.api_url).rstrip("/")

    def url(self, host: Host, path: str) -> str:
        return self.base(host) + path

    def candidates(self, url: httpx.URL) -> list[tuple[Host, str]]:
        """Each host whose base the URL is under, with the API path below that base.

        Usually one; both when a single proxy fronts the two hosts on one origin, in which case
        the endpoint catalogue decides (see :func:`dingscan.client.transport.route`).
        """
        found = []
        for host in Host:
            base = httpx.URL(self.base(host))
            prefix = base.path.rstrip("/")
            same_origin = (base.scheme, base.host, base.port) == (url.scheme, url.host, url.port)
            if same_origin and url.path.startswith(prefix + "/"):
                found.append((host, url.path[len(prefix) :]))
        return found
