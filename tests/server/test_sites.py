"""Site adapters from the company server (issue 13 §1): the schema, GET /sites with a strong ETag,
uploads refused with every problem in the one error shape, rollback, what extensions report, and
the console page."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from server.schemas import errors_for
from tests.server.test_mail import console_login

SITES = Path(__file__).resolve().parents[2] / "extension" / "sites"


def built_in(network: str) -> dict:
    return json.loads((SITES / f"{network}.json").read_text(encoding="utf-8"))


def newer(network: str, version: int, **changes) -> dict:
    adapter = copy.deepcopy(built_in(network))
    adapter["version"] = version
    adapter.update(changes)
    return adapter


@pytest.fixture
def admin_headers(auth, admin):
    return auth.headers(admin.email)


@pytest.fixture
def employee_headers(auth, employee):
    return auth.headers(employee.email)


@pytest.mark.parametrize("network", ["linkedin", "x"])
def test_built_in_adapters_match_the_schema(network):
    assert errors_for("sites/adapter", built_in(network)) == []


def test_the_schema_refuses_what_is_not_data():
    bad = newer("x", 2, on_load="alert(1)")  # no room for code: unknown keys are refused
    bad["composer"]["editable"] = []
    found = {e["path"]: e["message"] for e in errors_for("sites/adapter", bad)}
    assert "/composer/editable" in found and "/" in found


def test_sites_serves_built_in_adapters_with_a_strong_etag_and_304(client, employee_headers):
    resp = client.get("/api/v1/sites", headers=employee_headers)
    assert resp.status_code == 200
    assert resp.get_json()["sites"] == {"linkedin": built_in("linkedin"), "x": built_in("x")}
    etag = resp.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get("/api/v1/sites", headers={**employee_headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/v1/sites").status_code == 401


def test_upload_changes_the_etag_and_serves_the_new_version(
    client, admin_headers, employee_headers
):
    etag = client.get("/api/v1/sites", headers=employee_headers).headers["ETag"]
    adapter = newer("x", 2)
    adapter["composer"]["editable"] = ["[data-testid='composeBox_0'][contenteditable='true']"]
    resp = client.post("/api/v1/sites", json=adapter, headers=admin_headers)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json() == {"network": "x", "version": 2, "active": True}
    stale = client.get("/api/v1/sites", headers={**employee_headers, "If-None-Match": etag})
    assert stale.status_code == 200 and stale.headers["ETag"] != etag
    assert stale.get_json()["sites"]["x"] == adapter
    assert stale.get_json()["sites"]["linkedin"] == built_in("linkedin")
    # Employees may read but never upload.
    assert (
        client.post("/api/v1/sites", json=newer("x", 3), headers=employee_headers).status_code
        == 403
    )


def test_upload_lists_every_problem_in_the_one_error_shape(client, admin_headers):
    bad = newer("linkedin", 2, limit="3000")
    del bad["composer"]["post_button"]
    bad["insert"]["method"] = "eval"
    resp = client.post("/api/v1/sites", json=bad, headers=admin_headers)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_failed"
    paths = {d["path"] for d in error["details"]}
    assert {"/limit", "/composer", "/insert/method"} <= paths
    # Not newer than what extensions already have: refused, saying what the floor is.
    same = client.post("/api/v1/sites", json=newer("linkedin", 1), headers=admin_headers)
    assert same.status_code == 422
    assert same.get_json()["error"]["details"] == [
        {
            "path": "/version",
            "message": "must be greater than 1, the highest version for linkedin so far",
        }
    ]
    assert client.get("/api/v1/sites", headers=admin_headers).get_json()["sites"][
        "linkedin"
    ] == built_in("linkedin")


def test_rollback_to_an_earlier_version_and_to_the_built_in_one(client, admin_headers):
    for version in (2, 3):
        resp = client.post(
            "/api/v1/sites", json=newer("x", version, limit=270 + version), headers=admin_headers
        )
        assert resp.status_code == 201
    served = lambda: client.get("/api/v1/sites", headers=admin_headers).get_json()["sites"]["x"]  # noqa: E731
    assert served()["version"] == 3
    resp = client.post("/api/v1/sites/x/activate", json={"version": 2}, headers=admin_headers)
    assert resp.get_json() == {"network": "x", "version": 2, "active": True}
    assert served() == newer("x", 2, limit=272)
    resp = client.post("/api/v1/sites/x/activate", json={"version": None}, headers=admin_headers)
    assert resp.get_json()["version"] == 1 and served() == built_in("x")
    missing = client.post("/api/v1/sites/x/activate", json={"version": 9}, headers=admin_headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    # A rolled-back number is never reused: the next upload must go past 3.
    assert (
        client.post("/api/v1/sites", json=newer("x", 3), headers=admin_headers).status_code == 422
    )


def test_reports_keep_the_last_state_per_installation(client, app, employee, employee_headers):
    from server.models import AdapterReport

    report = {
        "installation": "c0ffee00-1234",
        "extension_version": "0.1.0",
        "adapters": {"linkedin": 1, "x": 2},
    }
    assert (
        client.post("/api/v1/sites/report", json=report, headers=employee_headers).status_code
        == 204
    )
    refused = {
        **report,
        "refused": {
            "network": "x",
            "version": 3,
            "errors": ["$.limit: expected integer, got string"],
        },
    }
    assert (
        client.post("/api/v1/sites/report", json=refused, headers=employee_headers).status_code
        == 204
    )
    assert (
        client.post("/api/v1/sites/report", json=report, headers=employee_headers).status_code
        == 204
    )
    rows = list(AdapterReport.select())
    assert len(rows) == 1
    assert rows[0].adapters == {"linkedin": 1, "x": 2}
    assert (
        rows[0].refused["version"] == 3
        and rows[0].refused["errors"] == refused["refused"]["errors"]
    )
    bad = client.post(
        "/api/v1/sites/report", json={**report, "installation": "x"}, headers=employee_headers
    )
    assert (
        bad.status_code == 422 and bad.get_json()["error"]["details"][0]["path"] == "/installation"
    )


def test_console_page_upload_errors_keep_the_text_and_rollback(
    client, admin, employee, employee_headers
):
    csrf = console_login(client)
    page = client.get("/admin/sites").get_data(as_text=True)
    assert "Version 1" in page and "built into the extension" in page
    assert "No extension has reported yet" in page

    typed = json.dumps(newer("x", 2, limit="many"), indent=2)
    resp = client.post("/admin/sites/upload", data={"adapter": typed, "csrf_token": csrf})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "This adapter was not uploaded" in html and "/limit" in html
    assert "&#34;many&#34;" in html or "&quot;many&quot;" in html  # the typed text is kept

    broken = client.post(
        "/admin/sites/upload", data={"adapter": '{"network": "x",', "csrf_token": csrf}
    )
    assert broken.status_code == 422 and "Not valid JSON" in broken.get_data(as_text=True)

    from io import BytesIO

    good = json.dumps(newer("x", 2)).encode()
    resp = client.post(
        "/admin/sites/upload",
        data={"adapter": "", "adapter_file": (BytesIO(good), "x.json"), "csrf_token": csrf},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert "Version 2 of the X adapter is live" in html
    assert "Roll back to this" in html

    client.post(
        "/api/v1/sites/report",
        json={
            "installation": "feedbeef-0001",
            "extension_version": "0.1.0",
            "adapters": {"linkedin": 1, "x": 1},
        },
        headers=employee_headers,
    )
    resp = client.post(
        "/admin/sites/x/activate", data={"version": "", "csrf_token": csrf}, follow_redirects=True
    )
    html = resp.get_data(as_text=True)
    assert "The X adapter built into the extension is back in use." in html
    assert employee.name in html and "installation feedbeef" in html


def test_console_upload_problems_are_said_in_the_admins_language(client, admin):
    """The console says each schema problem in the admin's words (the API keeps jsonschema's
    English for programs): a wrong type, an unknown field, a missing one, an old version."""
    csrf = console_login(client)
    client.post("/admin/language", data={"language": "ru", "next": "/admin/", "csrf_token": csrf})
    adapter = newer("x", 2, limit="many")
    adapter["colour"] = "red"
    del adapter["label"]
    resp = client.post(
        "/admin/sites/upload", data={"adapter": json.dumps(adapter), "csrf_token": csrf}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Должно быть целым числом." in html  # /limit: "many"
    assert "Неизвестное поле: colour." in html
    assert "Не хватает поля label." in html
    assert "is not of type" not in html and "required property" not in html

    old = client.post(
        "/admin/sites/upload", data={"adapter": json.dumps(newer("x", 1)), "csrf_token": csrf}
    ).get_data(as_text=True)
    assert "Должна быть больше 1, самой высокой версии для X до сих пор." in old
