"""``python -m dingscan``."""

import sys

from dingscan.cli import main

sys.exit(main())
