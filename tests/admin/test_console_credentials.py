"""The console's invite form and CSV import validate emails like the API, and refuse NUL characters."""

from __future__ import annotations

import io

from server.db import db
from server.models import User


def test_nul_in_a_form_field_is_refused(admin_console):
    resp = admin_console.post("/admin/people/invite", {"email": "nia@acme.test", "name": "Ni\x00a"})
    assert resp.status_code == 400
    with db.connection_context():
        assert not User.select().where(User.email == "nia@acme.test").exists()


def test_console_invite_form_and_csv_import_validate_emails(admin_console):
    resp = admin_console.post(
        "/admin/people/invite", {"email": "ann@acme.local", "name": "Ann"}, follow_redirects=True
    )
    assert "is not a valid email address" in resp.get_data(as_text=True)
    csv_text = "email,name\na@b,Short Domain\nok.person@acme.test,Ok\nann..lee@acme.com,Dots\n"
    resp = admin_console.post(
        "/admin/people/import",
        {"file": (io.BytesIO(csv_text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert "1 done, 2 skipped." in page
    assert "two periods in a row" in page
    with db.connection_context():
        assert [u.email for u in User.select().where(User.status == "invited")] == [
            "ok.person@acme.test"
        ]
    nul_csv = b"email,name\nann@acme.test,A\x00nn\n"
    resp = admin_console.post(
        "/admin/people/import",
        {"file": (io.BytesIO(nul_csv), "people.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "NUL characters" in resp.get_data(as_text=True)
