from pathlib import Path
from textwrap import dedent

import pytest

from dingscan.check import Check, CheckMetadata, Outcome, control_sort_key
from dingscan.engine import CheckLoadError, load_checks, run_check
from dingscan.findings import Severity, Status
from dingscan.policy import Policy
from dingscan.snapshot import Section, SectionName, SectionStatus
from factories import snapshot

LOCAL_CHECK = dedent(
    """
    from dingscan.check import Check, CheckMetadata, Outcome, control_sort_key
    from dingscan.findings import Severity
    from dingscan.snapshot import SectionName


    class OrgNamed(Check):
        metadata = CheckMetadata(
            control_id="ACME.ORG.1",
            title="The organisation has a name",
            severity=Severity.LOW,
            rationale="r",
            remediation="m",
            evidence="API authInfos",
        )
        requires = (SectionName.ORG,)

        def evaluate(self, snapshot, policy):
            return Outcome.passed(snapshot.org.get().org_name)
    """
)


def test_builtin_pack_loads_sorted_by_control() -> None:
    ids = [c.metadata.control_id for c in load_checks(plugins=False)]
    assert ids == sorted(ids, key=control_sort_key)
    assert ids.index("DT.PRV.3") < ids.index("DT.LCM.1")  # baseline order, not alphabetical
    assert {"DT.IDN.2", "DT.IDN.3", "DT.PRV.1", "DT.PRV.3", "DT.LCM.1"} <= set(ids)


def test_checks_dir_adds_local_controls(tmp_path: Path) -> None:
    (tmp_path / "acme_org_1.py").write_text(LOCAL_CHECK)
    (tmp_path / "_helpers.py").write_text("raise RuntimeError('private modules are not loaded')")
    ids = [c.metadata.control_id for c in load_checks([tmp_path], plugins=False)]
    assert "ACME.ORG.1" in ids


def test_duplicate_control_id_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(LOCAL_CHECK)
    (tmp_path / "b.py").write_text(LOCAL_CHECK)
    with pytest.raises(CheckLoadError, match=r"ACME\.ORG\.1 is defined twice"):
        load_checks([tmp_path], plugins=False)


def test_broken_check_module_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def nope(:\n")
    with pytest.raises(CheckLoadError, match=r"broken\.py: SyntaxError"):
        load_checks([tmp_path], plugins=False)


def test_missing_checks_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CheckLoadError, match="not a folder"):
        load_checks([tmp_path / "absent"], plugins=False)


class _Crashes(Check):
    metadata = CheckMetadata(
        control_id="TT.TST.1",
        title="t",
        severity=Severity.LOW,
        rationale="r",
        remediation="m",
        evidence="e",
    )
    requires = (SectionName.USERS,)

    def evaluate(self, snapshot, policy):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")


class _PassesBlindly(_Crashes):
    def evaluate(self, snapshot, policy):  # type: ignore[no-untyped-def]
        return Outcome.passed("fine")


def test_a_crashing_check_is_error_not_a_crash() -> None:
    finding = run_check(_Crashes(), snapshot(users=[]), Policy())
    assert finding.status is Status.ERROR
    assert "ZeroDivisionError" in finding.message


def test_pass_on_partial_data_becomes_error() -> None:
    partial = Section.partial([], "departments [5] outside the app's scope")
    finding = run_check(_PassesBlindly(), snapshot(users=partial), Policy())
    assert finding.status is Status.ERROR
    assert "incomplete" in finding.message


def test_not_applicable_section_gives_not_applicable() -> None:
    section = Section[list[object]].failed("not 专属钉钉", SectionStatus.NOT_APPLICABLE)
    assert run_check(_PassesBlindly(), snapshot(users=section), Policy()).status is Status.NOT_APPLICABLE


def test_finding_uid_is_stable_per_tenant_and_control() -> None:
    one = run_check(_PassesBlindly(), snapshot(users=[]), Policy())
    two = run_check(_PassesBlindly(), snapshot(users=[]), Policy())
    assert one.uid == two.uid and len(one.uid) == 32


class _Enriched(_Crashes):
    """Requires users; the admin list only adds to what it can prove."""

    enriches = (SectionName.ADMINS,)
    verdict: Outcome

    def evaluate(self, snapshot, policy):  # type: ignore[no-untyped-def]
        return self.verdict


def _enriched(verdict: Outcome) -> _Enriched:
    check = _Enriched()
    check.verdict = verdict
    return check


def test_a_fail_proven_without_an_enriching_section_stands_and_says_what_was_not_checked() -> None:
    lost = Section[list[object]].failed("app lacks permission qyapi_get_member")
    finding = run_check(_enriched(Outcome.failed("2 offenders")), snapshot(users=[], admins=lost), Policy())
    assert finding.status is Status.FAIL
    assert finding.message == "2 offenders (data incomplete: admins: app lacks permission qyapi_get_member)"


@pytest.mark.parametrize(
    "verdict", [Outcome.passed("fine"), Outcome.manual("ask"), Outcome.not_applicable("n/a")]
)
def test_any_other_verdict_without_an_enriching_section_is_error(verdict: Outcome) -> None:
    lost = Section[list[object]].failed("app lacks permission qyapi_get_member")
    finding = run_check(_enriched(verdict), snapshot(users=[], admins=lost), Policy())
    assert finding.status is Status.ERROR
    assert "qyapi_get_member" in finding.message


def test_an_enriching_section_the_edition_lacks_leaves_the_verdict_alone() -> None:
    absent = Section[list[object]].failed("not 专属钉钉", SectionStatus.NOT_APPLICABLE)
    finding = run_check(_enriched(Outcome.passed("fine")), snapshot(users=[], admins=absent), Policy())
    assert (finding.status, finding.message) == (Status.PASS, "fine")


#: Local checks that break the contract, and what the one-line refusal must say.
BROKEN_PACKS = {
    "no requires": (
        LOCAL_CHECK.replace("    requires = (SectionName.ORG,)\n", ""),
        "declares no requires",
    ),
    "unknown section": (
        LOCAL_CHECK.replace("(SectionName.ORG,)", '("org_chart",)'),
        "requires must be a tuple of SectionName members",
    ),
    "no metadata": (
        "from dingscan.check import Check\n\n\nclass Bare(Check):\n    requires = ()\n\n"
        "    def evaluate(self, snapshot, policy):\n        return None\n",
        "Bare has no metadata",
    ),
    "abstract": (LOCAL_CHECK.replace("def evaluate", "def evaluates"), "does not implement evaluate"),
    "bad control id": (LOCAL_CHECK.replace('"ACME.ORG.1"', '"acme-org-1"'), "ValidationError"),
    "misspelt attestation": (
        "from dingscan.attested import AttestedCheck\nfrom dingscan.check import CheckMetadata\n"
        "from dingscan.findings import Severity\n\n\nclass Trained(AttestedCheck):\n"
        "    metadata = CheckMetadata(control_id='ACME.GOV.1', title='t', severity=Severity.LOW,\n"
        "        rationale='r', remediation='m', evidence='e')\n"
        "    attestation = 'security_trainings'\n",
        "attestation key 'security_trainings' is not a key of the attestation file",
    ),
}


@pytest.mark.parametrize("pack", BROKEN_PACKS, ids=list(BROKEN_PACKS))
def test_a_check_that_breaks_the_contract_is_refused_at_load_naming_the_file(
    pack: str, tmp_path: Path
) -> None:
    source, expected = BROKEN_PACKS[pack]
    (tmp_path / "acme.py").write_text(source)
    with pytest.raises(CheckLoadError) as refused:
        load_checks([tmp_path], plugins=False)
    message = str(refused.value)
    assert "\n" not in message and str(tmp_path / "acme.py") in message and expected in message


def test_a_builtin_check_file_is_named_after_its_control(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "acme_org_2.py").write_text(LOCAL_CHECK)
    monkeypatch.setattr("dingscan.engine.builtin_checks_dir", lambda: tmp_path)
    with pytest.raises(
        CheckLoadError,
        match=r"acme_org_2\.py: OrgNamed defines ACME\.ORG\.1, so its file must be named acme_org_1\.py",
    ):
        load_checks(plugins=False)


def test_an_abstract_helper_base_without_metadata_is_allowed(tmp_path: Path) -> None:
    helper = "from dingscan.check import RuleCheck\n\n\nclass Base(RuleCheck):\n    pass\n"
    (tmp_path / "acme_base.py").write_text(helper + LOCAL_CHECK)
    assert "ACME.ORG.1" in [c.metadata.control_id for c in load_checks([tmp_path], plugins=False)]


class _FailsOnUsers(_Crashes):
    """Requires users and admins; proves a FAIL from users alone, as DT.IDN.1 does."""

    requires = (SectionName.USERS, SectionName.ADMINS)
    verdict_without_admins = Outcome.failed("u2 signs in without SSO")

    def evaluate(self, snapshot, policy):  # type: ignore[no-untyped-def]
        snapshot.users.get()
        return self.verdict_without_admins


@pytest.mark.hostile
def test_a_fail_proven_while_a_required_section_is_missing_stands_and_names_it() -> None:
    lost = Section[list[object]].failed("app lacks permission qyapi_get_member")
    finding = run_check(_FailsOnUsers(), snapshot(users=[], admins=lost), Policy())
    assert finding.status is Status.FAIL
    assert (
        finding.message
        == "u2 signs in without SSO (data incomplete: admins: app lacks permission qyapi_get_member)"
    )


@pytest.mark.hostile
@pytest.mark.parametrize("verdict", [Outcome.passed("fine"), Outcome.manual("ask")])
def test_any_other_verdict_while_a_required_section_is_missing_is_error(verdict: Outcome) -> None:
    check = _FailsOnUsers()
    check.verdict_without_admins = verdict
    lost = Section[list[object]].failed("app lacks permission qyapi_get_member")
    finding = run_check(check, snapshot(users=[], admins=lost), Policy())
    assert (finding.status, finding.message) == (
        Status.ERROR,
        "could not be evaluated: admins: app lacks permission qyapi_get_member",
    )
    assert run_check(_Crashes(), snapshot(users=lost), Policy()).message.startswith("could not be evaluated")
