"""Scenarios against a real `herald run` (gunicorn, 3 workers, one SQLite file), as in production.

The scripts live in benchmarks/ so anyone can rerun them with bigger numbers and read the figures.
"""

from __future__ import annotations

import pytest

from benchmarks import concurrent_editors, lockout_scenario, share_kill_rounds
from tests.conftest import TEST_HASH_METHOD


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """`herald create-user` and sign-ins in the served processes hash as the rest of the suite
    does; benchmarks run by hand keep production's scrypt."""
    monkeypatch.setenv("HERALD_PASSWORD_HASH_METHOD", TEST_HASH_METHOD)


def test_eight_concurrent_editors_get_no_errors():
    """8 admins PATCH, approve, archive, delete and save guidelines at once: nobody sees a 5xx."""
    result = concurrent_editors.run(editors=8, rounds=3)
    assert result["requests"] == 8 * 3 * 8
    assert result["errors_5xx"] == 0, result
    assert result["failures"] == 0, result


def test_forty_concurrent_wrong_logins_are_all_counted_and_colleagues_still_sign_in():
    """40 simultaneous wrong passwords for one account from one address (a NAT): exactly the
    limit's worth of passwords is checked, the rest are refused, nothing fails; the victim's
    account is locked at that address while a colleague there signs in, even after a spray."""
    r = lockout_scenario.run(guesses=40, spray=20)
    assert r["errors_5xx"] == 0, r
    assert r["passwords_checked"] == 5, r  # LOGIN_MAX_FAILURES: not one guess more
    assert r["refused_by_throttle"] == 35, r
    assert r["failures_recorded"] == 5, r
    assert r["colleague_same_address"] == 200, r
    assert r["victim_right_password"] == 429, r
    assert 0 < int(r["victim_retry_after"]) <= 900, r
    assert r["spray_statuses"] == {401: 20}, r
    assert r["colleague_after_spray"] == 200, r


def test_share_events_survive_kill_9_rounds_none_lost_none_doubled():
    """Three SIGKILLs of the whole server mid-burst while employees' queues keep sending (and
    resending what got no answer): every event is stored exactly once."""
    r = share_kill_rounds.run(events=3000, rounds=3, clients=4)
    assert len(r["killed_after"]) == 3 and all(0 < k < 3000 for k in r["killed_after"]), r
    assert r["retried_batches"] > 0, r  # the kills really cut requests off
    assert r["answered"] == 3000, r
    assert (r["lost"], r["doubled"], r["unknown_rows"]) == (0, 0, 0), r
    assert r["stored_rows"] == 3000, r
