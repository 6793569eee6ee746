def test_login_and_me(client, auth, employee):
    headers = auth.headers("eve@acme.test")
    resp = client.get("/api/v1/me", headers=headers)
    assert resp.status_code == 200
    assert resp.get_json()["teams"] == [{"id": 1, "name": "Engineering"}]
