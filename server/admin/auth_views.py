"""Console sign-in and sign-out: passwords through the API's throttled `authenticate`, and single
sign-on through server/oidc.py when a provider is configured."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from server import oidc
from server.admin.core import (
    admin_required,
    bp,
    csrf_token,
    public_page,
    safe_next,
    sign_in_session,
    sign_out_session,
    signed_in_user,
)
from server.api.auth import authenticate
from server.errors import APIError


@bp.route("/sign-in", methods=["GET", "POST"])
@public_page
def sign_in():
    next_url = request.values.get("next", "")
    error = None
    status = 200
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        try:
            user = authenticate(email, request.form.get("password", ""))
        except APIError as err:
            # 401 wrong credentials, 429 throttled: the same words the API uses, on the form.
            error, status = err.message, err.status
        else:
            sign_in_session(user)
            return redirect(safe_next(next_url))
    elif signed_in_user() is not None and signed_in_user().role == "admin":
        return redirect(safe_next(next_url))
    csrf_token()  # the sign-in form is protected too (login CSRF)
    g.csp_form_targets = oidc.authorization_origins()
    return (
        render_template(
            "admin/sign_in.html",
            error=error,
            email=email,
            next_url=next_url,
            sso=oidc.public_settings(),
        ),
        status,
    )


def sso_redirect_uri() -> str:
    """The callback as registered at the provider: under HERALD_PUBLIC_BASE_URL when set."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("admin.sso_callback")
    return base.rstrip("/") + path if base else url_for("admin.sso_callback", _external=True)


@bp.post("/sign-in/sso")
@public_page
def sso_start():
    """Off to the provider; the attempt's handle stays in this browser's console session."""
    key, url = oidc.begin("console", sso_redirect_uri(), request.form.get("next") or None)
    session["sso_tx"] = key
    return redirect(url)


@bp.get("/sign-in/sso/callback")
@public_page
def sso_callback():
    key = session.pop("sso_tx", None)
    if request.args.get("error"):
        # The provider said no (the person cancelled, or the provider refused the request).
        oidc.abandon(key)
        detail = request.args.get("error_description") or request.args["error"]
        raise APIError(
            "sso_failed",
            f"The identity provider did not sign you in ({detail}). "
            "You can try again, or sign in with your password.",
            401,
        )
    user, next_url = oidc.complete(
        key,
        request.args.get("state"),
        request.args.get("code"),
        "console",
        request.args.get("iss"),
    )
    sign_in_session(user)
    return redirect(safe_next(next_url))


@bp.post("/sign-out")
@public_page
def sign_out():
    sign_out_session()
    return redirect(url_for("admin.sign_in"))


@bp.post("/sign-out-everywhere")
@admin_required
def sign_out_everywhere():
    """Every console session of this admin ends (other browsers, a copied cookie), and so do the
    extension's tokens: for a lost laptop or a shared computer."""
    from server.people import sign_out_everywhere as revoke_everything

    revoke_everything(g.user)
    sign_out_session()
    flash(_("You are signed out everywhere: in every browser and in the extension."), "ok")
    return redirect(url_for("admin.sign_in"))
