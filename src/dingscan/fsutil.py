"""Writing files so that a reader never sees half of one, and nobody else can read them.

Findings and bundles hold personal data and tenant weaknesses: they are created owner-only
(0600 files, 0700 folders), written to a temporary name beside the target and renamed into place,
so an interrupted scan leaves either the old file or the new one, never a torn one.

Only a regular file is ever replaced. Renaming over ``/dev/stdout``, ``/dev/null`` or a FIFO that
a SIEM agent reads would put a private file in its place (as root, the system's ``/dev/null``),
so character devices and FIFOs are written through instead; a symbolic link is followed and its
target replaced, so the link keeps pointing at it; anything else is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


class NotAFileToReplace(OSError):
    """The output path is a folder, a block device or a socket: dingscan never replaces those."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """``data`` as the whole content of ``path``: atomically for a regular file (or a link to one),
    straight through for a character device or FIFO (see the module's docstring)."""
    target = Path(os.path.realpath(path))  # every link followed; a loop fails below with ELOOP
    mode = _mode_of(target)
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        _write_through(target, data)
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise NotAFileToReplace(
            errno.EEXIST, "exists and is not a regular file, a character device or a FIFO", str(path)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    tmp = Path(name)  # mkstemp creates it 0600: owner-only from the first byte
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` (links followed) is a regular file: one that can be read back without
    blocking (a FIFO) or reading forever (``/dev/zero``)."""
    mode = _mode_of(path)
    return mode is not None and stat.S_ISREG(mode)


def _mode_of(path: Path) -> int | None:
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None


def _write_through(target: Path, data: bytes) -> None:
    """Into a device or FIFO as it is (a FIFO waits here for its reader, as ``>`` would)."""
    fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """A private staging folder that becomes ``path`` only if the block completes.

    ``path`` must not exist yet (or be an empty folder): a bundle is never merged into another.
    """
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FileExistsError(f"{path} already exists and is not an empty folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    try:
        yield staging
        if path.exists():
            path.rmdir()
        staging.replace(path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def probe_writable_folder(folder: Path) -> None:
    """Raise :class:`OSError` now, rather than after a long scan, if files cannot be created in
    ``folder`` (created if missing). Tries it, since permission bits do not tell (root, ACLs)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be (mkdir says "exists")
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None
    Path(tempfile.mkdtemp(prefix=".dingscan-probe.", dir=folder)).rmdir()
