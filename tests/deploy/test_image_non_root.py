"""The Dockerfile's steps without a Docker engine: build the wheel the image installs, install it
into a fresh virtual environment, and run the image's entrypoint as a non-root user in a
read-only working directory where only an ``/out``-like and a ``/state``-like folder are writable.

The fresh environment gets the wheel without its dependencies, which it borrows from the test
environment's site-packages (a ``.pth`` line) when the non-root user may read them: installing
them from an index again would test pip, not dingscan, and the point is that dingscan runs from
the wheel alone (packaged checks, demo). Where it may not, they are installed from the index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dingscan.exitcodes import ExitCode

ROOT = Path(__file__).parents[2]
NOBODY = 65534


def as_non_root(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]  # noqa: S603


def usable_python() -> str:
    """A Python of this version the non-root user may run (pyenv under /root is not one)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys._base_executable, f"/usr/bin/python{version}", "/usr/bin/python3"):  # type: ignore[attr-defined]
        probe = run(
            as_non_root(
                [candidate, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"]
            )
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    pytest.fail(f"no Python {version} that a non-root user can run")


@pytest.fixture(scope="module")
def image_root() -> Iterator[Path]:
    """A world-traversable folder (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="dingscan-image-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_wheel_runs_as_non_root_with_read_only_working_dir(image_root: Path) -> None:
    wheels = image_root / "wheels"
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ]
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("dingscan-*.whl")

    venv = image_root / "venv"
    assert run([usable_python(), "-m", "venv", str(venv)]).returncode == 0
    python = venv / "bin" / "python"
    site = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    )
    borrowed = sysconfig.get_path("purelib")
    if run(as_non_root([str(python), "-c", f"import os; os.listdir({borrowed!r})"])).returncode == 0:
        (site / "test-dependencies.pth").write_text(borrowed + "\n")
        installed = run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)])
    else:  # the test environment is private to its owner (a checkout under /root): install them
        installed = run([str(python), "-m", "pip", "install", "-q", str(wheel)])
    assert installed.returncode == 0, installed.stderr

    workdir, out, state = image_root / "app", image_root / "out", image_root / "state"
    for folder in (out, state):
        folder.mkdir(mode=0o700)
        if os.geteuid() == 0:
            os.chown(folder, NOBODY, NOBODY)
    workdir.mkdir()
    workdir.chmod(0o555)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(state), "PYTHONDONTWRITEBYTECODE": "1"}
    where = run(
        as_non_root([str(python), "-c", "import dingscan; print(dingscan.__file__)"]), cwd=workdir, env=env
    )
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr  # the wheel, not the checkout

    # The image's ENTRYPOINT ["dingscan"] with CMD ["demo"], writing reports to the /out-like folder.
    result = run(
        as_non_root([str(venv / "bin" / "dingscan"), "demo", "--output-dir", str(out), "--format", "json"]),
        cwd=workdir,
        env=env,
    )
    assert result.returncode == ExitCode.OK, result.stderr  # the demo replayed as recorded
    assert "Traceback" not in result.stderr
    assert [p.suffix for p in out.iterdir()] == [".json"]
    assert list(workdir.iterdir()) == []
