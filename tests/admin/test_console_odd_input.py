"""Console forms and query strings with odd numbers: a form error or the default, never a 500."""

from __future__ import annotations

import pytest

HUGE = 2**63


def test_console_import_with_a_bad_first_line_is_a_422(admin_console):
    for first_line in ("two", HUGE, -1, None):
        resp = admin_console.client.post(
            "/admin/people/import",
            json={"rows": [{"email": "new@acme.test"}], "first_line": first_line},
            headers={"X-CSRF-Token": admin_console.token(), "Accept": "application/json"},
        )
        assert resp.status_code == 422, (first_line, resp.data[:200])
        assert resp.get_json()["error"]["code"] == "invalid_chunk"


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/snippets?page={HUGE}",
        f"/admin/snippets?campaign={HUGE}&team={HUGE}",
        f"/admin/people?page={HUGE}",
        f"/admin/audit?page={HUGE}",
        f"/admin/campaigns?edit={HUGE}",
    ],
)
def test_console_pages_ignore_numbers_past_the_range(admin_console, path):
    assert admin_console.client.get(path).status_code == 200


def test_console_form_with_an_odd_number_is_a_400(admin_console):
    resp = admin_console.post(
        "/admin/snippets/new",
        {"title": "t", "variant_linkedin": "a", "campaign_id": "¹"},
    )
    assert resp.status_code in (400, 422)
    resp = admin_console.post(
        "/admin/snippets/new",
        {"title": "t", "variant_linkedin": "a", "campaign_id": str(HUGE)},
    )
    assert resp.status_code in (400, 422)
