"""The ``dingscan`` command: parse options, call the pipeline, print results, pick the exit code.

Every error a user can cause (options, files, credentials, DingTalk refusing) ends as one line
on stderr and a documented exit code, never a traceback; ``--log-level debug`` shows details.
What people read (summary, reports, errors) is in ``--lang``; what machines read stays English.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import structlog

from dingscan.__version__ import __version__
from dingscan.check import Check
from dingscan.collect import ScanAborted
from dingscan.drift import compare, something_new_failed
from dingscan.engine import load_checks
from dingscan.errors import DingscanError, UsageError
from dingscan.evidence import Pseudonymiser, verify_bundle
from dingscan.evidence.bundle import UNCHECKED_SIGNATURE
from dingscan.exitcodes import ExitCode, help_text, worst
from dingscan.findings import FindingsDocument, Severity
from dingscan.fleet.command import scan_fleet
from dingscan.fleet.runner import DEFAULT_CEILING, FleetOptions
from dingscan.fleet.tenants import TenantsFile, parse_shard, shard
from dingscan.frameworks import framework_named
from dingscan.fsutil import atomic_write_text
from dingscan.i18n import SOURCE_LANGUAGE, languages, resolve_language, starter_text, translator
from dingscan.inputs import JudgementInputs
from dingscan.logs import configure_logging
from dingscan.metrics import TenantRun, write_metrics
from dingscan.redaction import SECRETS
from dingscan.report.base import localised
from dingscan.report.baseline import render_baseline
from dingscan.report.checklist import render_check_list
from dingscan.report.console import render_summary, wants_colour
from dingscan.report.drift import render_diff
from dingscan.report.formats import FORMATS
from dingscan.report.history import render_history
from dingscan.report.json import render_json
from dingscan.report.progress import TerminalProgress
from dingscan.report.terminal import for_terminal
from dingscan.resources import packaged_path
from dingscan.run import LiveScan, OutputPlan, Replay, RunOutcome, RunService, StateAccess
from dingscan.run import history as run_history
from dingscan.run.sources import (
    findings_of,
    open_bundle,
    report_document,
    signature_check,
    signer,
    signing_module,
    why_not_comparable,
)
from dingscan.scaffold import Scaffold
from dingscan.settings import load_settings
from dingscan.state import state_target
from dingscan.validate import validate_files

log = structlog.get_logger(__name__)
T = TypeVar("T")

DEMO_BUNDLE = "fixtures/demo"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level, args.log_format)
    try:
        args.lang = resolve_language(args.lang)
    except ValueError as exc:
        return _fail(ExitCode.USAGE, str(exc))
    tr = translator(args.lang)
    command: Callable[[argparse.Namespace], ExitCode] = args.command
    try:
        return int(command(args))
    except ScanAborted as exc:
        return _fail(exc.exit_code, tr("scan aborted: {reason}", reason=exc), args.lang)
    except DingscanError as exc:  # each carries its exit code; its line may be in the catalogue
        return _fail(exc.exit_code, tr(str(exc)), args.lang)
    except KeyboardInterrupt:
        return _fail(ExitCode.INTERRUPTED, tr("interrupted; no output was written"), args.lang)
    except OSError as exc:
        return _fail(ExitCode.USAGE, f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), args.lang)
    except MemoryError:  # never exit 1: that code means "controls failed"
        return _fail(ExitCode.FATAL, tr("out of memory; no output was written"), args.lang)
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        error = ": ".join((type(exc).__name__, str(exc)))
        return _fail(
            ExitCode.FATAL,
            tr("internal error: {error} (rerun with --log-level debug)", error=error),
            args.lang,
        )
    except BaseException as exc:  # a Rust panic in an extension (pyo3's PanicException), not SystemExit
        if isinstance(exc, SystemExit):
            raise
        error = type(exc).__name__
        return _fail(
            ExitCode.FATAL,
            tr("internal error: {error} (rerun with --log-level debug)", error=error),
            args.lang,
        )


def _fail(code: ExitCode, message: str, lang: str = SOURCE_LANGUAGE) -> int:
    tr = translator(lang)
    print(for_terminal(tr("dingscan: error: {message}", message=SECRETS.scrub(message))), file=sys.stderr)
    return int(code)


def _warn(message: str, lang: str = SOURCE_LANGUAGE) -> None:
    tr = translator(lang)
    print(for_terminal(tr("dingscan: warning: {message}", message=SECRETS.scrub(message))), file=sys.stderr)


def _global_options() -> argparse.ArgumentParser:
    """Options every command takes, before or after its name (after it, they win).

    No defaults here (``SUPPRESS``), or a subcommand would reset what was given before it; the
    top-level parser sets them once.
    """
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    options.add_argument("--log-level", choices=["debug", "info", "warning", "error"])
    options.add_argument("--log-format", choices=["text", "json"])
    options.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    options.add_argument(
        "--lang",
        help=f"language of what people read: {', '.join(languages())} "
        "(env DINGSCAN_LANG; default from the locale, else en)",
    )
    return options


def _parser() -> argparse.ArgumentParser:
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="dingscan",
        description="Security posture scanner for DingTalk tenants (DingTalk Hardening Baseline v1).",
        epilog=help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options()],  # its own copy: set_defaults changes the options it has
    )
    parser.set_defaults(log_level="warning", log_format="text", quiet=False, lang=None)
    parser.add_argument("--version", action="version", version=f"dingscan {__version__}")
    subcommands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(
        name: str, summary: str, run: Callable[[argparse.Namespace], ExitCode]
    ) -> argparse.ArgumentParser:
        sub = subcommands.add_parser(name, help=summary, description=summary, parents=[common])
        sub.set_defaults(command=run)
        return sub

    demo = command(
        "demo",
        "scan the bundled demo tenant (offline, no credentials); exits 0 when the demo replays as "
        "recorded, although the demo tenant has failures by design",
        _demo,
    )
    _output_options(demo, gate=False)

    scan = command("scan", "scan a real tenant (credentials from DINGSCAN_* variables)", _scan)
    scan.add_argument("--config", type=Path, help="YAML file with settings (see the README for its keys)")
    scan.add_argument("--policy", type=Path, help="YAML file with baseline parameters")
    scan.add_argument("--attestations", type=Path, help="YAML file of operator attestations")
    scan.add_argument("--exceptions", type=Path, help="YAML file of accepted risks")
    scan.add_argument(
        "--max-counted-calls", type=int, metavar="N", help="spend at most N calls of the monthly quota"
    )
    scan.add_argument("--corp-id", help="the tenant's corpId (env DINGSCAN_CORP_ID)")
    scan.add_argument("--oapi-url", help="old API host (env DINGSCAN_OAPI_URL)")
    scan.add_argument("--api-url", help="new API host (env DINGSCAN_API_URL)")
    scan.add_argument("--qps", type=float, help="calls per second per API (default 20)")
    scan.add_argument(
        "--insecure-http",
        action="store_const",
        const=True,
        help="allow plain http:// hosts that are not on this machine (env DINGSCAN_INSECURE_HTTP)",
    )
    scan.add_argument(
        "--record", type=Path, metavar="DIR", help="also write a fixture bundle of every exchange"
    )
    scan.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace people's ids, names, mobiles, mail local parts in the bundle",
    )
    scan.add_argument("--sign-key", type=Path, metavar="PEM", help="sign the bundle's manifest (Ed25519)")
    scan.add_argument(
        "--metrics", type=Path, metavar="FILE", help="write Prometheus text format metrics to FILE"
    )
    fleet = scan.add_argument_group("many tenants (see README: Running it for many tenants)")
    fleet.add_argument("--tenants", type=Path, metavar="FILE", help="scan every tenant in this YAML file")
    fleet.add_argument(
        "--parallel", type=int, default=4, metavar="N", help="tenants scanned at once (default 4)"
    )
    fleet.add_argument(
        "--ceiling",
        type=float,
        default=DEFAULT_CEILING,
        metavar="QPS",
        help=f"calls per second from this machine, all tenants together (default {DEFAULT_CEILING:g})",
    )
    fleet.add_argument("--shard", metavar="I/N", help="scan only slice I (from 0) of N of the tenants")
    _output_options(scan)
    _checks_option(scan)

    replay = command(
        "replay",
        "re-run a recorded scan offline from a fixture bundle; exit 5 if the findings differ from the recorded ones",
        _replay,
    )
    replay.add_argument("bundle", type=Path)
    replay.add_argument("--policy", type=Path, help="judge against this policy instead of the recorded one")
    replay.add_argument("--attestations", type=Path, help="judge against these attestations instead")
    replay.add_argument("--exceptions", type=Path, help="judge against these accepted risks instead")
    replay.add_argument(
        "--public-key", type=Path, metavar="PEM", help="require a valid signature by this key"
    )
    replay.add_argument(
        "--allow-unverified",
        action="store_true",
        help="replay a bundle that fails verification (recorded as such)",
    )
    _output_options(replay)
    _checks_option(replay)

    report = command(
        "report", "write reports from a findings JSON file or a bundle's recorded scan (no scan)", _report
    )
    report.add_argument("source", type=Path, metavar="FINDINGS.json|BUNDLE")
    report.add_argument(
        "--public-key", type=Path, metavar="PEM", help="a bundle must carry a valid signature by this key"
    )
    report.add_argument(
        "--allow-unverified", action="store_true", help="report on a bundle that fails verification"
    )
    _format_options(report)

    diff = command("diff", "compare two findings files or bundles (exit 1: something new failed)", _diff)
    diff.add_argument("old", type=Path, help="the earlier findings JSON or bundle folder")
    diff.add_argument("new", type=Path, help="the later findings JSON or bundle folder")
    diff.add_argument("--json", action="store_true", help="print the later findings with their changes")

    history = command("history", "each control's status over the last scans in the state", _history)
    _state_option(history)
    history.add_argument(
        "--tenant", metavar="CORP_ID", help="the tenant (needed when the state holds several)"
    )
    history.add_argument("--control", metavar="ID", help="only this control")
    history.add_argument("--scans", type=int, default=14, metavar="N", help="how many scans (default 14)")

    checks = command("checks", "list the loaded checks", _list_checks)
    checks.add_argument(
        "--framework",
        metavar="ID",
        help="only the controls mapped in this framework (pdpo, iso27001, cis_v8, pipl, ...), with their references",
    )
    _checks_option(checks)

    validate = command(
        "validate",
        "check config, policy, attestation and exceptions files offline and list every problem "
        f"(default: {' and '.join(STARTER_FILES)} here)",
        _validate,
    )
    validate.add_argument("--config", type=Path, help="YAML settings file (its policy/attestations too)")
    validate.add_argument("--policy", type=Path, help="policy file")
    validate.add_argument("--attestations", type=Path, help="attestation file")
    validate.add_argument("--exceptions", type=Path, help="exceptions file (accepted risks)")

    verify = command("verify", "check a bundle's files (and signature) against its manifest", _verify)
    verify.add_argument("bundle", type=Path)
    verify.add_argument(
        "--public-key", type=Path, metavar="PEM", help="also require a valid signature by this key"
    )

    keygen = command("keygen", "create an Ed25519 key pair for signing bundles", _keygen)
    keygen.add_argument("--dir", type=Path, default=Path(), help="where to write the keys (default: here)")

    baseline = command("baseline", "print the hardening baseline document (Markdown)", _baseline)
    _checks_option(baseline)

    command("schema", "print the JSON Schema of the findings document", _schema)

    new_check = command(
        "new-check",
        "start a new control of the built-in pack: its check, its test, its framework rows",
        _new_check,
    )
    new_check.add_argument("control_id", metavar="DT.ABC.1")
    new_check.add_argument("--root", type=Path, default=Path(), help="the dingscan checkout (default: here)")

    init = command("init", "write commented starter policy and attestation files", _init)
    init.add_argument("--dir", type=Path, default=Path(), help="where to write them (default: here)")

    emulator = command("emulator", "serve a DingTalk emulator on loopback for experiments", _emulator)
    emulator.add_argument("--tenant", type=Path, help="tenant YAML (default: the demo tenant)")
    emulator.add_argument(
        "--port",
        type=int,
        default=0,
        metavar="N",
        help="serve the old API host on port N and the new one on N+1 (default: free ports)",
    )
    return parser


def _output_options(parser: argparse.ArgumentParser, *, gate: bool = True) -> None:
    _format_options(parser)
    parser.add_argument("--json", action="store_true", help="print the findings JSON instead of the summary")
    if gate:
        parser.add_argument(
            "--fail-on",
            type=Severity,
            default=Severity.INFORMATIONAL,
            choices=list(Severity),
            metavar="SEVERITY",
            help="lowest severity of a FAIL that makes the exit code 1 "
            f"({', '.join(Severity)}; default: {Severity.INFORMATIONAL})",
        )
    _state_option(parser)


def _state_option(parser: argparse.ArgumentParser) -> None:
    state = os.environ.get("DINGSCAN_STATE")
    parser.add_argument(
        "--state",
        type=state_target,
        default=state_target(state) if state else None,
        metavar="DIR|URL",
        help="keep scan history in DIR, or in the PostgreSQL database at a postgresql:// URL: "
        "first-seen dates and changes since the last scan (env DINGSCAN_STATE)",
    )


def _format_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        default=[],
        choices=list(FORMATS),
        metavar="FORMAT",
        help=f"report format, repeatable: {', '.join(f'{f.name} ({f.description})' for f in FORMATS.values())}",
    )
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the one --format (default json) to FILE"
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write every --format to DIR, named after the tenant and time (default: this folder)",
    )


def _checks_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checks-dir",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also load checks from DIR",
    )


def _checks(args: argparse.Namespace) -> list[Check]:
    return load_checks(args.checks_dir)


def _output_plan(args: argparse.Namespace, *extra: Path) -> OutputPlan:
    """The output options as a plan; contradictions refused before anything else is read."""
    plan = OutputPlan(args.formats, args.output, args.output_dir, args.lang, extra)
    if plan.to_stdout and getattr(args, "json", False):
        raise UsageError("--json and --output - both print to stdout; use one")
    plan.check()
    return plan


def _state(args: argparse.Namespace, *, writes: bool = True) -> StateAccess | None:
    if args.state is None:
        return None
    return StateAccess(args.state, writes=writes, wait_seconds=run_history.STATE_WAIT_SECONDS)


def _service(args: argparse.Namespace) -> RunService:
    return RunService(warn=lambda message: _warn(message, args.lang))


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the pipeline; SIGTERM ends it like Ctrl-C (each stage says what it leaves behind)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    return asyncio.run(coroutine)


def _print(outcome: RunOutcome, args: argparse.Namespace) -> None:
    """On stdout the summary, or the JSON (``--json``), or the ``--output -`` report."""
    document = outcome.document
    if args.json:
        sys.stdout.write(render_json(document))
    elif outcome.stdout is not None:
        sys.stdout.write(outcome.stdout)
    else:
        sys.stdout.write(render_summary(localised(document, args.lang), colour=wants_colour(sys.stdout)))
    if (args.json or outcome.stdout is not None) and document.scan.replay is not None:
        # No summary shows the verdict: say it where a person looks.
        verdict = translator(args.lang)("replay: {verdict}", verdict=document.scan.replay.describe())
        print(for_terminal(verdict), file=sys.stderr)
    if outcome.not_recorded:
        _warn(f"not recorded in the state: {outcome.not_recorded}", args.lang)


def _scan(args: argparse.Namespace) -> ExitCode:
    if args.tenants:
        return _scan_fleet(args)
    started = time.monotonic()
    outputs = _output_plan(args, *([args.metrics] if args.metrics else []))
    settings = load_settings(
        args.config,
        corp_id=args.corp_id,
        oapi_url=args.oapi_url,
        api_url=args.api_url,
        qps=args.qps,
        max_counted_calls=args.max_counted_calls,
        insecure_http=args.insecure_http,
    )
    inputs = JudgementInputs.load(
        args.policy or settings.policy,
        args.attestations or settings.attestations,
        args.exceptions or settings.exceptions,
    )
    if (args.pseudonymise or args.sign_key) and not args.record:
        raise UsageError("--pseudonymise and --sign-key apply to a recording: add --record DIR")
    key = settings.pseudonym_key.get_secret_value().encode() if settings.pseudonym_key else None
    run = LiveScan(
        settings,
        inputs,
        _checks(args),
        outputs=outputs,
        state=_state(args),
        record_to=args.record,
        pseudonymiser=Pseudonymiser(key) if args.pseudonymise else None,
        sign=signer(args.sign_key),
        progress=TerminalProgress() if sys.stderr.isatty() and not args.quiet else None,
        fail_on=args.fail_on,
    )
    outcome = _run(_service(args).scan(run))
    _print(outcome, args)
    if args.metrics:
        tenant = outcome.document.scan.tenant.corp_id or "default"
        write_metrics(
            args.metrics, [TenantRun(tenant, outcome.exit_code, time.monotonic() - started, outcome.document)]
        )
    return outcome.exit_code


_SINGLE_TENANT_OPTIONS = (
    "corp_id",
    "oapi_url",
    "api_url",
    "policy",
    "attestations",
    "exceptions",
    "record",
    "output",
    "json",
)


def _scan_fleet(args: argparse.Namespace) -> ExitCode:
    if given := [f"--{name.replace('_', '-')}" for name in _SINGLE_TENANT_OPTIONS if getattr(args, name)]:
        raise UsageError(
            f"{', '.join(given)}: one tenant's options; with --tenants, set them in the tenants file"
        )
    if args.parallel < 1 or args.ceiling <= 0:
        raise UsageError("--parallel and --ceiling must be positive")
    _output_plan(args)
    tenants_file = TenantsFile.load(args.tenants)
    selected = tenants_file.tenants
    if args.shard:
        selected = shard(selected, *parse_shard(args.shard))
    options = FleetOptions(
        parallel=args.parallel,
        ceiling=args.ceiling,
        output_dir=args.output_dir or Path(),
        formats=[FORMATS[name] for name in dict.fromkeys(args.formats or ["json"])],
        config=args.config,
        qps=args.qps,
        insecure_http=args.insecure_http,
        fail_on=args.fail_on,
        state=args.state,
        state_wait_seconds=run_history.STATE_WAIT_SECONDS,
        lang=args.lang,
    )
    outcomes = _run(scan_fleet(tenants_file, selected, options, _checks(args), metrics=args.metrics))
    return worst(o.exit_code for o in outcomes)


def _replay(args: argparse.Namespace) -> ExitCode:
    outputs = _output_plan(args)
    bundle = open_bundle(args.bundle, args.public_key, allow_unverified=args.allow_unverified)
    if bundle.integrity.startswith("UNVERIFIED"):
        _warn(bundle.integrity, args.lang)
    _warn_unchecked_signature(bundle.integrity, args.bundle)
    inputs = bundle.judged_against().overridden_by(args.policy, args.attestations, args.exceptions)
    because = why_not_comparable(
        policy=args.policy, attestations=args.attestations, exceptions=args.exceptions, checks=args.checks_dir
    )
    run = Replay(
        bundle,
        inputs,
        _checks(args),
        outputs=outputs,
        state=_state(args, writes=False),
        not_comparable=because,
        fail_on=getattr(args, "fail_on", Severity.INFORMATIONAL),
    )
    outcome = _run(_service(args).replay(run))
    _print(outcome, args)
    return outcome.exit_code


def _warn_unchecked_signature(integrity: str, bundle: Path) -> None:
    if UNCHECKED_SIGNATURE in integrity:
        _warn(
            f"{bundle} is signed, but the signature was NOT verified; "
            f"to verify it: dingscan verify {bundle} --public-key signing-key.pub.pem"
        )


def _demo(args: argparse.Namespace) -> ExitCode:
    """The demo replay; its failures are the point of the demo, so only a broken replay is news."""
    args.bundle, args.policy, args.attestations, args.checks_dir = packaged_path(DEMO_BUNDLE), None, None, []
    args.exceptions = None
    args.public_key, args.allow_unverified = None, False
    code = _replay(args)
    return ExitCode.REPLAY_DIFFERENT if code is ExitCode.REPLAY_DIFFERENT else ExitCode.OK


def _report(args: argparse.Namespace) -> ExitCode:
    outputs = _output_plan(args)
    if not (args.formats or args.output or args.output_dir):
        raise UsageError("say what to write: --format FORMAT (and --output FILE or --output-dir DIR)")
    document = report_document(args.source, args.public_key, allow_unverified=args.allow_unverified)
    if document.lang not in (SOURCE_LANGUAGE, args.lang):
        raise UsageError(
            f"{args.source}: findings are in {document.lang}; only English findings can be translated"
        )
    outcome = _run(_service(args).report(document, outputs))
    if outcome.stdout is not None:
        sys.stdout.write(outcome.stdout)
    tr = translator(args.lang)
    for path in outcome.written:
        print(tr("wrote {path}", path=path))
    return ExitCode.OK


def _diff(args: argparse.Namespace) -> ExitCode:
    old, new = findings_of(args.old), findings_of(args.new)
    tenants = {old.scan.tenant.corp_id, new.scan.tenant.corp_id}
    if len(tenants) > 1:
        raise UsageError(
            f"{args.old} and {args.new} are scans of different tenants: {' and '.join(map(str, tenants))}"
        )
    compared = compare(old, new)
    sys.stdout.write(render_json(compared) if args.json else render_diff(compared, translator(args.lang)))
    return ExitCode.FAILURES if something_new_failed(compared) else ExitCode.OK


def _history(args: argparse.Namespace) -> ExitCode:
    if args.state is None:
        raise UsageError("history needs the state directory: --state DIR or DINGSCAN_STATE")
    if isinstance(args.state, Path) and not args.state.is_dir():
        raise UsageError(f"{args.state}: no state directory (run a scan with --state first)")
    access = _state(args)
    assert access is not None  # noqa: S101 - args.state was checked above
    with access.opened() as store:
        tenants = store.tenants()
        tenant = args.tenant or (tenants[0] if len(tenants) == 1 else None)
        if tenant is None:
            choices = ", ".join(tenants) or "none"
            raise UsageError(f"choose a tenant with --tenant (the state holds: {choices})")
        sys.stdout.write(render_history(store, tenant, control=args.control, scans=args.scans))
    return ExitCode.OK


def _list_checks(args: argparse.Namespace) -> ExitCode:
    framework = framework_named(args.framework) if args.framework else None
    sys.stdout.write(render_check_list(_checks(args), framework, args.lang))
    return ExitCode.OK


def _validate(args: argparse.Namespace) -> ExitCode:
    files: list[Path | None] = [args.policy, args.attestations, args.exceptions]
    if args.config is None and not any(files):
        files = [path if path.exists() else None for path in map(Path, STARTER_FILES)]
        if not any(files):
            raise UsageError(
                "nothing to validate: give --config, --policy, --attestations or --exceptions "
                "(or run it where dingscan init wrote its files)"
            )
    policy, attestations, exceptions = files
    report = validate_files(args.config, policy, attestations, exceptions)
    for source, problems in report.items():
        for line in problems or [f"{source}: ok"]:
            print(for_terminal(line))
    count = sum(len(p) for p in report.values())
    if count:
        print(
            f"{count} problem{'s' if count > 1 else ''} in {len(report)} file{'s' if len(report) > 1 else ''}"
        )
        return ExitCode.USAGE
    return ExitCode.OK


def _verify(args: argparse.Namespace) -> ExitCode:
    manifest, integrity = verify_bundle(args.bundle, signature_check(args.public_key))
    pseudonymised = ", pseudonymised" if manifest.pseudonymised else ""
    print(
        f"{args.bundle}: {integrity} ({len(manifest.files)} files, {manifest.exchanges} exchanges{pseudonymised})"
    )
    _warn_unchecked_signature(integrity, args.bundle)
    return ExitCode.OK


def _keygen(args: argparse.Namespace) -> ExitCode:
    private, public = signing_module().generate_key_pair(args.dir)
    print(f"wrote {private} (keep it secret: it signs bundles) and {public} (give it to auditors)")
    return ExitCode.OK


def _schema(args: argparse.Namespace) -> ExitCode:
    print(json.dumps(FindingsDocument.model_json_schema(), indent=2, ensure_ascii=False))
    return ExitCode.OK


def _baseline(args: argparse.Namespace) -> ExitCode:
    sys.stdout.write(render_baseline(_checks(args), args.lang))
    return ExitCode.OK


STARTER_FILES = {
    "dingscan-policy.yaml": "templates/policy.yaml",
    "dingscan-attestations.yaml": "templates/attestations.yaml",
    "dingscan-exceptions.yaml": "templates/exceptions.yaml",
}


def _init(args: argparse.Namespace) -> ExitCode:
    targets = {args.dir / name: template for name, template in STARTER_FILES.items()}
    if existing := [str(path) for path in targets if path.exists()]:
        raise UsageError(f"{', '.join(existing)} already exist; not overwriting")
    tr = translator(args.lang)
    for path, template in targets.items():
        atomic_write_text(path, starter_text(template, args.lang))
        print(tr("wrote {path}", path=path))
    command = (
        "dingscan scan --policy dingscan-policy.yaml --attestations dingscan-attestations.yaml "
        "--exceptions dingscan-exceptions.yaml"
    )
    print(tr("edit them, then: {command}", command=command))
    return ExitCode.OK


def _new_check(args: argparse.Namespace) -> ExitCode:
    scaffold = Scaffold(args.root, args.control_id)
    tr = translator(args.lang)
    for path in scaffold.write():
        print(tr("wrote {path}", path=path))
    for step in scaffold.next_steps():
        print(f"next: {step}")
    return ExitCode.OK


def _emulator(args: argparse.Namespace) -> ExitCode:
    from dingscan.emulator import Emulator, load_tenant  # only this command needs the emulator

    tenant = load_tenant(args.tenant or packaged_path("fixtures/tenants/demo.yaml"))
    if not 0 <= args.port < 65535:
        raise UsageError(f"--port {args.port}: expected a port from 1 to 65534 (the next one is used too)")
    emu = Emulator(tenant, port=args.port)
    try:
        emu.start()
    except OSError as exc:
        ports = f"ports {args.port} and {args.port + 1}" if args.port else "free ports"
        raise UsageError(f"--port: cannot listen on 127.0.0.1 {ports}: {exc.strerror or exc}") from None
    try:
        settings = {
            "DINGSCAN_OAPI_URL": emu.oapi_url,
            "DINGSCAN_API_URL": emu.api_url,
            "DINGSCAN_APP_KEY": emu.app_key,
            "DINGSCAN_APP_SECRET": emu.app_secret,
            "DINGSCAN_CORP_ID": tenant.corp_id,
        }
        print("DingTalk emulator running; scan it from another shell with:")
        print(" ".join(f"{k}={json.dumps(v)}" for k, v in settings.items()) + " dingscan scan")
        print("Press Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("emulator stopped", file=sys.stderr)
    finally:
        emu.stop()
    return ExitCode.OK
