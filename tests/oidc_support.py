"""A real OpenID Connect provider for the tests: npm oidc-provider (tests/fixtures/oidc/provider.js)
started on a free loopback port, plus a person's browser trip through its sign-in form.

The fixture generates the provider's RSA signing key here and hands the provider the private JWKS,
so a test can also sign ID tokens that a conforming provider would never issue (wrong audience,
expired) with the very key the provider publishes at its jwks_uri.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "oidc"
CLIENT_ID = "herald-tests"
CLIENT_SECRET = "herald-tests-client-secret-0123456789"
# chrome.identity.getRedirectURL() of a made-up extension id (32 letters a..p).
EXTENSION_REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/"
# browser.identity.getRedirectURL() of Herald's Firefox add-on: SHA-1 of its gecko id, in hex.
FIREFOX_REDIRECT = "https://24d6e67519133de054cd87c3bc67372e6ae22a2c.extensions.allizom.org/"

# The provider's people (the login typed into its form is the e-mail address).
ACCOUNTS: dict[str, dict] = {
    "ada@acme.test": {"email": "ada@acme.test", "email_verified": True, "name": "Ada Admin"},
    "eve@acme.test": {
        "email": "eve@acme.test",
        "email_verified": True,
        "name": "Eve Employee",
        "groups": ["Sales", "Everyone"],
    },
    "ivy@acme.test": {"email": "ivy@acme.test", "email_verified": True, "name": "Ivy Invitee"},
    "dan@acme.test": {"email": "dan@acme.test", "email_verified": True, "name": "Dan Disabled"},
    "nina@acme.test": {
        "email": "nina@acme.test",
        "email_verified": True,
        "name": "Nina Newcomer",
        "groups": ["Marketing", "Staff"],
    },
    "uma@acme.test": {"email": "uma@acme.test", "email_verified": False, "name": "Uma Unverified"},
    "olga@other.test": {"email": "olga@other.test", "email_verified": True, "name": "Olga Other"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_npm_packages() -> None:
    """scripts/bootstrap.sh runs `npm ci` here; a fresh checkout run straight from pytest too."""
    if (FIXTURE / "node_modules" / "oidc-provider").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the OIDC provider fixture (run scripts/bootstrap.sh)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FIXTURE, check=True)


@dataclass
class OIDCProvider:
    issuer: str
    key: RSAKey
    proc: subprocess.Popen
    log_path: Path
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    extra: dict = field(default_factory=dict)

    def herald_config(self, **overrides) -> dict:
        """The HERALD_OIDC_* settings (as app config keys) that point Herald at this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_PROVIDER_NAME": "Acme SSO",
            **overrides,
        }

    def mint(self, **claims) -> str:
        """An ID token signed with the provider's own key: valid unless `claims` make it not."""
        now = int(time.time())
        body = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            **claims,
        }
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, body, self.key)

    def serve_next_id_token(self, id_token: str) -> None:
        """The provider's next token response carries this ID token."""
        requests.post(f"{self.issuer}/test/next-id-token", json={"id_token": id_token}, timeout=5)

    def tamper_next_id_token(self, **changes) -> None:
        """The next real ID token leaves with its payload edited and its signature as it was."""
        requests.post(f"{self.issuer}/test/next-id-token", json={"tamper": changes}, timeout=5)

    def last_id_token(self) -> str:
        return requests.get(f"{self.issuer}/test/last-id-token", timeout=5).json()["id_token"]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_provider(workdir: Path, redirect_uris: list[str]) -> OIDCProvider:
    ensure_npm_packages()
    node = shutil.which("node")
    if node is None:
        raise RuntimeError(
            "node is needed for the OIDC provider fixture (run scripts/bootstrap.sh)"
        )
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    key.ensure_kid()
    issuer = f"http://127.0.0.1:{free_port()}"
    config = {
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": redirect_uris,
        "jwks": {"keys": [key.as_dict(private=True)]},
        "accounts": ACCOUNTS,
    }
    workdir.mkdir(parents=True, exist_ok=True)
    config_path = workdir / "oidc-provider.json"
    config_path.write_text(json.dumps(config))
    log_path = workdir / "oidc-provider.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [node, str(FIXTURE / "provider.js"), str(config_path)],
        cwd=FIXTURE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oidc-provider exited:\n{log_path.read_text()}")
        if "ready" in log_path.read_text():
            break
        time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(f"oidc-provider did not start:\n{log_path.read_text()}")
    return OIDCProvider(issuer=issuer, key=key, proc=proc, log_path=log_path)


class _Forms(HTMLParser):
    """The forms of a page: [{action, fields: {name: value}}]."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def sign_in_at_provider(authorize_url: str, login: str, password: str = "any password") -> str:
    """Walk a person's browser through the provider: its login form, then the redirects, until the
    provider sends the browser to the client. Returns that redirect URL (code and state in it)."""
    browser = requests.Session()
    issuer_origin = "{0.scheme}://{0.netloc}".format(urlsplit(authorize_url))
    resp = browser.get(authorize_url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if resp.is_redirect:
            target = urljoin(resp.url, resp.headers["Location"])
            if not target.startswith(issuer_origin):
                return target
            resp = browser.get(target, allow_redirects=False, timeout=10)
            continue
        parser = _Forms()
        parser.feed(resp.text)
        login_forms = [f for f in parser.forms if f["fields"].get("prompt") == "login"]
        if not login_forms:
            raise AssertionError(f"the provider showed no login form:\n{resp.text[:2000]}")
        form = login_forms[0]
        fields = {**form["fields"], "login": login, "password": password}
        resp = browser.post(
            urljoin(resp.url, form["action"]), data=fields, allow_redirects=False, timeout=10
        )
    raise AssertionError("the provider never sent the browser back to the client")
