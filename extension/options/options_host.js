/* Options page host: the only non-sandboxed script of the options page (the build prepends
 * shim.js, the generated schema table and bridge/validate.js to it, so it stands alone). It relays between the
 * sandboxed options iframe (Brython, no chrome.*) and the service worker. Protocol: the iframe
 * sends options:ready / options:call {request_id, message}; we answer options:init {locale} and
 * options:reply {request_id, response | error}. Every message is validated both ways. */
(function (root) {
  "use strict";
  const FROM_FRAME = ["options:ready", "options:call"];
  const TO_WORKER = ["get-state", "sign-in", "sign-out", "set-settings", "refresh-content", "mark-seen", "update-profile", "sso-info", "sign-in-sso", "get-my-data", "propose", "get-my-proposals", "get-leaderboard"];

  function frame() {
    return document.querySelector("iframe#options-frame") || document.querySelector("iframe");
  }

  function post(message) {
    const f = frame();
    const check = root.HeraldValidate(message);
    if (!f || !f.contentWindow || !check.ok) return;
    // Sandboxed frame: opaque origin, so "*" is the only target origin that reaches it.
    f.contentWindow.postMessage(message, "*");
  }

  async function onMessage(event) {
    const f = frame();
    if (!f || event.source !== f.contentWindow) return;
    const msg = event.data;
    const check = root.HeraldValidate(msg, FROM_FRAME);
    if (!check.ok) return;
    if (msg.type === "options:ready") {
      post({ type: "options:init", locale: heraldChrome.uiLocale() });
      return;
    }
    const inner = msg.message;
    const innerCheck = root.HeraldValidate(inner, TO_WORKER);
    if (!innerCheck.ok) {
      post({ type: "options:reply", request_id: msg.request_id, response: null, error: innerCheck.errors.join("; ") });
      return;
    }
    if (inner.type === "sign-in" || inner.type === "sign-in-sso") await askHostPermission(inner.server_url);
    const response = await heraldChrome.send(inner);
    if (inner.type === "get-my-data" && inner.download && response && response.ok) saveJson(response.data);
    if (response && response.error === "unreachable") {
      post({ type: "options:reply", request_id: msg.request_id, response: null, error: response.detail || "unreachable" });
    } else {
      post({ type: "options:reply", request_id: msg.request_id, response: response || null });
    }
  }

  // "Download my data": the sandboxed frame cannot download (no allow-downloads, opaque origin),
  // so this page saves the worker's answer through a blob URL. No extra permission needed.
  function saveJson(data) {
    const day = String((data && data.generated_at) || new Date().toISOString()).slice(0, 10);
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `herald-my-data-${day}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // A company server outside the manifest's host_permissions works through CORS alone, but with
  // the optional permission the worker's requests need no CORS setup. The click in the sandboxed
  // iframe activates this page too (user activation reaches ancestor frames), so Chrome may ask.
  async function askHostPermission(serverUrl) {
    try {
      const origin = new URL(serverUrl).origin;
      if (/^http:\/\/(localhost|127\.0\.0\.1)(:|$)/.test(origin)) return;
      const perms = heraldChrome.api.permissions;
      const wanted = { origins: [`${origin}/*`] };
      if (perms && !(await perms.contains(wanted))) await perms.request(wanted);
    } catch (_) {
      /* no gesture or refused: CORS still applies */
    }
  }

  root.addEventListener("message", onMessage);
})(globalThis);
