"""Console sign-in and sign-out, through the API's throttled `authenticate`."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

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
    return (
        render_template("admin/sign_in.html", error=error, email=email, next_url=next_url),
        status,
    )


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
    flash("You are signed out everywhere: in every browser and in the extension.", "ok")
    return redirect(url_for("admin.sign_in"))
