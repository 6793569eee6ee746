"""Single sign-on with OpenID Connect (authorization code flow, PKCE S256), through Authlib.

The console and the extension share every step here: `begin` records a one-time transaction
(state, nonce, PKCE verifier) in the database and builds the provider's authorization URL;
`complete` consumes that transaction, exchanges the code, validates the ID token against the
provider's published keys and returns the Herald user it names. Password sign-in is untouched,
and its lockout does not apply here: the identity provider does its own throttling.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.security import is_secure_transport
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import current_app
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from server.errors import APIError
from server.models import OIDCTransaction, User, db, utcnow
from server.people import normalize_email, set_memberships, teams_by_names

TRANSACTION_MINUTES = 10  # time to finish signing in at the provider
HTTP_TIMEOUT = 5  # seconds for discovery, keys and the token endpoint
FAILURE_SECONDS = 30  # an unreachable or misconfigured provider is asked again after this
METADATA_SECONDS = 3600  # discovery and keys are fetched again after an hour (or on a new key id)
CLOCK_LEEWAY = 60  # seconds of clock skew tolerated on exp / iat
# Asymmetric signatures only: a client-secret (HS*) or unsigned ID token is refused.
SIGNING_ALGORITHMS = (
    *("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
    *("ES256", "ES384", "ES512", "EdDSA"),
)
PURPOSES = ("console", "extension")


@dataclass(frozen=True)
class OIDCSettings:
    issuer: str
    client_id: str
    client_secret: str
    allowed_domains: tuple[str, ...]
    jit: bool
    teams_claim: str | None
    provider_name: str
    scopes: str


def settings() -> OIDCSettings | None:
    """The configured provider, or None: SSO is on only with issuer, client id and secret."""
    cfg = current_app.config
    issuer, client_id, secret = (
        cfg.get("OIDC_ISSUER"),
        cfg.get("OIDC_CLIENT_ID"),
        cfg.get("OIDC_CLIENT_SECRET"),
    )
    if not (issuer and client_id and secret):
        return None
    domains = cfg.get("OIDC_ALLOWED_DOMAINS") or []
    if isinstance(domains, str):
        domains = domains.split(",")
    return OIDCSettings(
        issuer=str(issuer).rstrip("/"),
        client_id=str(client_id),
        client_secret=str(secret),
        allowed_domains=tuple(d.strip().lower().lstrip("@") for d in domains if d.strip()),
        jit=bool(cfg.get("OIDC_JIT")),
        teams_claim=cfg.get("OIDC_TEAMS_CLAIM") or None,
        provider_name=str(cfg.get("OIDC_PROVIDER_NAME") or "single sign-on"),
        scopes=str(cfg.get("OIDC_SCOPES") or "openid email profile"),
    )


def required_settings() -> OIDCSettings:
    found = settings()
    if found is None:
        raise APIError("sso_not_configured", "Single sign-on is not set up on this server.", 404)
    return found


def public_settings() -> dict:
    """What anyone may know before signing in (never the secret)."""
    found = settings()
    return {
        "enabled": found is not None,
        "provider_name": found.provider_name if found else None,
    }


def firefox_redirect_uri() -> str:
    """Firefox's `identity.getRedirectURL()` for Herald's add-on: the SHA-1 of the add-on id, in hex,
    under extensions.allizom.org (Firefox's ext-identity.js). Fixed by the id, so the console can list
    it for the admin to register at the provider beside Chrome's chromiumapp.org address."""
    addon_id = str(current_app.config.get("FIREFOX_ADDON_ID") or "")
    return f"https://{hashlib.sha1(addon_id.encode()).hexdigest()}.extensions.allizom.org/"


# --- Provider metadata and keys ------------------------------------------------------------------

_cache: dict[tuple[str, str], tuple[float, dict | APIError]] = {}
_cache_lock = threading.Lock()


def _get_json(url: str) -> dict:
    try:
        resp = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        resp.raise_for_status()
        data = resp.json()
    except (requests.RequestException, ValueError) as exc:
        raise _unreachable() from exc
    if not isinstance(data, dict):
        raise _unreachable()
    return data


def _unreachable() -> APIError:
    return APIError(
        "sso_provider_unreachable",
        "The identity provider did not answer. Try again in a moment, or sign in with your password.",
        502,
    )


def _cached(kind: str, issuer: str, fetch, force: bool = False) -> dict:
    """Per worker: a document for an hour, a failure for FAILURE_SECONDS, so a provider that is
    down costs one timeout, not one per page view (the sign-in page reads discovery too)."""
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get((kind, issuer))
    if hit and not force:
        age, value = now - hit[0], hit[1]
        if isinstance(value, APIError) and age < FAILURE_SECONDS:
            raise value
        if not isinstance(value, APIError) and age < METADATA_SECONDS:
            return value
    try:
        value = fetch()
    except APIError as exc:
        with _cache_lock:
            _cache[(kind, issuer)] = (now, exc)
        raise
    with _cache_lock:
        _cache[(kind, issuer)] = (now, value)
    return value


def metadata(cfg: OIDCSettings) -> dict:
    """The provider's discovery document; its issuer must be exactly the configured one."""

    def fetch() -> dict:
        doc = _get_json(cfg.issuer + "/.well-known/openid-configuration")
        if str(doc.get("issuer", "")).rstrip("/") != cfg.issuer:
            raise APIError(
                "sso_misconfigured",
                "The identity provider's discovery document names another issuer.",
                502,
            )
        for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not is_secure_transport(str(doc.get(field, ""))):
                raise APIError(
                    "sso_misconfigured", f"The identity provider's {field} is not https.", 502
                )
        return doc

    return _cached("metadata", cfg.issuer, fetch)


def key_set(cfg: OIDCSettings, force: bool = False) -> KeySet:
    doc = _cached("jwks", cfg.issuer, lambda: _get_json(metadata(cfg)["jwks_uri"]), force=force)
    return KeySet.import_key_set(doc)


def authorization_origins() -> list[str]:
    """Where the sign-in page's form may lead (its CSP form-action covers redirects too): the
    provider's authorization endpoint, or its issuer while discovery cannot be read."""
    cfg = settings()
    if cfg is None:
        return []
    try:
        url = metadata(cfg)["authorization_endpoint"]
    except (APIError, KeyError):
        url = cfg.issuer
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"]


# --- Transactions ------------------------------------------------------------------------------


def begin(purpose: str, redirect_uri: str, next_url: str | None = None) -> tuple[str, str]:
    """Record a new sign-in attempt; returns (transaction key, provider authorization URL)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    cfg = required_settings()
    meta = metadata(cfg)
    tx = OIDCTransaction.create(
        key=secrets.token_urlsafe(32),
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),  # 86 characters: within RFC 7636's 43..128
        redirect_uri=redirect_uri,
        purpose=purpose,
        next_url=next_url,
        expires_at=utcnow() + timedelta(minutes=TRANSACTION_MINUTES),
    )
    client = _client(cfg, redirect_uri)
    url, _ = client.create_authorization_url(
        meta["authorization_endpoint"],
        state=tx.state,
        code_verifier=tx.code_verifier,
        nonce=tx.nonce,
    )
    OIDCTransaction.delete().where(
        OIDCTransaction.expires_at < utcnow() - timedelta(days=1)
    ).execute()
    return tx.key, url


def _client(cfg: OIDCSettings, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        scope=cfg.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=HTTP_TIMEOUT,
    )


def consume(key: str | None, state: str | None, purpose: str) -> OIDCTransaction:
    """The transaction for `key`, if `state` matches and it is unused and fresh; used from now on.

    The transaction is burnt whatever the outcome: a mismatched state is an attack or a stale tab,
    and either way that attempt must not be tried again.
    """
    mismatch = APIError(
        "sso_state_mismatch",
        "This sign-in answer does not belong to a sign-in started here, or it was already used. "
        "Start signing in again.",
        400,
    )
    if not key or not state:
        raise mismatch
    tx = OIDCTransaction.get_or_none(OIDCTransaction.key == key)
    if tx is None or tx.purpose != purpose:
        raise mismatch
    burnt = (
        OIDCTransaction.update(used_at=utcnow())
        .where(OIDCTransaction.id == tx.id, OIDCTransaction.used_at.is_null())
        .execute()
    )
    if burnt != 1 or not hmac.compare_digest(tx.state, state):
        raise mismatch
    if tx.expires_at <= utcnow():
        raise APIError("sso_expired", "This sign-in took too long. Start signing in again.", 400)
    return tx


def abandon(key: str | None) -> None:
    """The provider answered with an error: that attempt is over."""
    if key:
        OIDCTransaction.update(used_at=utcnow()).where(
            OIDCTransaction.key == key, OIDCTransaction.used_at.is_null()
        ).execute()


def complete(
    key: str | None, state: str | None, code: str | None, purpose: str, iss: str | None = None
) -> tuple[User, str | None]:
    """Finish a sign-in: the user named by a valid ID token, and where the attempt wanted to go.

    `iss` is the redirect's issuer parameter (RFC 9207) when the provider sends one: an answer
    from another provider (a mix-up attack) is refused before its code goes anywhere.
    """
    cfg = required_settings()
    tx = consume(key, state, purpose)
    if iss is not None and iss.rstrip("/") != cfg.issuer:
        raise APIError(
            "sso_issuer_mismatch",
            "This sign-in answer came from another identity provider. Start signing in again.",
            400,
        )
    if not code:
        raise APIError("sso_failed", "The identity provider sent no authorization code.", 400)
    token = _exchange(cfg, tx, code)
    claims = validate_id_token(cfg, token.get("id_token"), tx.nonce, token.get("access_token"))
    return user_for_claims(cfg, claims), tx.next_url


def _exchange(cfg: OIDCSettings, tx: OIDCTransaction, code: str) -> dict:
    client = _client(cfg, tx.redirect_uri)
    try:
        return dict(
            client.fetch_token(
                metadata(cfg)["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=tx.code_verifier,
            )
        )
    except OAuthError as exc:
        raise APIError(
            "sso_failed",
            "The identity provider refused the sign-in code. Start signing in again.",
            400,
            {"provider_error": exc.error},
        ) from exc
    except (requests.RequestException, ValueError) as exc:
        raise _unreachable() from exc


# --- ID token ----------------------------------------------------------------------------------


def _invalid(reason: str, message: str) -> APIError:
    return APIError(
        "sso_invalid_id_token",
        f"The identity provider's answer could not be trusted: {message}",
        401,
        {"reason": reason},
    )


def validate_id_token(
    cfg: OIDCSettings, id_token: Any, nonce: str, access_token: str | None = None
) -> dict:
    """Signature (provider's JWKS), iss, aud/azp, exp, iat, nonce and at_hash; returns the claims."""
    if not isinstance(id_token, str) or not id_token:
        raise _invalid("missing", "it carried no ID token.")
    meta = metadata(cfg)
    offered = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in offered if a in SIGNING_ALGORITHMS]
    registry = JWSRegistry(algorithms=algorithms or ["RS256"], strict_check_header=False)
    try:
        try:
            token = jwt.decode(id_token, key_set(cfg), registry=registry)
        except InvalidKeyIdError:  # the provider rotated its keys since we fetched them
            token = jwt.decode(id_token, key_set(cfg, force=True), registry=registry)
    except (BadSignatureError, InvalidKeyIdError) as exc:
        raise _invalid("signature", "its signature does not match the provider's keys.") from exc
    except (JoseError, ValueError) as exc:
        raise _invalid("malformed", "it is not a valid signed token.") from exc

    options = {
        "iss": {"essential": True, "values": [cfg.issuer, cfg.issuer + "/"]},
        "aud": {"essential": True, "value": cfg.client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "sub": {"essential": True},
    }
    params = {"nonce": nonce, "client_id": cfg.client_id}
    if access_token:
        params["access_token"] = access_token
    claims = CodeIDToken(token.claims, token.header, options, params)
    try:
        claims.validate(leeway=CLOCK_LEEWAY)
    except ExpiredTokenError as exc:
        raise _invalid("expired", "it has expired.") from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        name = exc.claim
        reason = {"aud": "audience", "azp": "audience", "iss": "issuer"}.get(name, name or "claims")
        words = {
            "audience": "it was issued for another application.",
            "issuer": "it was issued by another provider.",
            "nonce": "it was issued for another sign-in attempt (nonce).",
            "iat": "its issue time is in the future.",
        }
        raise _invalid(
            reason, words.get(reason, f"its {name or 'claims'} claim is not valid.")
        ) from exc
    except JoseError as exc:
        raise _invalid("claims", "its claims are not valid.") from exc
    return dict(claims)


# --- The Herald user ----------------------------------------------------------------------------


def user_for_claims(cfg: OIDCSettings, claims: dict) -> User:
    """Match (or, with JIT on, create) the person; refuse unverified, foreign and disabled ones."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise APIError(
            "sso_no_email",
            "The identity provider did not share your e-mail address, so Herald cannot tell who "
            "you are. Ask your administrator to release the 'email' claim.",
            403,
        )
    email = normalize_email(email)
    if claims.get("email_verified") is not True:
        raise APIError(
            "sso_email_unverified",
            "Your identity provider has not verified this e-mail address.",
            403,
        )
    domain = email.rsplit("@", 1)[1]
    if cfg.allowed_domains and domain not in cfg.allowed_domains:
        raise APIError(
            "sso_domain_not_allowed",
            f"Accounts from {domain} may not sign in here. Use your company e-mail account.",
            403,
            {"domain": domain},
        )
    teams = _claimed_teams(cfg, claims)
    with db.atomic():
        user = User.get_or_none(User.email == email)
        if user is None:
            if not cfg.jit:
                raise APIError(
                    "sso_not_invited",
                    f"There is no Herald account for {email}. Ask your advocacy lead for an "
                    "invitation.",
                    403,
                )
            name = claims.get("name") if isinstance(claims.get("name"), str) else None
            user = User.create(
                email=email,
                name=(name or email.split("@")[0]).strip()[:255],
                role="employee",
                status="active",
                joined_at=utcnow(),
            )
        if user.status == "disabled":
            raise APIError(
                "account_disabled",
                "This Herald account is disabled. Ask your administrator to enable it.",
                403,
            )
        now = utcnow()
        changes: dict[str, Any] = {"last_login_at": now}
        if user.status == "invited":  # the provider vouches for the invitee: they have joined
            changes.update(status="active", joined_at=user.joined_at or now)
        User.update(**changes).where(User.id == user.id).execute()
        if teams is not None:
            set_memberships(user, teams)
    return User.get_by_id(user.id)


def _claimed_teams(cfg: OIDCSettings, claims: dict) -> list | None:
    """The Herald teams named in the configured claim (existing teams only; None: not mapped)."""
    if not cfg.teams_claim:
        return None
    raw = claims.get(cfg.teams_claim)
    if raw is None:
        names: list[str] = []
    elif isinstance(raw, str):
        names = [raw]
    elif isinstance(raw, list):
        names = [item for item in raw if isinstance(item, str)]
    else:
        names = []
    found = []
    for name in names:
        try:
            found.extend(teams_by_names([name], create=False))
        except APIError:
            continue  # a provider group with no Herald team of that name
    return found
