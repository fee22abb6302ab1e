"""dingscan's version, in a module of its own (as httpx keeps it): every module that needs it
imports it from here, never from the package ``__init__``, so the import order of the package
carries no weight. Kept equal to ``pyproject.toml``'s version (tests/unit/test_version.py)."""

__version__ = "0.1.0"
