"""Print the fault matrix as a Markdown table: ``python tests/faults/matrix.py``.

The matrix itself (cells, scans, judging) lives in ``fault_matrix.py``, named so that it
cannot be shadowed by (or shadow) a helper module of another test folder.
"""

from fault_matrix import main

if __name__ == "__main__":
    main()
