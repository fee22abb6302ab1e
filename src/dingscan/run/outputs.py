"""What a run writes and where: the findings file and reports, probed before the scan.

An output plan is checked for contradictions and probed (every parent folder created and tried,
no target a folder) before the first API call, so a typo costs nothing. The findings (JSON) are
written first, the reports after the bundle: :meth:`OutputPlan.findings_targets` and
:meth:`OutputPlan.report_targets` split them for the run service. Each file is written
atomically; a failure names its file and what was written before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dingscan.errors import OutputError, UsageError
from dingscan.findings import FindingsDocument
from dingscan.fsutil import probe_writable_folder
from dingscan.i18n import SOURCE_LANGUAGE
from dingscan.report.base import ReportFormat, localised
from dingscan.report.formats import FORMATS, output_name

STDOUT = Path("-")


@dataclass(frozen=True)
class OutputPlan:
    """``--format`` (repeatable), ``--output FILE`` (one format; ``-`` is stdout) or
    ``--output-dir DIR``; neither: no file. Formats for people are rendered in ``lang``."""

    formats: Sequence[str] = ()
    output: Path | None = None
    output_dir: Path | None = None
    lang: str = SOURCE_LANGUAGE
    #: Other files of the run (``--metrics``): probed with the rest.
    extra: Sequence[Path] = field(default_factory=tuple)

    @property
    def to_stdout(self) -> bool:
        return self.output == STDOUT

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(self.formats))

    def check(self) -> None:
        """Refuse contradictory or unusable options (no file system touched but a stat)."""
        if self.output and self.output_dir:
            raise UsageError("--output and --output-dir exclude each other")
        if self.output and len(self.names) > 1:
            raise UsageError("--output takes one --format; use --output-dir for several")
        if self.output and not self.to_stdout and self.output.is_dir():
            raise UsageError(
                f"--output {self.output}: is a folder; name a file, e.g. {self.output / 'findings.json'}, "
                "or use --output-dir"
            )

    def probe(self) -> None:
        """Every folder a file will be written in exists (created) and takes a new file."""
        self.check()
        folders: list[Path] = [p.parent for p in self.extra]
        if self.output and not self.to_stdout:
            folders.append(self.output.parent)
        elif self.names or self.output_dir:
            folders.append(self.output_dir or Path())
        for folder in dict.fromkeys(folders):
            probe_folder(folder)

    def stdout_format(self) -> ReportFormat | None:
        """The one format printed on stdout (``--output -``), if any."""
        return FORMATS[self.names[0] if self.names else "json"] if self.to_stdout else None

    def targets(self, document: FindingsDocument) -> list[tuple[Path, ReportFormat]]:
        """Every file to write for ``document``, the findings (JSON) first."""
        if self.to_stdout:
            return []
        if self.output:
            return [(self.output, FORMATS[self.names[0] if self.names else "json"])]
        if not (self.names or self.output_dir):
            return []
        folder = self.output_dir or Path()
        chosen = sorted((FORMATS[n] for n in self.names or ["json"]), key=lambda f: f.for_people)
        return [(folder / output_name(document, f), f) for f in chosen]

    def render(self, document: FindingsDocument, fmt: ReportFormat) -> str:
        return fmt.render(localised(document, self.lang) if fmt.for_people else document)


def probe_folder(folder: Path) -> None:
    """Try ``folder`` as :func:`probe_writable_folder` does, then remove the folders the probe
    created: a run that fails later (a tenant whose credentials are rejected) leaves no trace."""
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    try:
        probe_writable_folder(folder)
    except OSError as exc:
        raise OutputError(folder, f"cannot write files here: {exc.strerror or exc}") from None
    finally:
        for created in missing:  # deepest first
            try:
                created.rmdir()
            except OSError:
                break


def write_files(
    plan: OutputPlan,
    document: FindingsDocument,
    targets: Sequence[tuple[Path, ReportFormat]],
    written: list[Path],
) -> None:
    """Write each target atomically, appending it to ``written`` once complete; a failure is an
    :class:`OutputError` naming the file (and what ``written`` holds by then)."""
    for path, fmt in targets:
        try:
            fmt.write(localised(document, plan.lang) if fmt.for_people else document, path)
        except OSError as exc:
            raise OutputError(path, exc.strerror or str(exc)) from None
        written.append(path)


def findings_first(
    targets: Sequence[tuple[Path, ReportFormat]],
) -> tuple[list[tuple[Path, ReportFormat]], list[tuple[Path, ReportFormat]]]:
    """The targets split into findings (machine formats: written before the bundle) and reports."""
    return [t for t in targets if not t[1].for_people], [t for t in targets if t[1].for_people]
