"""Registers the fixtures of fleet_support.py for the tests in this folder.

Helpers live in fleet_support.py, not here: a name imported "from conftest" is whichever folder's
conftest was imported first, so running two test folders together broke collection.
"""

from fleet_support import fleet_of_three  # noqa: F401
