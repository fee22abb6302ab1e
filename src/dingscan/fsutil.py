"""Writing files so that a reader never sees half of one, and nobody else can read them.

Findings and bundles hold personal data and tenant weaknesses: they are created owner-only
(0600 files, 0700 folders), written to a temporary name beside the target and renamed into place,
so an interrupted scan leaves either the old file or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    tmp = Path(name)  # mkstemp creates it 0600: owner-only from the first byte
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
