"""Panel tests import the Brython modules directly: their logic does not touch `browser`.

The repo runs pytest with --import-mode=importlib, so the paths the tests need are added here.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for path in (HERE, REPO / "extension" / "panel" / "py", REPO / "extension" / "panel", REPO):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
