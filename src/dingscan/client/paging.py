"""DingTalk's pagination schemes, each walked to the end exactly once.

Three schemes matter for a posture scan: the old host's ``cursor``/``next_cursor`` (user lists),
its ``offset``/``size`` with a ``hasMore`` or ``has_more`` flag (roles, inactive users) or with no
flag at all (external contacts: stop on a short page), and the new host's ``nextToken``.
Every walker refuses to loop: a cursor that does not advance, or more pages than a tenant can
have, is a malformed answer, not an endless scan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from dingscan.client.endpoints import Endpoint
from dingscan.client.errors import MalformedResponse

MAX_PAGES = 10_000  # 1,000,000 records at 100 a page: far beyond any tenant


class Caller(Protocol):
    async def call(
        self,
        endpoint: Endpoint,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]: ...


def truthy(value: Any) -> bool:
    """DingTalk's doc samples render booleans as strings; accept both."""
    return value is True or (isinstance(value, str) and value.lower() == "true") or value == 1


def items_at(answer: Mapping[str, Any], *keys: str, endpoint: Endpoint, single: bool = False) -> list[Any]:
    """The list found by following ``keys`` into ``answer``; a wrong shape is a malformed answer.

    ``single``: the list holds records, and one record sent in its place (as DingTalk's own doc
    examples do) is a list of one. Never for lists of ids, where an object can only be junk.
    """
    node: Any = answer
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            raise MalformedResponse("shape", f"missing {'.'.join(keys)}", endpoint=endpoint)
        node = node[key]
    if node is None:
        return []
    if single and isinstance(node, Mapping):
        return [node]
    if not isinstance(node, list):
        raise MalformedResponse("shape", f"{'.'.join(keys)} is not a list", endpoint=endpoint)
    return node


def result_of(answer: Mapping[str, Any], endpoint: Endpoint) -> Mapping[str, Any]:
    result = answer.get("result")
    if not isinstance(result, Mapping):
        raise MalformedResponse("shape", "missing result object", endpoint=endpoint)
    return result


async def cursor_pages(
    client: Caller, endpoint: Endpoint, body: Mapping[str, Any], *, size: int = 100, single: bool = False
) -> AsyncIterator[list[Any]]:
    """``cursor`` from 0, ``result.list`` + ``result.has_more`` + ``result.next_cursor``
    (``single`` as in :func:`items_at`)."""
    cursor: Any = 0
    seen = {str(cursor)}
    for _ in range(MAX_PAGES):
        answer = await client.call(endpoint, body={**body, "cursor": cursor, "size": size})
        result = result_of(answer, endpoint)
        yield items_at(result, "list", endpoint=endpoint, single=single)
        if not truthy(result.get("has_more")):
            return
        cursor = result.get("next_cursor")
        if cursor is None or str(cursor) in seen:
            raise MalformedResponse("paging", "next_cursor does not advance", endpoint=endpoint)
        seen.add(str(cursor))
    raise MalformedResponse("paging", "too many pages", endpoint=endpoint)


async def offset_pages(
    client: Caller,
    endpoint: Endpoint,
    body: Mapping[str, Any],
    *,
    size: int,
    items: tuple[str, ...] = ("result", "list"),
    flag_in: tuple[str, ...] = ("result",),
    stop: int | None = None,
) -> AsyncIterator[list[Any]]:
    """``offset``/``size``; ends on a false ``hasMore``/``has_more`` flag found under ``flag_in``
    (DingTalk spells it both ways), or on a short page where the answer has no flag at all;
    with ``stop``, also before the page at that offset (the caller already holds the rest)."""
    for page in range(MAX_PAGES):
        if stop is not None and page * size >= stop:
            return
        answer = await client.call(endpoint, body={**body, "offset": page * size, "size": size})
        batch = items_at(answer, *items, endpoint=endpoint)
        yield batch
        if not has_more(answer, batch, size=size, flag_in=flag_in):
            return
    raise MalformedResponse("paging", "too many pages", endpoint=endpoint)


def has_more(answer: Mapping[str, Any], batch: list[Any], *, size: int, flag_in: tuple[str, ...]) -> bool:
    """Whether an offset-paged list goes on after ``batch``, the page ``answer`` holds."""
    parent: Any = answer
    for key in flag_in:
        parent = parent.get(key) if isinstance(parent, Mapping) else None
    flags = [parent[k] for k in ("hasMore", "has_more") if isinstance(parent, Mapping) and k in parent]
    return truthy(flags[0]) if flags else len(batch) >= size


async def next_token_pages(
    client: Caller,
    endpoint: Endpoint,
    params: Mapping[str, Any],
    *,
    items: str,
    max_results: int,
) -> AsyncIterator[list[Any]]:
    """New-host ``nextToken`` (first ``0``) and ``maxResults``; ends when no token comes back
    or ``hasMore`` is false.

    ``0`` is the first page's token (the documentation says to send it first; the SDK types the
    token as a number), so a 0 in an answer can only point back to the start: it never names a
    next page. The documented dismissions example still pairs it with ``"hasMore": true``. After
    a short page that is the end of the list; after a full page the list may go on but cannot be
    reached without re-reading page one, so that answer is malformed (never an endless walk).
    """
    token: Any = 0
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        answer = await client.call(endpoint, params={**params, "nextToken": token, "maxResults": max_results})
        page = items_at(answer, items, endpoint=endpoint)
        yield page
        token = answer.get("nextToken")
        if "hasMore" in answer and not truthy(answer["hasMore"]):
            return
        if token in (None, "", 0, "0"):
            if truthy(answer.get("hasMore")) and len(page) >= max_results:
                raise MalformedResponse(
                    "paging",
                    f"hasMore after a full page of {max_results} but no nextToken",
                    endpoint=endpoint,
                )
            return
        if str(token) in seen:
            raise MalformedResponse("paging", "nextToken does not advance", endpoint=endpoint)
        seen.add(str(token))
    raise MalformedResponse("paging", "too many pages", endpoint=endpoint)
