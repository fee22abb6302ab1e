"""Pseudonymised bundles: personal data replaced by keyed, consistent pseudonyms.

A bundle handed to an auditor or attached to a ticket need not carry staff names, mobiles or
mailboxes. Every user id, name, mobile and email local part in every recorded request and answer
is replaced by an HMAC-SHA256 pseudonym under one key, so the same person gets the same pseudonym
everywhere: replay still matches requests to answers and the checks still join leavers to
members. Email *domains* are kept, because the domain checks judge them.

Without an explicit key a random one is used and thrown away: the bundle cannot be linked back
to people, nor to another bundle. With ``DINGSCAN_PSEUDONYM_KEY`` the pseudonyms are stable
across scans (for trend analysis) and reversible only by whoever holds the key and the tenant.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any

from dingscan.evidence.exchange import Exchange, RecordedRequest, RecordedResponse

#: Keys whose values are user ids (strings, or lists of them), in either API generation.
USERID_KEYS = frozenset(
    {
        "userid", "userId", "userIdList", "userid_list", "follower_user_id", "share_user_ids",
        "handoverUserId", "opUserId", "manager_userid", "dept_manager_userid_list", "org_dept_owner",
        "authed_user", "outer_permit_users", "user_permits", "unionid", "unionId", "login_id",
        "groupOwnerUserId", "staffId", "owner_userid",
    }
)  # fmt: skip
#: Keys whose values are a person's name wherever they appear.
PERSON_NAME_KEYS = frozenset({"realName", "operatorName", "opName", "nickname", "legalPerson"})
MOBILE_KEYS = frozenset({"mobile", "telephone"})
EMAIL_KEYS = frozenset({"email", "org_email", "orgEmail"})
#: Answers whose list items are bare user ids rather than objects.
USERID_LISTS = {"/topapi/inactive/user/v2/get": ("result", "list")}


class Pseudonymiser:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)
        self.mapping: dict[str, str] = {}  # original -> pseudonym, to compare findings in tests
        kinds: list[tuple[frozenset[str], Callable[[str], str]]] = [
            (USERID_KEYS, self.userid),
            (MOBILE_KEYS, self.mobile),
            (EMAIL_KEYS, self.email),
            (PERSON_NAME_KEYS, self.name),
        ]
        self._rules = {key: rule for keys, rule in kinds for key in keys}  # field name -> pseudonym rule

    def exchange(self, exchange: Exchange) -> Exchange:
        request = self._request(exchange.request)
        response = exchange.response
        if response is not None and response.text:
            response = self._response(request.path, response)
        return exchange.model_copy(update={"request": request, "response": response})

    def userid(self, value: str) -> str:
        return self._pseudonym(value, "u-", 10)

    def name(self, value: str) -> str:
        return self._pseudonym(value, "Person ", 6)

    def mobile(self, value: str) -> str:
        digest = hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()
        return self._remember(value, "1" + str(int(digest[:12], 16))[-10:].zfill(10))

    def email(self, value: str) -> str:
        local, at, domain = value.rpartition("@")
        if not at:
            return self._pseudonym(value, "user.", 8)
        return self._remember(value, f"{self._pseudonym(local, 'user.', 8)}@{domain}")

    def _pseudonym(self, value: str, prefix: str, length: int) -> str:
        digest = hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:length]
        return self._remember(value, f"{prefix}{digest}")

    def _remember(self, original: str, pseudonym: str) -> str:
        if original:
            self.mapping[original] = pseudonym
        return pseudonym if original else original

    def _request(self, request: RecordedRequest) -> RecordedRequest:
        query = {k: self._query_value(k, v) for k, v in request.query.items()}
        return request.model_copy(update={"query": query, "body": self._walk(request.body)})

    def _query_value(self, key: str, value: str) -> str:
        if key not in USERID_KEYS:
            return value
        if value.startswith("["):  # the client sends id lists as JSON arrays
            return json.dumps([self.userid(str(v)) for v in json.loads(value)], ensure_ascii=False)
        return self.userid(value)

    def _response(self, path: str, response: RecordedResponse) -> RecordedResponse:
        try:
            answer = json.loads(response.text or "")
        except ValueError:
            return response  # not JSON: nothing structured to pseudonymise (error pages)
        answer = self._walk(answer)
        if path in USERID_LISTS:
            _map_list_at(answer, USERID_LISTS[path], self.userid)
        return response.model_copy(update={"text": json.dumps(answer, ensure_ascii=False)})

    def _walk(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self._walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        is_person = any(k in node for k in ("userid", "userId", "staffId"))
        return {key: self._field(key, value, is_person) for key, value in node.items()}

    def _field(self, key: str, value: Any, is_person: bool) -> Any:
        rule = self._rules.get(key)
        if rule is not None:
            return _apply(value, rule)
        if key == "name" and is_person:
            return _apply(value, self.name)
        return self._walk(value)


def _apply(value: Any, rule: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return rule(value)
    if isinstance(value, list):
        return [rule(v) if isinstance(v, str) else v for v in value]
    return value


def _map_list_at(answer: Any, keys: tuple[str, ...], rule: Callable[[str], str]) -> None:
    node = answer
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict) and isinstance(node.get(keys[-1]), list):
        node[keys[-1]] = _apply(node[keys[-1]], rule)
