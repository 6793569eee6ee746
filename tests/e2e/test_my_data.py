"""End-to-end: "What Herald records" shows the employee's own records from the server
(GET /api/v1/me/data through the worker) and downloads them as JSON from the sandboxed page."""

from __future__ import annotations

import http.client
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from e2e_support import ADMIN, EMPLOYEE, poll

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def share(snippet_id: int) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "network": "linkedin",
        "snippet_id": snippet_id,
        "variant": 0,
        "edited": True,
        "edit_distance": 5,
        "findings": [],
        "shared_at": now(),
    }


def visit(live_server, code: str, agent: str) -> None:
    """One visit to /r/<code>, without following the redirect (no internet here)."""
    con = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    con.request("GET", f"/r/{code}", headers={"User-Agent": agent})
    assert con.getresponse().status == 302
    con.close()


@pytest.fixture(scope="module")
def records(signed_in, live_server):
    """Erin shared a linked snippet (and sent one forged event); her link had visitors."""
    admin = live_server.login(ADMIN)
    linked = live_server.api(
        "POST",
        "/snippets",
        {
            "title": "Pricing page",
            "variants": {"linkedin": ["Our new pricing"], "x": ["New pricing"]},
            "link_url": "https://acme.test/pricing",
        },
        admin,
    )
    live_server.api("POST", f"/snippets/{linked['id']}/approve", {}, admin)
    draft = live_server.api(
        "POST", "/snippets", {"title": "Unreleased", "variants": {"x": ["Soon"]}}, admin
    )
    erin = live_server.login(EMPLOYEE)
    good, forged = share(linked["id"]), share(draft["id"])
    live_server.api("POST", "/shares", {"events": [good, forged]}, erin)
    items = live_server.api("GET", "/suggestions?network=linkedin&per_page=100", token=erin)[
        "items"
    ]
    [item] = [i for i in items if i["id"] == linked["id"]]
    code = item["link"].rsplit("/r/", 1)[1]
    for agent in (CHROME, CHROME, "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient)"):
        visit(live_server, code, agent)
    return {"good": good, "forged": forged}


def shoot(page, frame, name: str) -> None:
    """The whole options page: its iframe is one viewport tall, so make the viewport fit it."""
    height = frame.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 900, "height": height + 40})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def my_data_frame(signed_in):
    page, frame = signed_in.open_options()
    poll(lambda: frame.locator("#my-shares").count(), timeout=20, message="my shares table")
    return page, frame


def test_options_page_shows_my_records_from_the_server(signed_in, live_server, records):
    page, frame = my_data_frame(signed_in)
    try:
        text = frame.locator("#my-data").text_content() or ""
        assert "Clicks on your tracked links are tied to you." in text
        shares = frame.locator("#my-shares").text_content() or ""
        assert "Pricing page" in shares and "Unreleased" in shares
        assert "No: the suggestion was not approved at that time" in shares
        links = frame.locator("#my-links").text_content() or ""
        assert "1 counted · 1 repeat visits · 1 bots and previews" in links
        exports = frame.locator("#my-exports").text_content() or ""
        assert "shares.csv" in exports and "clicks.csv" in exports and "names you" in exports
        assert "You do not appear on the leaderboard: you have not opted in." in text
        for bad in ("None", "undefined", "[object Object]"):
            assert bad not in text, text
        shoot(page, frame, "options-my-data-en.png")
    finally:
        page.close()


def test_download_my_data_saves_the_servers_json(signed_in, live_server, records, tmp_path):
    page, frame = my_data_frame(signed_in)
    try:
        with page.expect_download(timeout=15000) as info:
            frame.locator("#download-my-data").click()
        download = info.value
        assert download.suggested_filename.startswith("herald-my-data-")
        assert download.suggested_filename.endswith(".json")
        target = tmp_path / download.suggested_filename
        download.save_as(str(target))
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["profile"]["email"] == EMPLOYEE
        ids = {s["event_id"] for s in data["shares"]}
        assert {records["good"]["event_id"], records["forged"]["event_id"]} <= ids
        stored = [s for s in live_server.shares() if s["event_id"] in ids]
        assert len(stored) == len(data["shares"])  # every one of mine, nobody else's
        poll(
            lambda: (frame.locator("#download-status").text_content() or "") == "Downloaded.",
            message="'Downloaded.'",
        )
    finally:
        page.close()


def test_my_records_in_thai(signed_in, live_server, records):
    page, frame = my_data_frame(signed_in)
    try:
        frame.locator("#language").select_option("th")
        poll(
            lambda: "ข้อมูลของคุณบนเซิร์ฟเวอร์" in (frame.locator("#my-data").text_content() or ""),
            message="Thai records heading",
        )
        poll(lambda: frame.locator("#my-shares").count(), message="Thai shares table")
        text = frame.locator("#my-data").text_content() or ""
        assert "ดาวน์โหลดข้อมูลของฉัน (JSON)" in text
        assert "ไม่นับ: โพสต์แนะนำยังไม่ได้รับอนุมัติในเวลานั้น" in text
        shoot(page, frame, "options-my-data-th.png")
    finally:
        frame.locator("#language").select_option("en")
        poll(
            lambda: (
                "Your records on the server" in (frame.locator("#my-data").text_content() or "")
            ),
            message="back to English",
        )
        page.close()
