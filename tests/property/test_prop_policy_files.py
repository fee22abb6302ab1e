"""Properties of the operator's YAML files (policy and attestations).

Any document either parses or raises :class:`PolicyError` / :class:`AttestationError` whose message
is one line starting with the file's name (the CLI prints it as ``dingscan: error: ...`` with exit
code 2); never another exception, which the CLI would report as an internal error. A valid policy
survives ``to_yaml()`` and ``parse()`` unchanged: the bundle's ``policy.yaml`` is what replay judges
against.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import event, example, given, reject
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from prop_strategies import LINE_BREAKS, THOROUGH, one_line
from pydantic import BaseModel

from dingscan.attestations import AttestationError, Attestations
from dingscan.fleet.tenants import TenantsFile
from dingscan.policy import Policy, PolicyError
from dingscan.risks import Exceptions
from dingscan.settings import Settings
from dingscan.yamlfile import problems_in

SOURCE = "conf/policy.yaml"
MODELS: list[tuple[type[Policy] | type[Attestations], type[ValueError]]] = [
    (Policy, PolicyError),
    (Attestations, AttestationError),
]


def _note(outcome: str) -> None:
    """Tally outcomes in hypothesis' statistics; the fixed examples also run outside hypothesis."""
    if currently_in_test_context():
        event(outcome)


def check_parse(text: str, model: type[Policy] | type[Attestations], error: type[ValueError]) -> None:
    try:
        parsed = model.parse(text, SOURCE)
    except error as exc:
        message = str(exc)
        assert one_line(message), repr(message)
        assert message.startswith(SOURCE), message
        _note(f"{model.__name__}: {error.__name__}")
    except Exception as exc:
        raise AssertionError(f"{type(exc).__name__} escaped {model.__name__}.parse: {exc}") from exc
    else:
        assert isinstance(parsed, model)
        _note(f"{model.__name__}: parsed")


# --- YAML text --------------------------------------------------------------------------------------

#: What PyYAML's reader accepts (it refuses other control characters: a test below).
yaml_chars = st.characters(
    codec="utf-8",
    exclude_categories=["Cc", "Cs"],
    include_characters="\t\n\r",
    exclude_characters="\ufffe\uffff",
)
KEYS = [
    "corporate_domains", "personal_webmail_domains", "admins", "primary_min", "primary_max", "sub_max",
    "org_wide_sub_admins_allowed", "conflicting_roles", "approved_partner_orgs", "break_glass_accounts",
    "lifecycle", "dormant_days", "max_dormant_members", "never_activated_days", "apps", "review_days",
    "sso_enforced", "audit_log_retention", "backups", "approved_apps", "temporary_access", "attested_by",
    "attested_on", "evidence", "expires_on", "answer", "retention_days", "last_done_on", "app_id",
    "name", "approved_by", "reviewed_on", "userid", "granted_on", "attendance_kept",
]  # fmt: skip
SCALARS = [
    "", "~", "null", "yes", "no", "true", "On", "0", "-1", "3", "1e3", ".inf", ".nan", "0x1f", "0o17",
    "2026-11-25", "2026-11-25T10:00:00Z", "example.com", "'@Example.COM'", '"x\\ty"', "[]", "{}",
    "[a.com, b.org]", "{primary_min: 2, primary_max: 1}", "[[人事, 财务]]", "!!str 3", "!!null ''",
    "!!set {a, b}", "!!binary aGVsbG8=", "&anchor 1", "*anchor", "*missing", "|\n  block", ">-\n  folded",
    "'unterminated", "[unclosed", "{a: ", "- item", "? complex", "%YAML 1.1", "---", "...", "@at", "`tick",
]  # fmt: skip

words = st.text(yaml_chars, max_size=12)
keys = st.sampled_from(KEYS) | words
values = st.sampled_from(SCALARS) | words


@st.composite
def yamlish_lines(draw: st.DrawFn) -> str:
    """Lines that look like YAML (indented keys, values, list items, flow collections), often broken."""
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 1, 3]))
        kind = draw(st.sampled_from(["key-value", "key", "item", "raw"]))
        if kind == "key-value":
            lines.append(f"{indent}{draw(keys)}: {draw(values)}")
        elif kind == "key":
            lines.append(f"{indent}{draw(keys)}:")
        elif kind == "item":
            lines.append(f"{indent}- {draw(values)}")
        else:
            lines.append(indent + draw(words))
    return "\n".join(lines)


yaml_texts = st.one_of(st.text(yaml_chars, max_size=60), yamlish_lines())


@THOROUGH
@given(text=yaml_texts, which=st.sampled_from(MODELS))
@example(text="", which=MODELS[0])
@example(text="- a\n- b", which=MODELS[0])
@example(text="a: 1\n---\nb: 2", which=MODELS[1])
@example(text="admins: {primary_min: 2, primary_max: 1}", which=MODELS[0])
@example(text="corporate_domains: &x [*x]", which=MODELS[0])
@example(text="sso_enforced: {attested_by: x}", which=MODELS[1])
@example(text="?", which=MODELS[1])
def test_any_yaml_text_parses_or_is_a_one_line_error(
    text: str, which: tuple[type[Policy] | type[Attestations], type[ValueError]]
) -> None:
    check_parse(text, *which)


# --- structured documents, rendered by yaml.safe_dump ----------------------------------------------

#: Keys with a line break are quoted in "unknown key" messages: a test below.
flat_words = st.text(st.characters(codec="utf-8", exclude_characters=LINE_BREAKS), max_size=12)
doc_keys = st.sampled_from(KEYS) | flat_words
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.dates(),
    st.sampled_from(["a.com", "@Example.ORG", "not a domain", "x", "yes"]),
)
documents = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(doc_keys, children, max_size=4),
    max_leaves=12,
)

# Near-valid documents: the right keys with plausible values, so that validation gets deep.
people = st.sampled_from(["Ada Wong", "陳大文", "ISMS-DOC-7", "x", ""]) | st.text(max_size=6)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
statement = st.fixed_dictionaries(
    {},
    optional={
        "attested_by": people,
        "attested_on": days,
        "evidence": people,
        "expires_on": days | st.none(),
        "answer": st.booleans() | st.sampled_from(["yes", "maybe"]),
        "details": st.text(max_size=6),
        "identity_provider": st.text(max_size=6),
        "retention_days": st.integers(min_value=-5, max_value=4000),
        "last_done_on": days,
        "attendance_kept": st.booleans(),
        "reseller": st.text(max_size=6),
    },
)
register_entry = st.fixed_dictionaries(
    {},
    optional={
        "app_id": st.integers() | st.text(max_size=4),
        "name": people,
        "approved_by": people,
        "reviewed_on": days,
        "approved_scopes": st.lists(st.text(max_size=4), max_size=2),
        "userid": people,
        "role": people,
        "dept_id": st.integers(),
        "granted_on": days,
        "expires_on": days,
    },
)
#: What each attestation needs beyond who/when/evidence (the rest are yes/no statements).
KIND_FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "audit_log_retention": {"retention_days": st.integers(min_value=-5, max_value=4000)},
    "audit_log_export": {"last_done_on": days},
    "backups": {"last_done_on": days},
    "transfer_impact_assessment": {"last_done_on": days},
    "security_training": {"last_done_on": days, "attendance_kept": st.booleans()},
}
ANSWER = {"answer": st.booleans() | st.sampled_from(["yes", "no", "maybe"])}


@st.composite
def complete_attestation(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """Every required field present (sometimes one dropped, sometimes a typo added)."""
    if key in ("approved_apps", "temporary_access"):
        return draw(st.lists(register_entry, max_size=2))  # type: ignore[return-value]
    fields = {
        "attested_by": people,
        "attested_on": days,
        "evidence": people,
        **KIND_FIELDS.get(key, ANSWER),
    }
    value = {name: draw(strategy) for name, strategy in fields.items()}
    if draw(st.integers(0, 5)) == 0:
        value.pop(draw(st.sampled_from(sorted(value))))
    if draw(st.integers(0, 5)) == 0:
        value[draw(st.sampled_from(["expires_on", "details", "typo"]))] = draw(days)
    return value


ATTESTATION_KEYS = sorted(Attestations.model_fields)
attestation_docs = st.lists(st.sampled_from(ATTESTATION_KEYS), unique=True, max_size=4).flatmap(
    lambda names: st.fixed_dictionaries(
        {name: st.one_of(*[complete_attestation(name)] * 4, statement, documents) for name in names}
    )
)
policy_docs = st.fixed_dictionaries(
    {},
    optional={
        "corporate_domains": st.lists(st.sampled_from(["a.com", " @B.org ", "bad", "x y.z"]), max_size=3),
        "admins": st.fixed_dictionaries(
            {},
            optional={
                "primary_min": st.integers(min_value=-2, max_value=5),
                "primary_max": st.integers(min_value=-2, max_value=5),
                "sub_max": st.integers(min_value=-2, max_value=50) | st.text(max_size=3),
                "org_wide_sub_admins_allowed": st.lists(st.text(max_size=4), max_size=2) | documents,
                "typo": st.integers(),
            },
        ),
        "lifecycle": st.fixed_dictionaries(
            {}, optional={"dormant_days": st.integers(min_value=-1, max_value=40), "x": documents}
        ),
        "conflicting_roles": st.lists(st.lists(st.text(max_size=3), max_size=3), max_size=2),
        "apps": documents,
    },
)


@THOROUGH
@given(
    document=st.one_of(documents, attestation_docs, policy_docs),
    which=st.sampled_from(MODELS),
    flow=st.booleans(),
)
def test_any_structured_document_parses_or_is_a_one_line_error(
    document: Any, which: tuple[type[Policy] | type[Attestations], type[ValueError]], flow: bool
) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)

    check_parse(text, *which)


# --- round trip -------------------------------------------------------------------------------------

labels = st.text(st.characters(categories=["Ll", "Lu", "Lo", "Nd"]), min_size=1, max_size=8)
domains = st.builds(
    lambda pad, at, parts: f"{pad}{at}{'.'.join(parts)}{pad}",
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", "@"]),
    st.lists(labels, min_size=2, max_size=3),
)
texts = st.text(max_size=10)
non_negative = st.integers(min_value=0, max_value=10**6)
policies = st.fixed_dictionaries(
    {},
    optional={
        "corporate_domains": st.lists(domains, max_size=3),
        "personal_webmail_domains": st.lists(domains, max_size=3),
        "admins": st.fixed_dictionaries(
            {},
            optional={
                "primary_min": non_negative,
                "primary_max": st.integers(min_value=1, max_value=10**6),
                "sub_max": non_negative,
                "org_wide_sub_admins_allowed": st.lists(texts, max_size=3),
            },
        ),
        "conflicting_roles": st.lists(st.tuples(texts, texts), max_size=3),
        "approved_partner_orgs": st.lists(texts, max_size=3),
        "break_glass_accounts": st.lists(texts, max_size=3),
        "lifecycle": st.fixed_dictionaries(
            {},
            optional={
                "dormant_days": st.integers(min_value=1, max_value=30),
                "max_dormant_members": non_negative,
                "never_activated_days": st.integers(min_value=1, max_value=10**6),
            },
        ),
        "apps": st.fixed_dictionaries(
            {}, optional={"review_days": st.integers(min_value=1, max_value=10**6)}
        ),
    },
)


@THOROUGH
@given(fields=policies)
@example(fields={"corporate_domains": [" @Example.COM "], "conflicting_roles": [("人事", "财务")]})
def test_a_valid_policy_round_trips_through_its_yaml(fields: dict[str, Any]) -> None:
    try:  # as an operator writes it; the policy's own rules decide what is valid
        written = Policy.parse(yaml.safe_dump(fields, allow_unicode=True), SOURCE)
    except PolicyError:
        reject()

    again = Policy.parse(written.to_yaml(), SOURCE)

    assert again == written
    assert again.to_yaml() == written.to_yaml()


# --- regressions: the minimal examples with which these properties found bugs (fixed) -------------


def _fails_cleanly(text: str) -> None:
    for model, error in MODELS:
        check_parse(text, model, error)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("apps: 2001-02-30", id="impossible-date-ValueError"),
        pytest.param("apps: !!int abc", id="tagged-int-ValueError"),
        pytest.param("apps: !!bool maybe", id="tagged-bool-KeyError"),
        pytest.param("apps: !!timestamp x", id="tagged-timestamp-AttributeError"),
    ],
)
def test_malformed_scalar_is_a_one_line_error(text: str) -> None:
    _fails_cleanly(text)


def test_deeply_nested_document_is_a_one_line_error() -> None:
    _fails_cleanly("apps: " + "[" * 5000)


def test_control_character_error_is_one_line() -> None:
    _fails_cleanly("apps: \x07")


def test_unknown_key_with_a_line_break_is_quoted_on_one_line() -> None:
    _fails_cleanly('"typo\\nkey": 1')


def test_whitespace_after_at_is_removed_and_round_trips() -> None:
    written = Policy.parse('corporate_domains: ["@\\tb.com"]', SOURCE)

    assert written.corporate_domains == ["b.com"]
    assert Policy.parse(written.to_yaml(), SOURCE) == written


# --- duplicate keys -----------------------------------------------------------------------------

#: Every model dingscan reads from YAML (alert targets are part of the config and tenants files).
EVERY_YAML_FILE: list[type[BaseModel]] = [Policy, Attestations, Exceptions, TenantsFile, Settings]
entries = st.dictionaries(doc_keys, leaves, min_size=1, max_size=5)


@pytest.mark.hostile
@THOROUGH
@given(
    data=st.data(),
    fields=entries,
    depth=st.integers(min_value=0, max_value=2),
    model=st.sampled_from(EVERY_YAML_FILE),
)
@example(  # the exceptions entry that quietly became "accept every offender of DT.IDN.1"
    data=None, fields={"control": "DT.APP.2", "all_resources": False}, depth=1, model=Exceptions
)
def test_a_key_repeated_in_any_mapping_is_refused_with_its_line(
    data: st.DataObject | None, fields: dict[str, Any], depth: int, model: type[BaseModel]
) -> None:
    """PyYAML keeps the last of two equal keys; every dingscan file refuses the second one."""
    entry_lines = [yaml.safe_dump({key: value}).rstrip("\n") for key, value in fields.items()]
    repeated = data.draw(st.sampled_from(sorted(fields))) if data else "control"
    at = data.draw(st.integers(min_value=0, max_value=len(entry_lines))) if data else len(entry_lines)
    entry_lines.insert(at, yaml.safe_dump({repeated: True}).rstrip("\n"))
    keys_in_order = list(fields)
    keys_in_order.insert(at, repeated)
    nesting = ["exceptions:", "- id: X"][:depth] if model is Exceptions else [f"k{n}:" for n in range(depth)]
    text = "\n".join(
        [*("  " * n + key for n, key in enumerate(nesting))]
        + ["  " * depth + line for entry in entry_lines for line in entry.split("\n")]
    )
    starts = [
        len(nesting) + 1 + sum(e.count("\n") + 1 for e in entry_lines[:n]) for n in range(len(entry_lines))
    ]
    second = [start for start, key in zip(starts, keys_in_order, strict=True) if key == repeated][1]

    problems = problems_in(model, text, SOURCE)

    assert problems and problems[0].startswith(f"{SOURCE}:{second}: not valid YAML: duplicate key"), (
        text,
        problems,
    )
