/* Worker state lives in chrome.storage.local only: the service worker can be evicted between
 * any two events, so nothing in memory is trusted beyond one task. `withLock` serialises
 * read-modify-write cycles inside one worker instance (there is never more than one). */
(function (root) {
  "use strict";
  const storage = heraldChrome.api.storage.local;
  let chain = Promise.resolve();

  const DEFAULTS = {
    auth: null, // {server_url, access_token, access_expires_at, refresh_token, user}
    cache: { program: null, suggestions: {}, policy: null, standing: null, offline: false, updated_at: null },
    settings: { notifications: true, language: null },
    seen: [], // snippet ids the employee has seen (badge counts the rest)
    notified: [], // featured snippet ids already notified
    notifyPrimed: false, // the first sync after sign-in records what is featured without announcing it
    queue: [], // [{event, queued_at}]: share events not yet accepted by the server
    sent: 0, // share events the server accepted from this browser (the popup shows it)
    flush: { attempts: 0, next_at: 0 },
    dropped: 0, // share events the server refused as invalid, dropped from the queue (options page)
    // {network: snapshot message}: the panel as last drawn (sandbox_port.js), shown by the next
    // page's panel before Brython starts. Cleared at sign-out, like the cached suggestions.
    panel_snapshots: {},
  };

  const Store = {
    async get(...keys) {
      const got = await storage.get(keys);
      const out = {};
      for (const k of keys) out[k] = got[k] === undefined ? structuredClone(DEFAULTS[k]) : got[k];
      return out;
    },
    async set(values) {
      await storage.set(values);
    },
    withLock(fn) {
      const run = chain.then(fn, fn);
      chain = run.catch(() => {});
      return run;
    },
  };
  root.HeraldStore = Store;
})(globalThis);
