"""The baseline's parameters: what "hardened" means for this organisation.

Thresholds, approved domains, allow-lists and role pairs are data, with the catalogue's defaults,
so a control's code never hard-codes an organisation's choices. The policy file is YAML; a wrong
key, a wrong type or an impossible value is one line naming the key and the file line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dingscan.errors import UserError
from dingscan.yamlfile import parse_model, read_text

#: Consumer mail services: an address here is a person's own mailbox, outside the company's
#: control, retention and offboarding (DT.IDN.3). ``personal_webmail_domains`` adds to it.
BUILTIN_PERSONAL_WEBMAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "hotmail.com", "hotmail.com.hk", "outlook.com", "live.com",
        "msn.com", "yahoo.com", "yahoo.com.hk", "ymail.com", "icloud.com", "me.com", "mac.com",
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
        "sohu.com", "aliyun.com", "139.com", "proton.me", "protonmail.com", "gmx.com",
        "mail.com", "aol.com", "yandex.com", "zoho.com", "netvigator.com",
    }
)  # fmt: skip


class PolicyError(UserError, ValueError):
    """A policy file that cannot be used; the message is one line naming file, line and key."""


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AdminBounds(_Section):
    primary_min: int = Field(1, ge=0)
    primary_max: int = Field(3, ge=1)
    sub_max: int = Field(10, ge=0)
    org_wide_sub_admins_allowed: list[str] = Field(
        default_factory=list, description="userids of sub-admins allowed to manage the whole organisation"
    )

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> Self:
        if self.primary_max < self.primary_min:
            raise ValueError("primary_max is below primary_min")
        return self


class Lifecycle(_Section):
    dormant_days: int = Field(
        30, ge=1, le=30, description="no login for this many days = dormant (API maximum 30)"
    )
    max_dormant_members: int = Field(0, ge=0, description="dormant members tolerated (administrators: none)")
    never_activated_days: int = Field(
        30, ge=1, description="an account never activated this long after hire is stale"
    )


class Apps(_Section):
    review_days: int = Field(365, ge=1, description="an approved app's review must be this recent")


class Policy(_Section):
    corporate_domains: list[str] = Field(
        default_factory=list, description="approved corporate email domains (subdomains included)"
    )
    personal_webmail_domains: list[str] = Field(
        default_factory=list, description="extra consumer mail domains, added to the built-in list"
    )
    admins: AdminBounds = Field(default_factory=AdminBounds)
    conflicting_roles: list[tuple[str, str]] = Field(
        default_factory=list, description="role-name pairs nobody may hold together, e.g. [人事, 财务]"
    )
    approved_partner_orgs: list[str] = Field(
        default_factory=list, description="corp_ids of partner organisations (关联组织) approved to be joined"
    )
    break_glass_accounts: list[str] = Field(
        default_factory=list, description="userids exempt from SSO (emergency accounts, documented)"
    )
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    apps: Apps = Field(default_factory=Apps)

    @field_validator("conflicting_roles")
    @classmethod
    def _pairs_of_two_roles(cls, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if same := [a for a, b in pairs if a == b]:
            raise ValueError(f"a conflicting pair names {same[0]!r} twice")
        return pairs

    @field_validator("corporate_domains", "personal_webmail_domains")
    @classmethod
    def _domains_lowercase(cls, domains: list[str]) -> list[str]:
        cleaned = [d.strip().lstrip("@").strip().lower() for d in domains]
        if bad := [d for d in cleaned if "." not in d or any(c.isspace() for c in d)]:
            raise ValueError(f"not a domain: {bad[0]!r}")
        return cleaned

    @property
    def webmail_domains(self) -> frozenset[str]:
        return BUILTIN_PERSONAL_WEBMAIL | set(self.personal_webmail_domains)

    @classmethod
    def load(cls, path: Path) -> Policy:
        return cls.parse(read_text(path, PolicyError), str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> Policy:
        return parse_model(cls, text, source, PolicyError)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower()


def on_domains(address: str, domains: list[str] | frozenset[str]) -> bool:
    """True when the address is on one of the domains or a subdomain of one."""
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in domains)
