"""What an endpoint is to the emulator: a route with its permission point and a handler.

Handlers return the success payload as a plain dict (the old host's top-level keys besides
``errcode``/``errmsg``, or the new host's whole body) and raise :class:`DingTalkError` for
anything else; the host wraps either in its envelope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from dingscan.emulator.errors import DingTalkError
from dingscan.emulator.org import Org
from dingscan.emulator.params import Params
from dingscan.emulator.tokens import TokenStore
from dingscan.emulator.wire import HostName, JsonObject, Request


@dataclass(frozen=True)
class Context:
    org: Org
    tokens: TokenStore


Handler = Callable[[Context, Request], JsonObject]


@dataclass(frozen=True)
class Route:
    """``permission`` None: no access token needed (the token endpoints).
    ``exclusive_only``: 专属钉钉 APIs, denied on every other edition."""

    host: HostName
    method: str
    path: str
    handler: Handler
    permission: str | None
    exclusive_only: bool = False


def oapi_params(request: Request, **errcodes: int) -> Params:
    """Old-host parameters; a bad one answers ``errcodes[name]``, else 400002."""

    def invalid(name: str, why: str) -> DingTalkError:
        return DingTalkError.oapi(errcodes.get(name, 400002), f"{name} {why}")

    return Params(request.params, invalid)


def api_params(request: Request) -> Params:
    """New-host parameters; a bad one answers HTTP 400 ``invalidParameter``."""

    def invalid(name: str, why: str) -> DingTalkError:
        return DingTalkError.api(400, "invalidParameter", f"{name} {why}")

    return Params(request.params, invalid)


T = TypeVar("T")


def page(items: Sequence[T], offset: int, size: int) -> tuple[list[T], bool]:
    """One offset/size page and whether more follow."""
    return list(items[offset : offset + size]), offset + size < len(items)
