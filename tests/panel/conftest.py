"""Panel tests import the Brython modules directly: their logic does not touch `browser`."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PANEL_PY = REPO / "extension" / "panel" / "py"
for path in (str(PANEL_PY), str(REPO / "extension" / "panel"), str(REPO)):
    if path not in sys.path:
        sys.path.insert(0, path)
