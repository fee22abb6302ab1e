"""Registers the fixtures of report_support.py for the tests in this folder.

Helpers live in report_support.py, not here: a name imported "from conftest" is whichever folder's
conftest was imported first, so running two test folders together broke collection.
"""

from report_support import demo, hostile, workdir  # noqa: F401
