"""Must-see snippets in the console: the edit form sets the priority, the list labels it, and
nothing anywhere lists who did not share one (Herald never forces or reports sharing)."""

from __future__ import annotations

from server.db import db
from server.models import Snippet
from tests.conftest import make_user
from tests.server.test_suggestions import publish, share


def test_the_edit_form_sets_must_see_and_the_list_labels_it(admin_console, admin):
    snippet = publish(admin, "Quarterly results")
    publish(admin, "Hiring")
    form = admin_console.page(f"/admin/snippets/{snippet.id}")
    assert 'value="optional" checked' in form  # optional is the default
    resp = admin_console.post(
        f"/admin/snippets/{snippet.id}",
        {"title": "Quarterly results", "variant_x": ["Results!"], "priority": "must_see"},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with db.connection_context():
        assert Snippet.get_by_id(snippet.id).featured is True
    assert 'id="must-see" checked' in admin_console.page(f"/admin/snippets/{snippet.id}")
    listing = admin_console.page("/admin/snippets")
    row = listing[
        listing.index("Quarterly results") : listing.index(
            "</tr>", listing.index("Quarterly results")
        )
    ]
    assert "Must-see" in row
    other = listing[listing.index(">Hiring<") : listing.index("</tr>", listing.index(">Hiring<"))]
    assert "Must-see" not in other
    admin_console.post(
        f"/admin/snippets/{snippet.id}",
        {"title": "Quarterly results", "variant_x": ["Results!"], "priority": "optional"},
    )
    with db.connection_context():
        assert Snippet.get_by_id(snippet.id).featured is False


def _get_routes(app, prefix):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.rule.startswith(prefix):
            yield rule


def test_nothing_lists_who_did_not_share_a_must_see_snippet(
    client, auth, admin, admin_console, app
):
    """Herald never reports non-sharers: no API or console page about a snippet, no export, names
    the colleague who did not share a must-see snippet (or says that anyone did not)."""
    sharer = make_user("sam@acme.test", name="Sam Sharer", teams=("Engineering",))
    make_user("nina@acme.test", name="Nina Nonsharer", teams=("Engineering",))
    snippet = publish(admin, "Launch", featured=True)
    share(sharer, snippet)
    api = auth.headers("ada@acme.test")
    values = {"snippet_id": snippet.id, "id": snippet.id}
    seen = 0
    for prefix, headers in (("/api/v1/", api), ("/admin/", {})):
        for rule in _get_routes(app, prefix):
            if set(rule.arguments) - set(values):
                continue  # pages about something else (a team, a feed, a person)
            url = rule.rule
            for name in rule.arguments:
                url = url.replace(f"<int:{name}>", str(values[name])).replace(
                    f"<{name}>", str(values[name])
                )
            if url.endswith("openapi.json"):
                continue  # the API's documentation, which says that nothing lists non-sharers
            resp = client.get(url, headers=headers)
            body = resp.get_data(as_text=True).lower()
            # Directories (people, the digest preview's picker) name everyone alike; a page that
            # names the colleague who did not share but not the one who did singles them out.
            assert "nina" not in body or "sam sharer" in body, url
            assert "not shared" not in body and "non-sharer" not in body, url
            assert "didn't share" not in body and "did not share" not in body, url
            seen += resp.status_code == 200
    assert seen > 10  # the crawl really read the console and the API
