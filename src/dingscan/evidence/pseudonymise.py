"""Pseudonymised bundles: personal data replaced by keyed, consistent pseudonyms.

A bundle handed to an auditor or attached to a ticket need not carry staff names, mobiles or
mailboxes. Every identifier and piece of personal data, in every recorded request and answer,
in the days' activity lists a scan took from its state (``cached_days.json``), *and* in the
policy, attestation and exceptions files the bundle carries, is replaced by an HMAC-SHA256
pseudonym under one key, so the same person gets the same pseudonym everywhere: replay still
matches requests to answers, the checks still join leavers to members and temporary grants to
role holders, and the bundle's findings (judged on the pseudonymised data) name nobody. Email
*domains* are kept, because the domain checks judge them; so are dates a check judges (hire date,
leave time, last login) and organisation data (corp ids, department and role names).

Without an explicit key a random one is used and thrown away: the bundle cannot be linked back
to people, nor to another bundle. With ``DINGSCAN_PSEUDONYM_KEY`` the pseudonyms are stable
across scans (for trend analysis) and reversible only by whoever holds the key and the tenant.

The README's security section lists the fields; this module is the list.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any

import yaml

from dingscan.activity import DayList
from dingscan.evidence.exchange import Exchange, RecordedRequest, RecordedResponse
from dingscan.inputs import InputFile, JudgementInputs
from dingscan.yamlfile import parse_yaml_mapping

#: Keys whose values are user ids (strings, or lists of them), in either API generation.
USERID_KEYS = frozenset(
    {
        "userid", "userId", "userIdList", "userid_list", "follower_user_id", "share_user_ids",
        "handoverUserId", "opUserId", "manager_userid", "dept_manager_userid_list", "org_dept_owner",
        "authed_user", "outer_permit_users", "user_permits", "unionid", "unionId", "login_id",
        "groupOwnerUserId", "staffId", "owner_userid",
        # the policy file's lists of userids
        "break_glass_accounts", "org_wide_sub_admins_allowed",
    }
)  # fmt: skip
#: Keys whose values are a person's name wherever they appear (attestation signatories included).
PERSON_NAME_KEYS = frozenset(
    {"realName", "operatorName", "opName", "nickname", "legalPerson", "attested_by", "approved_by"}
)
MOBILE_KEYS = frozenset({"mobile", "telephone"})
EMAIL_KEYS = frozenset({"email", "org_email", "orgEmail"})
#: The organisation's business registration (numbers, the licence scan's URL): a sole trader's
#: leads to a person. The organisation's names are kept: bundles name their tenant by design.
REGISTRATION_KEYS = frozenset({"registrationNum", "unifiedSocialCredit", "organizationCode", "licenseUrl"})
#: Keys that are personal data only inside a person's record (an object with a userid): a
#: department or app has a ``name`` too, a group a ``title``.
PERSON_NAME_FIELD = "name"
JOB_NUMBER_KEYS = frozenset({"job_number", "jobnumber", "jobNumber"})
PERSON_TEXT_KEYS = frozenset(
    {"title", "position", "avatar", "remark", "address", "work_place", "workPlace", "extension"}
)
#: Keys that mark an object as a person's record.
PERSON_MARKERS = ("userid", "userId", "staffId")
#: What a pseudonymised bundle holds instead of an answer nested too deeply for any JSON reader
#: (the client could not read it either, and reads this the same way: not JSON).
TOO_DEEP = "(answer nested too deeply to read; withheld by pseudonymisation)"
#: Answers whose list items are bare user ids rather than objects.
USERID_LISTS = {"/topapi/inactive/user/v2/get": ("result", "list")}


class Pseudonymiser:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)
        #: original -> pseudonym of what findings can show (ids, names, contacts), to compare
        #: findings in tests; job numbers, titles and other details are never shown.
        self.mapping: dict[str, str] = {}
        kinds: list[tuple[frozenset[str], Callable[[str], str]]] = [
            (USERID_KEYS, self.userid),
            (MOBILE_KEYS, self.mobile),
            (EMAIL_KEYS, self.email),
            (PERSON_NAME_KEYS, self.name),
            (REGISTRATION_KEYS, self.detail),
        ]
        self._rules = {key: rule for keys, rule in kinds for key in keys}  # field name -> pseudonym rule
        person: list[tuple[frozenset[str], Callable[[str], str]]] = [
            (frozenset({PERSON_NAME_FIELD}), self.name),
            (JOB_NUMBER_KEYS, self.job_number),
            (PERSON_TEXT_KEYS, self.detail),
        ]
        self._person_rules = {key: rule for keys, rule in person for key in keys}

    def exchange(self, exchange: Exchange) -> Exchange:
        request = self._request(exchange.request)
        response = exchange.response
        if response is not None and response.text:
            response = self._response(request.path, response)
        return exchange.model_copy(update={"request": request, "response": response})

    def day_list(self, day: DayList) -> DayList:
        """A day's activity list taken from the state, under the same pseudonyms as the answers."""
        return day.model_copy(update={"userids": tuple(sorted(self.userid(u) for u in day.userids))})

    def inputs(self, inputs: JudgementInputs, things: frozenset[str] = frozenset()) -> JudgementInputs:
        """The input files with the same pseudonyms as the exchanges, so that break-glass accounts,
        approved sub-admins, temporary grants and accepted risks still name the same people.

        ``things`` are resource ids that name no person (apps, partner orgs): an exception's
        other resource ids are people's userids and get their pseudonyms."""
        attestations, exceptions = inputs.attestations_file, inputs.exceptions_file
        return JudgementInputs.from_texts(
            self.input_file(inputs.policy_file),
            self.input_file(attestations) if attestations else None,
            self.exceptions_file(exceptions, things) if exceptions else None,
        )

    def input_file(self, file: InputFile) -> InputFile:
        data, _ = parse_yaml_mapping(file.text, file.source)
        return self._dumped(file, self._walk(data))

    def exceptions_file(self, file: InputFile, things: frozenset[str]) -> InputFile:
        data, _ = parse_yaml_mapping(file.text, file.source)
        for entry in data.get("exceptions") or []:
            if not isinstance(entry, dict):
                continue
            if "owner" in entry:
                entry["owner"] = _apply(entry["owner"], self.name)
            if isinstance(entry.get("resources"), list):
                entry["resources"] = [i if i in things else self.userid(str(i)) for i in entry["resources"]]
        return self._dumped(file, self._walk(data))

    @staticmethod
    def _dumped(file: InputFile, data: Any) -> InputFile:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        return InputFile(file.source, f"# pseudonymised by dingscan\n{text}")

    def userid(self, value: str) -> str:
        return self._pseudonym(value, "u-", 10)

    def name(self, value: str) -> str:
        return self._pseudonym(value, "Person ", 6)

    def mobile(self, value: str) -> str:
        digest = hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()
        return self._remember(value, "1" + str(int(digest[:12], 16))[-10:].zfill(10))

    def job_number(self, value: str) -> str:
        return self._pseudonym(value, "job-", 8, remember=False)

    def detail(self, value: str) -> str:
        """A detail no finding shows (job title, address, avatar URL, registration number)."""
        return self._pseudonym(value, "text-", 8, remember=False)

    def email(self, value: str) -> str:
        local, at, domain = value.rpartition("@")
        if not at:
            return self._pseudonym(value, "user.", 8)
        return self._remember(value, f"{self._pseudonym(local, 'user.', 8)}@{domain}")

    def _pseudonym(self, value: str, prefix: str, length: int, *, remember: bool = True) -> str:
        digest = hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:length]
        if not remember:
            return f"{prefix}{digest}" if value else value
        return self._remember(value, f"{prefix}{digest}")

    def _remember(self, original: str, pseudonym: str) -> str:
        if original:
            self.mapping[original] = pseudonym
        return pseudonym if original else original

    def _request(self, request: RecordedRequest) -> RecordedRequest:
        query = {k: self._query_value(k, v) for k, v in request.query.items()}
        body = self._walk(json.loads(json.dumps(request.body)))  # a copy: _walk works in place
        return request.model_copy(update={"query": query, "body": body})

    def _query_value(self, key: str, value: str) -> str:
        if key not in USERID_KEYS:
            return value
        if value.startswith("["):  # the client sends id lists as JSON arrays
            return json.dumps([self.userid(str(v)) for v in json.loads(value)], ensure_ascii=False)
        return self.userid(value)

    def _response(self, path: str, response: RecordedResponse) -> RecordedResponse:
        try:
            answer = json.loads(response.text or "")
        except RecursionError:  # unreadable to the client too: withheld, not kept as it came
            return response.model_copy(update={"text": TOO_DEEP})
        except ValueError:
            return response  # not JSON: nothing structured to pseudonymise (error pages)
        answer = self._walk(answer)
        if path in USERID_LISTS:
            _map_list_at(answer, USERID_LISTS[path], self.userid)
        return response.model_copy(update={"text": json.dumps(answer, ensure_ascii=False)})

    def _walk(self, root: Any) -> Any:
        """``root`` (parsed JSON or YAML) pseudonymised in place; iterative, because a hostile
        answer may nest deeper than Python's recursion limit."""
        pending = [root]
        while pending:
            node = pending.pop()
            if isinstance(node, list):
                pending.extend(item for item in node if isinstance(item, list | dict))
                continue
            if not isinstance(node, dict):
                continue
            is_person = any(k in node for k in PERSON_MARKERS)
            for key, value in node.items():
                rule = self._rules.get(key) or (self._person_rules.get(key) if is_person else None)
                if rule is not None:
                    node[key] = _apply(value, rule)
                elif isinstance(value, list | dict):
                    pending.append(value)
        return root


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
