"""The run service's rules as cron meets them: real ``dingscan`` processes, one state directory.

Overlapping runs of one tenant both leave their findings; a dead webhook's alert arrives with
the next run, exactly once; a scan dated in the future is refused by the state and blocks no
later scan.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_cli import STARTUP_S, scan_env, wait_until_collecting

from alert_receiver import Receiver, receiving
from dingscan.emulator import Emulator, Fault, Tenant, generate_tenant
from dingscan.exitcodes import ExitCode
from dingscan.run import StateAccess

HOOK_SECRET = "run-order-hook-secret-4e1a9c"
#: How long the first of two overlapping runs is held back: the second starts and ends meanwhile.
HELD_S = 10.0

#: ``dingscan`` with this machine's clock two days ahead, as after a clock jump.
CLOCK_AHEAD = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta
    import dingscan.scan

    class Ahead(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=2)

    dingscan.scan.datetime = Ahead
    from dingscan.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    return generate_tenant(members=40, seed=19)


@pytest.fixture
def emulator(tenant: Tenant) -> Iterator[Emulator]:
    with Emulator(tenant, qps=None) as emu:
        yield emu


def start(emu: Emulator, *args: str, clock_ahead: bool = False) -> subprocess.Popen[str]:
    program = ["-c", CLOCK_AHEAD] if clock_ahead else ["-m", "dingscan"]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, *program, "scan", "--quiet", *args],
        env=scan_env(emu, HOOK_SECRET=HOOK_SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=STARTUP_S + 60)
    assert "Traceback" not in stderr, stderr
    return process.returncode, stderr


def scans_in(state: Path, tenant: Tenant) -> list[str]:
    with StateAccess(state).opened() as store:
        return [s.scan_id for s in store.scans(tenant.corp_id, 10)]


def findings_id(path: Path) -> str:
    return str(json.loads(path.read_text())["scan"]["id"])


def test_two_overlapping_runs_of_one_tenant_both_leave_their_findings(tenant: Tenant, tmp_path: Path) -> None:
    state = tmp_path / "state"
    slow_calls = Fault("timeout", path=None, times=3, delay=HELD_S)  # the first run is the slow one
    with Emulator(tenant, qps=None, faults=[slow_calls]) as slow, Emulator(tenant, qps=None) as fast:
        first = start(slow, "--state", str(state), "--output", str(tmp_path / "first.json"))
        wait_until_collecting(slow, first)
        second = start(fast, "--state", str(state), "--output", str(tmp_path / "second.json"))
        second_code, _ = finish(second)
        assert first.poll() is None, "the first run must still be collecting when the second ends"
        first_code, first_err = finish(first)
    assert second_code == ExitCode.FAILURES  # started later, finished first: recorded
    assert first_code == ExitCode.NOT_RECORDED
    assert "not recorded in the state" in first_err and "already has a scan as of" in first_err
    assert scans_in(state, tenant) == [findings_id(tmp_path / "second.json")]
    assert findings_id(tmp_path / "first.json")  # its findings were written all the same


def config_with_webhook(tmp_path: Path, url: str) -> Path:
    config = tmp_path / "dingscan.yaml"
    config.write_text(
        json.dumps({"notify": [{"kind": "webhook", "url": f"{url}/hook", "secret": {"env": "HOOK_SECRET"}}]})
    )
    return config


def test_a_dead_webhooks_alert_arrives_with_the_next_run_exactly_once(
    emulator: Emulator, tenant: Tenant, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    with receiving(Receiver("SECunused", HOOK_SECRET)) as receiver:
        url = receiver.url
    config = config_with_webhook(tmp_path, url)  # the receiver is down: nothing listens there now
    scan = ("--config", str(config), "--state", str(state), "--output-dir", str(tmp_path))
    code, err = finish(start(emulator, *scan))
    assert code == ExitCode.FAILURES  # the alert is a side channel: the findings and code stand
    assert "webhook alert for" in err and "the next run sends it again with delivery id" in err
    owed = err.split("delivery id ")[1].split()[0]

    with receiving(Receiver("SECunused", HOOK_SECRET), port=int(url.rsplit(":", 1)[1])) as receiver:
        for _ in range(2):  # back up at the same address
            code, err = finish(start(emulator, *scan))
            assert code == ExitCode.FAILURES and "warning" not in err, err
    ids = [r["webhook"]["delivery_id"] for r in receiver.received]
    assert ids.count(owed) == 1 and ids[0] == owed  # the owed one first, then never again
    assert len(ids) == 3 == len(set(ids))  # and each run's own alert once
    assert receiver.delivery_ids == ids  # the header carries the id the body does


def test_a_scan_dated_in_the_future_is_refused_and_blocks_no_later_scan(
    emulator: Emulator, tenant: Tenant, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    ahead = start(emulator, "--state", str(state), "--output", str(tmp_path / "ahead.json"), clock_ahead=True)
    code, err = finish(ahead)
    assert code == ExitCode.NOT_RECORDED
    assert "after this machine's clock" in err and "never recorded" in err
    assert (tmp_path / "ahead.json").is_file() and scans_in(state, tenant) == []
    code, _ = finish(start(emulator, "--state", str(state), "--output", str(tmp_path / "now.json")))
    assert code == ExitCode.FAILURES
    assert scans_in(state, tenant) == [findings_id(tmp_path / "now.json")]


@pytest.mark.parametrize("command", ["replay", "demo"])
def test_replay_and_demo_never_write_the_state(tmp_path: Path, command: str) -> None:
    state = tmp_path / "state"
    args = (
        ["replay", str(Path(__file__).parents[2] / "fixtures" / "demo")] if command == "replay" else ["demo"]
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dingscan", *args, "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=STARTUP_S + 30,
        check=False,
    )
    assert result.returncode in (ExitCode.OK, ExitCode.FAILURES), result.stderr
    assert "never written" in result.stderr and not state.exists()
