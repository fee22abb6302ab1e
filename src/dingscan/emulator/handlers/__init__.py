"""The emulated endpoints, one module per area of the API (the same areas dingscan collects)."""

from __future__ import annotations

from dingscan.emulator.handlers import admins, auth, directory, exclusive, external, lifecycle
from dingscan.emulator.routing import Route
from dingscan.emulator.wire import HostName

_MODULES = (auth, directory, admins, external, lifecycle, exclusive)
ROUTES: dict[tuple[HostName, str, str], Route] = {
    (route.host, route.method, route.path): route for module in _MODULES for route in module.ROUTES
}


def find_route(host: HostName, method: str, path: str) -> Route | None:
    return ROUTES.get((host, method, path))
