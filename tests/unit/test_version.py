"""One version, and no module below the package's ``__init__`` importing it."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import dingscan
from dingscan.__version__ import __version__

SOURCE = Path(dingscan.__file__).parent


def test_the_version_is_pyprojects() -> None:
    pyproject = tomllib.loads((SOURCE.parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == __version__ == dingscan.__version__


def test_no_module_of_the_package_imports_its_init() -> None:
    importers = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name != "__init__.py" or path.parent != SOURCE
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module == "dingscan" and node.level == 0
    ]
    assert importers == []
