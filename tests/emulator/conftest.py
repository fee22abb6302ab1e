"""Registers the fixtures of emulator_support.py for the tests in this folder.

Helpers live in emulator_support.py, not here: a name imported "from conftest" is whichever folder's
conftest was imported first, so running two test folders together broke collection.
"""

from emulator_support import dt, emu, http, serve  # noqa: F401
