"""Bring every translation catalogue (src/dingscan/locales/*.po) in line with the texts dingscan shows.

Run after changing a user-facing text or adding a check: new texts appear with an empty translation
(the completeness test names them until a translator fills them in); texts no longer used are dropped.

    python scripts/update_catalogue.py [LANG ...]     # default: every existing catalogue
"""

from __future__ import annotations

import sys

from dingscan.catalogue import update
from dingscan.engine import load_checks
from dingscan.i18n import SOURCE_LANGUAGE, languages


def main(langs: list[str]) -> None:
    checks = load_checks(plugins=False)
    for lang in langs or [lang for lang in languages() if lang != SOURCE_LANGUAGE]:
        print(f"updated {update(lang, checks)}")


if __name__ == "__main__":
    main(sys.argv[1:])
