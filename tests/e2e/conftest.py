"""Registers the fixtures of e2e_support.py for the tests in this folder.

Helpers live in e2e_support.py, not here: a name imported "from conftest" is whichever folder's
conftest was imported first, so running two test folders together broke collection.
"""

from e2e_support import emulator, tenant  # noqa: F401
