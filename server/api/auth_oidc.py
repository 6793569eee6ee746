"""Single sign-on for the extension: start at the provider, then trade its code for Herald tokens.

The server holds state, nonce and the PKCE verifier (server/oidc.py); the extension only carries
an opaque transaction handle through `chrome.identity.launchWebAuthFlow`.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from server import languages, oidc
from server.access import access
from server.api.auth import token_response
from server.schemas import accepts, returns
from server.tokens import issue_refresh_token

bp = Blueprint("auth_oidc", __name__, url_prefix="/api/v1/auth/oidc")


@bp.get("")
@access("public")
@returns("auth/oidc-info")
def info():
    return jsonify(oidc.public_settings())


@bp.post("/start")
@access("public")
@accepts("auth/oidc-start-request")
@returns("auth/oidc-start-response")
def start(body):
    oidc.required_settings()
    transaction, url = oidc.begin("extension", body["redirect_uri"])
    return jsonify(
        authorization_url=url,
        transaction=transaction,
        expires_in=oidc.TRANSACTION_MINUTES * 60,
    )


@bp.post("/exchange")
@access("public")  # the transaction, state and code are the credential
@accepts("auth/oidc-exchange-request")
@returns("auth/token-response")
def exchange(body):
    user, _ = oidc.complete(
        body["transaction"], body["state"], body["code"], "extension", body.get("iss")
    )
    languages.default_at_sign_in(user, body.get("browser_language"))
    return token_response(user, issue_refresh_token(user))
