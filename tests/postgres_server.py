"""A throwaway PostgreSQL server on loopback, from Debian's binaries, for the state tests.

No mock: the PostgreSQL store's locking and transactions are what is under test. The cluster
lives in a temporary folder (its unix socket too), listens on 127.0.0.1 on a free port, trusts
loopback (nothing secret in it), and runs without fsync (a test cluster need not survive a
crash). PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg

USER = "dingscan"


def binaries() -> Path | None:
    """The newest installed server's bin folder (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    owner: str | None  # the user it runs as, when started by root

    @classmethod
    def start(cls, bin_dir: Path) -> PostgresServer:
        owner = "postgres" if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="dingscan-pg-"))
        if owner:
            entry = pwd.getpwnam(owner)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(bin_dir, folder, _free_port(), owner)
        data = folder / "data"
        server._run("initdb", "-D", str(data), "-U", USER, "-A", "trust", "--no-sync", "-E", "UTF8")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        server._run("pg_ctl", "start", "-w", "-D", str(data), "-l", str(folder / "log"), "-o", options)
        return server

    def _run(self, program: str, *args: str) -> None:
        command: Sequence[str] = [str(self.bin / program), *args]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)  # noqa: S603

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str) -> str:
        """An empty database (the state tests each get their own); its URL."""
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-D", str(self.folder / "data"), "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
