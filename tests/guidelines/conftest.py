from __future__ import annotations

import sys
from pathlib import Path

import pytest

# test modules import gl_support by name whatever pytest's import mode
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def starter_compiled() -> dict:
    import guidelines

    return guidelines.compile_policy(guidelines.load_starter_policy())
