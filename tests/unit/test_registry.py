"""The section registry is complete and consistent, and what is derived from it is current."""

from pathlib import Path

import pytest

from dingscan.cli import main
from dingscan.client.endpoints import ACCESS_TOKEN, CATALOGUE
from dingscan.collect.sections import REGISTRY, SECTIONS, consequences, permissions
from dingscan.engine import load_checks
from dingscan.exitcodes import ExitCode
from dingscan.report.checklist import PERMISSIONS_END, PERMISSIONS_START, render_permission_table
from dingscan.snapshot import SectionName, Snapshot

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_snapshot_section_has_one_registry_entry() -> None:
    assert [spec.name for spec in REGISTRY] == list(SectionName)
    assert {s.value for s in SectionName} == set(Snapshot.model_fields) - {"as_of", "corp_id"}


def test_a_section_comes_after_every_section_it_is_collected_after() -> None:
    seen: set[SectionName] = set()
    for spec in REGISTRY:
        assert set(spec.depends_on + spec.narrowed_by) <= seen, spec.name
        seen.add(spec.name)


def test_every_catalogued_endpoint_feeds_a_section() -> None:
    fed = {e for spec in REGISTRY for e in spec.all_endpoints}
    assert set(CATALOGUE) - fed == {ACCESS_TOKEN}


def test_losing_an_endpoint_takes_down_its_sections_and_those_derived_from_them() -> None:
    scopes = SECTIONS[SectionName.SCOPES].endpoints[0]
    assert consequences(scopes) == ({SectionName.SCOPES, SectionName.USER_EMAILS}, {SectionName.USERS})
    admin_scope = SECTIONS[SectionName.ADMIN_DETAILS].detail_endpoints[0]
    assert consequences(admin_scope) == (frozenset(), {SectionName.ADMIN_DETAILS})


def test_permissions_include_those_of_the_sections_a_section_is_collected_after() -> None:
    assert permissions([SectionName.USERS]) == [
        "qyapi_base",
        "qyapi_get_department_list",
        "qyapi_get_department_member",
    ]


def test_readme_permission_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(PERMISSIONS_START), text.index(PERMISSIONS_END) + len(PERMISSIONS_END) + 1
    assert text[start:end] == render_permission_table(load_checks(plugins=False))


def test_checks_command_derives_each_controls_endpoints_and_permissions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["checks"]) == ExitCode.OK
    out = capsys.readouterr().out
    idn3 = out[out.index("DT.IDN.3") : out.index("DT.PRV.1")]
    assert "reads         users, user_emails; enriched by admins" in idn3
    assert "user/listadmin" in idn3 and "qyapi_get_member" in idn3
