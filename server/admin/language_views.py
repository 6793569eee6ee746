"""The console's language switcher: saved on the signed-in person's account (the console, their
emails and the extension's default follow it), or in the session before anyone signs in."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import abort, redirect, request, session, url_for
from flask_babel import refresh

from server.admin.core import bp, public_page, signed_in_user
from server.i18n import SESSION_KEY, supported
from server.models import User

# Pages that show the switcher (they all extend admin/base.html) and may be returned to.
_RETURN_PREFIXES = ("/admin", "/invite/", "/unsubscribe/")


@bp.route("/language", methods=["POST"])
@public_page
def set_language():
    language = supported(request.form.get("language"))
    if language is None or language != request.form.get("language"):
        abort(400, description="Choose one of the languages in the list.")
    user = signed_in_user()
    if user is not None:
        User.update(language=language).where(User.id == user.id).execute()
        user.language = language
    session[SESSION_KEY] = language
    refresh()
    target = request.form.get("next") or ""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith(_RETURN_PREFIXES):
        target = url_for("admin.dashboard") if user is not None else url_for("admin.sign_in")
    return redirect(target, code=303)
