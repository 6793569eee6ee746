/* Health counts (issue 13 §3, bridge/health.js): summed in chrome.storage.local and sent to the
 * server (POST /health-reports) with the share queue's guarantees.
 * - Durable: every count is in storage before the bridge's message is answered; the worker can be
 *   evicted at any moment and the next instance sends what is there.
 * - Exactly once: pending counts are first sealed into a batch with a random batch_id (written to
 *   storage), and only sealed batches are sent; the server counts a batch_id once and answers
 *   "duplicate" to a resend, so a batch whose answer was lost is sent again safely.
 * - Retried: network errors, 5xx, 429 and auth trouble keep the batch, with exponential backoff; a
 *   refusal of the content itself (400/413/415/422) drops it (counted in `dropped`), as the share
 *   queue does: resending what the server refuses would block the counts for ever.
 * What is stored and sent: hour, site (network name), adapter version, counter, count, and the
 * extension's version. Never text, never a URL. */
(function (root) {
  "use strict";
  const Store = root.HeraldStore;
  const Api = root.HeraldApi;
  const KEY = "health";
  const BATCH = 500; // counts per request (the schema's maxItems)
  const SEND_DELAY = 2000; // a burst of counts (composer opened + matched) goes in one request
  const BASE_DELAY = 5000;
  const MAX_DELAY = 30 * 60 * 1000;
  const REFUSED = new Set([400, 413, 415, 422]);
  const EMPTY = { pending: {}, batches: [], attempts: 0, next_at: 0, dropped: 0, sent: 0, last: null };
  let timer = 0;
  let flushing = null;
  let again = false;

  async function load() {
    const got = await heraldChrome.api.storage.local.get(KEY);
    return { ...structuredClone(EMPTY), ...(got[KEY] || {}) };
  }
  const save = (h) => heraldChrome.api.storage.local.set({ [KEY]: h });

  function hourNow() {
    const d = new Date();
    d.setUTCMinutes(0, 0, 0);
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function version() {
    return heraldChrome.api.runtime.getManifest().version;
  }

  /** Add 1 to (this hour, site, adapter version, counter); only these fields are read. */
  async function count(message) {
    const key = [hourNow(), message.site, message.adapter_version, message.counter].join("|");
    const nextAt = await Store.withLock(async () => {
      const h = await load();
      h.pending[key] = (h.pending[key] || 0) + 1;
      await save(h);
      return h.next_at;
    });
    // A new count never cuts a backoff short: a server that is down is not asked again sooner.
    schedule(Math.max(Date.now() + SEND_DELAY, nextAt));
  }

  function rowsOf(pending) {
    return Object.entries(pending).map(([key, n]) => {
      const [hour, site, adapter, counter] = key.split("|");
      return { hour, site, adapter_version: Number(adapter), counter, count: n };
    });
  }

  /** Pending counts become sealed batches, each with its id, in one storage write. */
  async function seal() {
    return Store.withLock(async () => {
      const h = await load();
      const rows = rowsOf(h.pending);
      if (!rows.length) return h; // nothing new: no write on every wake-up
      for (let i = 0; i < rows.length; i += BATCH) {
        h.batches.push({ batch_id: crypto.randomUUID(), extension_version: version(), counts: rows.slice(i, i + BATCH) });
      }
      h.pending = {};
      await save(h);
      return h;
    });
  }

  function schedule(when) {
    clearTimeout(timer);
    timer = setTimeout(() => flushIfDue(), Math.max(0, when - Date.now()));
    // The timeout covers a live worker; the alarm survives eviction (30 s minimum when packed).
    heraldChrome.api.alarms.create("herald-health", { when: Math.max(when, Date.now() + 30000) });
  }

  async function settle(batch, outcome) {
    await Store.withLock(async () => {
      const h = await load();
      h.batches = h.batches.filter((b) => b.batch_id !== batch.batch_id);
      if (outcome === "dropped") h.dropped += 1;
      else {
        h.sent += 1;
        // The options page shows the last report exactly as it went (transparency).
        h.last = { sent_at: new Date().toISOString(), extension_version: batch.extension_version, counts: batch.counts };
      }
      h.attempts = 0;
      h.next_at = 0;
      await save(h);
    });
  }

  async function backoff() {
    await Store.withLock(async () => {
      const h = await load();
      h.attempts += 1;
      const delay = Math.min(MAX_DELAY, BASE_DELAY * 2 ** (h.attempts - 1)) * (0.8 + Math.random() * 0.4);
      h.next_at = Date.now() + delay;
      await save(h);
      schedule(h.next_at);
    });
  }

  async function flushOnce() {
    const { auth } = await Store.get("auth");
    if (!auth || !auth.refresh_token) return; // kept until the employee signs in
    const h = await seal();
    for (const batch of h.batches) {
      let res;
      try {
        res = await Api.request("/health-reports", { method: "POST", body: batch });
      } catch (e) {
        return backoff();
      }
      if (res.ok) await settle(batch, "sent");
      else if (REFUSED.has(res.status)) await settle(batch, "dropped");
      else return backoff();
    }
  }

  /** Send what is sealed and pending; single-flight in this worker instance. */
  function flush() {
    if (flushing) {
      again = true;
      return flushing;
    }
    flushing = (async () => {
      do {
        again = false;
        await flushOnce();
      } while (again);
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  async function flushIfDue() {
    const h = await load();
    if (Date.now() >= h.next_at) return flush();
    schedule(h.next_at);
    return null;
  }

  /** For the options page: the counts as they will be sent (sealed first, then pending), and the
   * last report as it was sent. */
  async function view() {
    const h = await load();
    const rows = [...h.batches.flatMap((b) => b.counts), ...rowsOf(h.pending)];
    return { extension_version: version(), counts: rows, dropped: h.dropped, sent_batches: h.sent, last: h.last };
  }

  root.HeraldHealth = { count, flush, flushIfDue, view };
})(globalThis);
