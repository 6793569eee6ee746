"""CSV exports: streamed, attachment headers, only the period, formula injection defused."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

from server.admin.exports import safe_cell
from server.models import utcnow
from tests.admin.conftest import add_clicks, add_share, add_snippet
from tests.conftest import make_user


def _rows(resp) -> list[list[str]]:
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))


def test_safe_cell_prefixes_formula_starts():
    assert [safe_cell(v) for v in ("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "plain", None, 3)] == [
        "'=1+1",
        "'+SUM(A1)",
        "'-2",
        "'@cmd",
        "'\tx",
        "plain",
        "",
        "3",
    ]


def test_shares_export_streams_the_period_as_csv(admin_console):
    today = utcnow().date()
    noon = datetime.combine(today - timedelta(days=1), time(12))
    user = make_user("mal@acme.test", name='=HYPERLINK("http://evil.test")')
    snippet = add_snippet("@launch +1")
    add_share(
        user, "linkedin", noon, snippet, findings=[{"rule": "no-guarantees", "severity": "error"}]
    )
    add_share(user, "x", noon - timedelta(days=40), snippet)  # outside the period
    resp = admin_console.client.get(
        f"/admin/exports/shares.csv?from={(today - timedelta(days=7)).isoformat()}&to={today.isoformat()}"
    )
    assert resp.status_code == 200
    assert resp.is_streamed
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="herald-shares-')
    rows = _rows(resp)
    assert rows[0][:4] == ["shared_at", "email", "name", "network"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["name"] == '\'=HYPERLINK("http://evil.test")'
    assert row["snippet_title"] == "'@launch +1"
    assert row["findings"] == "no-guarantees"
    assert row["network"] == "linkedin"


def test_clicks_export(admin_console):
    today = utcnow().date()
    user = make_user("cat@acme.test")
    snippet = add_snippet("Clicky")
    add_clicks(user, snippet, datetime.combine(today, time(9)), 2, referrer="lnkd.in")
    resp = admin_console.client.get("/admin/exports/clicks.csv")
    rows = _rows(resp)
    assert rows[0] == [
        "clicked_at",
        "link_code",
        "email",
        "snippet_id",
        "snippet_title",
        "target_url",
        "referrer_host",
        "browser",
        "counted",
    ]
    assert [r[2] for r in rows[1:]] == ["cat@acme.test", "cat@acme.test"]
    assert rows[1][4] == "Clicky" and rows[1][6] == "lnkd.in"


def test_exports_page_and_bad_period(admin_console):
    assert "Download shares.csv" in admin_console.page("/admin/exports")
    resp = admin_console.client.get(
        "/admin/exports/shares.csv?from=nope", headers={"Accept": "application/json"}
    )
    assert resp.status_code == 422


def test_each_personal_data_download_is_in_the_audit_log(admin_console, admin):
    from server.db import db
    from server.models import AuditEntry

    admin_console.client.get("/admin/exports/shares.csv?from=2026-01-01&to=2026-01-31")
    admin_console.client.get("/admin/exports/clicks.csv")
    with db.connection_context():
        entries = list(
            AuditEntry.select()
            .where(AuditEntry.action == "export.download")
            .order_by(AuditEntry.id)
        )
    assert [(e.object_id, e.actor_id) for e in entries] == [
        ("shares.csv", admin.id),
        ("clicks.csv", admin.id),
    ]
    assert entries[0].after == {"filters": {"from": "2026-01-01", "to": "2026-01-31"}}
    assert entries[0].at is not None
    page = admin_console.page("/admin/audit?type=export")
    assert page.count("export.download") == 2
    assert "Ada Admin" in page and "2026-01-31" in page and "shares.csv" in page


def test_a_refused_download_is_not_logged(admin_console):
    from server.db import db
    from server.models import AuditEntry

    resp = admin_console.client.get("/admin/exports/shares.csv?from=2026-02-01&to=2026-01-01")
    assert resp.status_code != 200
    with db.connection_context():
        assert AuditEntry.select().where(AuditEntry.action == "export.download").count() == 0
