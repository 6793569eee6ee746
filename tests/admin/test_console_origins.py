"""Extension origins in Settings are checked exactly, not by prefix, and only those reach CORS."""

from __future__ import annotations

import pytest

from server.db import db
from server.settings import is_extension_origin, set_setting

CHROME = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0b3c2f5e-8d6a-4c1e-9f2b-7a5d3e1c9b40"

NOT_ORIGINS = [
    "chrome-extension://abcdefghijklmnopabcdefghijklmnop.evil.test",
    "chrome-extension://abcdefghijklmnopabcdefghijklmno",  # 31 letters
    "chrome-extension://abcdefghijklmnopabcdefghijklmnoq",  # q is not a-p
    "chrome-extension://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP",
    "chrome-extension://abcdefghijklmnopabcdefghijklmnop/path",
    "moz-extension://0b3c2f5e-8d6a-4c1e-9f2b-7a5d3e1c9b4",
    "moz-extension://0b3c2f5e-8d6a-4c1e-9f2b-7a5d3e1c9b40.evil.test",
    "moz-extension://not-a-uuid",
    "https://evil.test",
    "http://localhost:5000",
    "chrome-extension://",
]


def form(origins: str) -> dict:
    return {
        "program_name": "Herald",
        "program_tagline": "",
        "default_expiry_days": "180",
        "extension_origins": origins,
        "emv_currency": "USD",
        **{f"{n}_{k}": "1" for n in ("linkedin", "x") for k in ("cpm", "cpc", "avg_audience")},
    }


def test_exact_chrome_and_firefox_origins_are_saved(admin_console, client):
    resp = admin_console.post(
        "/admin/settings", form(f"{CHROME}\n{FIREFOX}/\n"), follow_redirects=True
    )
    assert "Settings saved." in resp.get_data(as_text=True)
    for origin in (CHROME, FIREFOX):
        cors = client.get("/api/v1/program", headers={"Origin": origin})
        assert cors.headers.get("Access-Control-Allow-Origin") == origin


@pytest.mark.parametrize("origin", NOT_ORIGINS)
def test_lookalike_origins_are_refused(admin_console, origin):
    resp = admin_console.post("/admin/settings", form(f"{CHROME}\n{origin}\n"))
    assert resp.status_code == 422
    assert "is not an extension origin" in resp.get_data(as_text=True)
    assert not is_extension_origin(origin)


def test_cors_ignores_bad_origins_saved_before_the_check(app, client):
    with app.app_context(), db.connection_context():
        set_setting("extension_origins", ["https://evil.test", CHROME])
    bad = client.get("/api/v1/program", headers={"Origin": "https://evil.test"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    good = client.get("/api/v1/program", headers={"Origin": CHROME})
    assert good.headers.get("Access-Control-Allow-Origin") == CHROME
