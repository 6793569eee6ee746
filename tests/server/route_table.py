"""Who may call each route: (rule, method) -> "public" | "employee" | "admin".

Every route of the app except static files must be listed: tests/server/test_route_access.py fails,
naming the missing rows, when a route is not, and walks each row as an anonymous caller, an
employee and an admin. When you add a route, add its row here with the level you mean it to have.

- public: anyone, signed in or not (sign-in, invitation accept, branding, tracked-link redirect).
- employee: any signed-in user; anonymous callers get 401 (the console: a redirect to sign-in).
- admin: admins only; employees get 403.
"""

from __future__ import annotations

ROUTES: dict[tuple[str, str], str] = {
    # --- API: auth and self ---
    ("/api/v1/auth/login", "POST"): "public",
    ("/api/v1/auth/refresh", "POST"): "public",
    ("/api/v1/auth/logout", "POST"): "public",  # works with an expired access token
    ("/api/v1/me", "GET"): "employee",
    ("/api/v1/me", "PATCH"): "employee",
    ("/api/v1/me/data", "GET"): "employee",
    ("/api/v1/program", "GET"): "public",
    ("/api/v1/auth/oidc", "GET"): "public",  # is single sign-on on, and the provider's name
    ("/api/v1/auth/oidc/start", "POST"): "public",
    (
        "/api/v1/auth/oidc/exchange",
        "POST",
    ): "public",  # transaction, state and code are the credential
    ("/api/v1/openapi.json", "GET"): "public",
    # --- API: people ---
    ("/api/v1/users", "GET"): "admin",
    ("/api/v1/users/<int:user_id>", "GET"): "admin",
    ("/api/v1/users/<int:user_id>", "PATCH"): "admin",
    ("/api/v1/teams", "GET"): "admin",
    ("/api/v1/teams", "POST"): "admin",
    ("/api/v1/teams/<int:team_id>", "GET"): "admin",
    ("/api/v1/teams/<int:team_id>", "PATCH"): "admin",
    ("/api/v1/teams/<int:team_id>", "DELETE"): "admin",
    ("/api/v1/teams/<int:team_id>/members", "POST"): "admin",
    ("/api/v1/teams/<int:team_id>/members/<int:user_id>", "DELETE"): "admin",
    ("/api/v1/teams/<int:team_id>/chat", "GET"): "admin",
    ("/api/v1/teams/<int:team_id>/chat/<any(slack, teams):service>", "PUT"): "admin",
    ("/api/v1/teams/<int:team_id>/chat/<any(slack, teams):service>", "DELETE"): "admin",
    ("/api/v1/teams/<int:team_id>/chat/<any(slack, teams):service>/test", "POST"): "admin",
    ("/api/v1/invitations", "GET"): "admin",
    ("/api/v1/invitations", "POST"): "admin",
    ("/api/v1/invitations/<int:invitation_id>/remind", "POST"): "admin",
    ("/api/v1/invitations/accept", "POST"): "public",  # the signed token is the credential
    # --- API: content ---
    ("/api/v1/campaigns", "GET"): "admin",
    ("/api/v1/campaigns", "POST"): "admin",
    ("/api/v1/campaigns/<int:campaign_id>", "GET"): "admin",
    ("/api/v1/campaigns/<int:campaign_id>", "PATCH"): "admin",
    ("/api/v1/campaigns/<int:campaign_id>", "DELETE"): "admin",
    ("/api/v1/snippets", "GET"): "admin",
    ("/api/v1/snippets", "POST"): "admin",
    ("/api/v1/snippets/<int:snippet_id>", "GET"): "admin",
    ("/api/v1/snippets/<int:snippet_id>", "PATCH"): "admin",
    ("/api/v1/snippets/<int:snippet_id>", "DELETE"): "admin",
    ("/api/v1/snippets/<int:snippet_id>/approve", "POST"): "admin",
    ("/api/v1/snippets/<int:snippet_id>/archive", "POST"): "admin",
    ("/api/v1/snippets/<int:snippet_id>/restore", "POST"): "admin",
    ("/api/v1/suggestions", "GET"): "employee",
    ("/api/v1/feeds", "GET"): "admin",
    ("/api/v1/feeds", "POST"): "admin",
    ("/api/v1/feeds/<int:source_id>", "GET"): "admin",
    ("/api/v1/feeds/<int:source_id>", "DELETE"): "admin",
    ("/api/v1/feeds/<int:source_id>/pause", "POST"): "admin",
    ("/api/v1/feeds/<int:source_id>/resume", "POST"): "admin",
    ("/api/v1/feeds/<int:source_id>/poll", "POST"): "admin",
    ("/api/v1/shares", "POST"): "employee",
    ("/api/v1/proposals", "POST"): "employee",
    ("/api/v1/proposals/mine", "GET"): "employee",
    ("/api/v1/proposals", "GET"): "admin",
    ("/api/v1/proposals/<int:proposal_id>/accept", "POST"): "admin",
    ("/api/v1/proposals/<int:proposal_id>/decline", "POST"): "admin",
    ("/api/v1/analytics/summary", "GET"): "admin",
    ("/api/v1/analytics/campaigns", "GET"): "admin",
    ("/api/v1/analytics/content-mix", "GET"): "admin",
    # --- API: guidelines and policy ---
    ("/api/v1/guidelines", "GET"): "admin",
    ("/api/v1/guidelines", "POST"): "admin",
    ("/api/v1/guidelines/<rule_id>", "GET"): "admin",
    ("/api/v1/guidelines/<rule_id>", "PUT"): "admin",
    ("/api/v1/guidelines/<rule_id>", "DELETE"): "admin",
    ("/api/v1/policy", "GET"): "employee",
    ("/api/v1/policy/check", "POST"): "admin",
    # --- Tracked links ---
    ("/r/<code>", "GET"): "public",
    # --- Invitation page (console) ---
    ("/invite/<token>", "GET"): "public",
    ("/invite/<token>", "POST"): "public",
    # --- Admin console ---
    ("/admin/sign-in", "GET"): "public",
    ("/admin/sign-in", "POST"): "public",
    ("/admin/sign-out", "POST"): "public",
    ("/admin/sign-out-everywhere", "POST"): "admin",
    ("/admin/sign-in/sso", "POST"): "public",
    ("/admin/sign-in/sso/callback", "GET"): "public",
    (
        "/admin/language",
        "POST",
    ): "public",  # the language switcher: the account's, else the session's
    ("/admin/", "GET"): "admin",
    ("/admin/assets/brython.js", "GET"): "admin",
    ("/admin/assets/guidelines.brython.js", "GET"): "admin",
    ("/admin/audit", "GET"): "admin",
    ("/admin/campaigns", "GET"): "admin",
    ("/admin/campaigns", "POST"): "admin",
    ("/admin/campaigns/<int:campaign_id>", "POST"): "admin",
    ("/admin/feeds", "GET"): "admin",
    ("/admin/feeds", "POST"): "admin",
    ("/admin/feeds/<int:source_id>", "GET"): "admin",
    ("/admin/feeds/<int:source_id>/<any(pause, resume, poll, delete):action>", "POST"): "admin",
    ("/admin/exports", "GET"): "admin",
    ("/admin/exports/clicks.csv", "GET"): "admin",
    ("/admin/exports/campaigns.csv", "GET"): "admin",
    ("/admin/exports/shares.csv", "GET"): "admin",
    ("/admin/guidelines", "GET"): "admin",
    ("/admin/guidelines/new", "GET"): "admin",
    ("/admin/guidelines/new", "POST"): "admin",
    ("/admin/guidelines/<rule_id>", "GET"): "admin",
    ("/admin/guidelines/<rule_id>", "POST"): "admin",
    ("/admin/guidelines/<rule_id>/delete", "POST"): "admin",
    ("/admin/invitations/<int:invitation_id>/remind", "POST"): "admin",
    ("/admin/invitations/remind-all", "POST"): "admin",
    ("/admin/people", "GET"): "admin",
    ("/admin/people/<int:user_id>/<any(disable, enable):action>", "POST"): "admin",
    ("/admin/people/import", "POST"): "admin",
    ("/admin/people/invite", "POST"): "admin",
    ("/admin/playground", "GET"): "admin",
    ("/admin/settings", "GET"): "admin",
    ("/admin/settings", "POST"): "admin",
    ("/admin/snippets", "GET"): "admin",
    ("/admin/snippets/new", "GET"): "admin",
    ("/admin/snippets/new", "POST"): "admin",
    ("/admin/snippets/<int:snippet_id>", "GET"): "admin",
    ("/admin/snippets/<int:snippet_id>", "POST"): "admin",
    ("/admin/snippets/<int:snippet_id>/<any(approve, archive, restore):action>", "POST"): "admin",
    ("/admin/teams", "POST"): "admin",
    ("/admin/teams/<int:team_id>/chat", "GET"): "admin",
    ("/admin/teams/<int:team_id>/chat/<any(slack, teams):service>", "POST"): "admin",
    ("/admin/teams/<int:team_id>/chat/<any(slack, teams):service>/remove", "POST"): "admin",
    ("/admin/teams/<int:team_id>/chat/<any(slack, teams):service>/test", "POST"): "admin",
    ("/admin/proposals", "GET"): "admin",
    ("/admin/proposals/<int:proposal_id>/<any(accept, decline):action>", "POST"): "admin",
    # --- Background jobs: queue, digest preview (console); unsubscribe (signed link, no sign-in) ---
    ("/admin/queue", "GET"): "admin",
    ("/admin/queue/<int:row_id>/retry", "POST"): "admin",
    ("/admin/digest", "GET"): "admin",
    ("/admin/digest/<int:user_id>/email.html", "GET"): "admin",
    ("/unsubscribe/<token>", "GET"): "public",
    ("/unsubscribe/<token>", "POST"): "public",
    # --- Recognition (opt-in leaderboards, points and mail settings) ---
    ("/api/v1/recognition/leaderboard", "GET"): "employee",  # 403 unless the caller opted in
    ("/api/v1/recognition/me", "GET"): "employee",
    ("/api/v1/recognition/settings", "GET"): "admin",
    ("/api/v1/recognition/settings", "PUT"): "admin",
    ("/admin/settings/recognition", "GET"): "admin",
    ("/admin/settings/recognition", "POST"): "admin",
    # --- Probes (no data) ---
    ("/healthz", "GET"): "public",
    ("/readyz", "GET"): "public",
}
