/* HTTP client for the Herald server (docs/CONTRACT.md). Access tokens are refreshed ahead of
 * expiry and on 401, single-flight: refresh tokens rotate, and presenting a rotated one twice
 * revokes the whole family, so two concurrent refreshes must never happen. */
(function (root) {
  "use strict";
  const Store = root.HeraldStore;
  let refreshing = null;

  class AuthError extends Error {}
  class NetworkError extends Error {}

  function apiUrl(serverUrl, path) {
    return `${serverUrl.replace(/\/+$/, "")}/api/v1${path}`;
  }

  async function rawFetch(url, init) {
    try {
      return await fetch(url, init);
    } catch (e) {
      throw new NetworkError(String((e && e.message) || e));
    }
  }

  function authFrom(body, serverUrl, previous) {
    return {
      server_url: serverUrl,
      access_token: body.access_token,
      refresh_token: body.refresh_token,
      access_expires_at: Date.now() + Math.max(0, (body.expires_in || 0) - 30) * 1000,
      user: body.user || (previous && previous.user) || null,
    };
  }

  /** The browser's interface language (BCP 47), sent at sign-in: an employee who never chose the
   * languages they read starts from it (server.languages). Left out when it is not a plain tag. */
  function browserLanguage() {
    const tag = String(heraldChrome.uiLocale() || "").replace(/_/g, "-");
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) && tag.length <= 35 ? tag : null;
  }

  function withBrowserLanguage(body) {
    const tag = browserLanguage();
    return tag ? { ...body, browser_language: tag } : body;
  }

  async function login(serverUrl, email, password) {
    const res = await rawFetch(apiUrl(serverUrl, "/auth/login"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(withBrowserLanguage({ email, password })),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const code = (body.error && body.error.code) || `http_${res.status}`;
      return { ok: false, error: code, retry_after: res.headers.get("Retry-After") };
    }
    const auth = authFrom(body, serverUrl, null);
    await Store.set({ auth });
    return { ok: true, user: auth.user };
  }

  async function postJson(serverUrl, path, body) {
    const res = await rawFetch(apiUrl(serverUrl, path), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    return { res, data, error: res.ok ? null : (data.error && data.error.code) || `http_${res.status}` };
  }

  /** GET /auth/oidc: {enabled, provider_name}. A server without single sign-on answers 404. */
  async function ssoInfo(serverUrl) {
    const res = await rawFetch(apiUrl(serverUrl, "/auth/oidc"), { cache: "no-store" });
    const data = res.ok ? await res.json().catch(() => ({})) : {};
    return { enabled: !!data.enabled, provider_name: data.provider_name || null };
  }

  /** Single sign-on: the server builds the provider's URL for this extension's redirect URI and
   * keeps state, nonce and the PKCE verifier; Chrome shows the provider's page and hands back the
   * redirect; the server trades its code for Herald's own tokens (the same pair as login). */
  async function ssoSignIn(serverUrl) {
    const identity = heraldChrome.api.identity;
    const started = await postJson(serverUrl, "/auth/oidc/start", { redirect_uri: identity.getRedirectURL() });
    if (started.error) return { ok: false, error: started.error };
    let redirected;
    try {
      redirected = new URL(await identity.launchWebAuthFlow({ url: started.data.authorization_url, interactive: true }));
    } catch (e) {
      return { ok: false, error: "sso_cancelled" }; // the window was closed, or the provider page failed to load
    }
    const params = redirected.searchParams;
    if (params.get("error")) return { ok: false, error: "sso_failed", detail: params.get("error_description") || params.get("error") };
    const answer = {
      transaction: started.data.transaction,
      code: params.get("code") || "-",
      state: params.get("state") || "-",
    };
    if (params.get("iss")) answer.iss = params.get("iss"); // RFC 9207: the server checks it
    const done = await postJson(serverUrl, "/auth/oidc/exchange", withBrowserLanguage(answer));
    if (done.error) return { ok: false, error: done.error };
    const auth = authFrom(done.data, serverUrl, null);
    await Store.set({ auth });
    return { ok: true, user: auth.user };
  }

  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      const { auth } = await Store.get("auth");
      if (!auth || !auth.refresh_token) throw new AuthError("signed out");
      const res = await rawFetch(apiUrl(auth.server_url, "/auth/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: auth.refresh_token }),
      });
      if (res.status === 401 || res.status === 400) {
        // Refresh token expired, revoked or reused: the employee must sign in again.
        await Store.set({ auth: { ...auth, access_token: null, refresh_token: null } });
        throw new AuthError("refresh rejected");
      }
      if (!res.ok) throw new NetworkError(`refresh failed: ${res.status}`);
      const next = authFrom(await res.json(), auth.server_url, auth);
      await Store.set({ auth: next });
      return next;
    })();
    try {
      return await refreshing;
    } finally {
      refreshing = null;
    }
  }

  /** Authenticated request. Returns the Response; throws AuthError / NetworkError. */
  async function request(path, { method = "GET", body, headers = {} } = {}) {
    let { auth } = await Store.get("auth");
    if (!auth || !auth.refresh_token) throw new AuthError("signed out");
    if (!auth.access_token || Date.now() >= auth.access_expires_at) auth = await refresh();
    const send = (a) =>
      rawFetch(apiUrl(a.server_url, path), {
        method,
        headers: {
          ...headers,
          Authorization: `Bearer ${a.access_token}`,
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        cache: "no-store",
      });
    let res = await send(auth);
    if (res.status === 401) {
      auth = await refresh();
      res = await send(auth);
      if (res.status === 401) throw new AuthError("unauthorized after refresh");
    }
    return res;
  }

  async function publicGet(path) {
    const { auth } = await Store.get("auth");
    if (!auth) throw new AuthError("no server");
    return rawFetch(apiUrl(auth.server_url, path), { cache: "no-store" });
  }

  async function logout() {
    const { auth } = await Store.get("auth");
    if (auth && auth.refresh_token) {
      await rawFetch(apiUrl(auth.server_url, "/auth/logout"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: auth.refresh_token }),
      }).catch(() => null);
    }
  }

  root.HeraldApi = { login, ssoInfo, ssoSignIn, refresh, request, publicGet, logout, AuthError, NetworkError };
})(globalThis);
