"""Scenarios against a real `herald run` (gunicorn, 3 workers, one SQLite file), as in production.

The scripts live in benchmarks/ so anyone can rerun them with bigger numbers and read the figures.
"""

from __future__ import annotations

from benchmarks import concurrent_editors


def test_eight_concurrent_editors_get_no_errors():
    """8 admins PATCH, approve, archive, delete and save guidelines at once: nobody sees a 5xx."""
    result = concurrent_editors.run(editors=8, rounds=3)
    assert result["requests"] == 8 * 3 * 8
    assert result["errors_5xx"] == 0, result
    assert result["failures"] == 0, result
