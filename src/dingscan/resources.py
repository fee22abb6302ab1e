"""Files that ship with dingscan: the built-in check pack and the demo fixtures.

In a wheel they live under ``dingscan/_packaged/``; in a source checkout (editable install,
tests) they are the project's top-level folders. One function hides the difference.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def packaged_path(relative: str) -> Path:
    installed = _PACKAGE_DIR / "_packaged" / relative
    if installed.exists():
        return installed
    return _PACKAGE_DIR.parents[1] / relative
