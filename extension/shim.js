/* One chrome/browser shim for every extension context (content script, worker, options host).
 * Why: Firefox exposes promise-based `browser.*`, Chromium exposes `chrome.*` (promise-capable
 * since MV3). The rest of the code only ever talks to `globalThis.heraldChrome`, so a port
 * touches this file alone. Kept tiny on purpose (uBlock Lite style): no polyfilled behaviour. */
(function (root) {
  "use strict";
  if (root.heraldChrome) return;
  const api = root.browser && root.browser.runtime ? root.browser : root.chrome;

  function lastErrorMessage() {
    try {
      const err = api && api.runtime && api.runtime.lastError;
      return err ? String(err.message || err) : "";
    } catch (_) {
      return "";
    }
  }

  root.heraldChrome = {
    api,
    available: !!(api && api.runtime && api.runtime.id),
    // sendMessage that never throws: a worker that is waking up or an extension that was
    // reloaded under a live page must look like "no answer", not crash the bridge.
    async send(message) {
      try {
        return await api.runtime.sendMessage(message);
      } catch (e) {
        return { ok: false, error: "unreachable", detail: String((e && e.message) || e || lastErrorMessage()) };
      }
    },
    url(path) {
      return api.runtime.getURL(path);
    },
    i18n(key, fallback) {
      try {
        return (api.i18n && api.i18n.getMessage(key)) || fallback || key;
      } catch (_) {
        return fallback || key;
      }
    },
    uiLocale() {
      try {
        return api.i18n.getUILanguage();
      } catch (_) {
        return (root.navigator && root.navigator.language) || "en";
      }
    },
    lastErrorMessage,
  };
})(globalThis);
