"""Vendor the OCSF schema source files that Compliance Finding (class 2003) needs, for offline tests.

Run from the project root with a clone of https://github.com/ocsf/ocsf-schema:
    python scripts/vendor_ocsf_schema.py PATH/TO/ocsf-schema [TAG]   (default tag 1.5.0)
It copies, byte for byte, every file the test-side compiler (tests/ocsf_jsonschema.py) reads,
plus the schema's LICENSE, into tests/data/ocsf-1.5.0/ (replacing what is there).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ocsf_jsonschema import VENDORED, Compiler  # noqa: E402


def main(repo: str, tag: str = "1.5.0") -> int:
    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=False)  # noqa: S603, S607

    def show(path: str) -> bytes:
        result = git("show", f"{tag}:{path}")
        if result.returncode:
            raise FileNotFoundError(path)
        return result.stdout

    def source(path: str) -> dict[str, Any]:
        return json.loads(show(path))  # type: ignore[no-any-return]

    compiler = Compiler(source)
    compiler.event_class("events/findings/compliance_finding.json")
    commit = git("rev-parse", f"{tag}^{{commit}}").stdout.decode().strip()
    shutil.rmtree(VENDORED, ignore_errors=True)
    for path in [*sorted(compiler.read), "LICENSE"]:
        target = VENDORED / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(show(path))
    (VENDORED / "SOURCE").write_text(f"https://github.com/ocsf/ocsf-schema tag {tag} commit {commit}\n")
    print(
        f"vendored {len(compiler.read)} files of OCSF {tag} ({commit[:12]}) into {VENDORED.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
