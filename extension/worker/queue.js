/* Durable share queue. An event is written to chrome.storage.local before the bridge gets its
 * reply, and leaves the queue only when the server answered created, duplicate (already stored)
 * or rejected (final). Anything else keeps it, with exponential backoff. Exactly-once comes from
 * the Python-chosen event_id: a batch re-sent after an eviction mid-flush comes back "duplicate". */
(function (root) {
  "use strict";
  const Store = root.HeraldStore;
  const Api = root.HeraldApi;
  const BATCH = 500;
  const BASE_DELAY = 2000;
  const MAX_DELAY = 5 * 60 * 1000;
  const FINAL = new Set(["created", "duplicate", "rejected"]);
  let flushing = null;
  let timer = 0;

  async function enqueue(event) {
    return Store.withLock(async () => {
      const { queue } = await Store.get("queue");
      if (!queue.some((q) => q.event.event_id === event.event_id)) queue.push({ event, queued_at: Date.now() });
      await Store.set({ queue });
      return queue.length;
    });
  }

  async function length() {
    return (await Store.get("queue")).queue.length;
  }

  async function backoff() {
    const { flush } = await Store.get("flush");
    const attempts = flush.attempts + 1;
    const delay = Math.min(MAX_DELAY, BASE_DELAY * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
    const next_at = Date.now() + delay;
    await Store.set({ flush: { attempts, next_at } });
    schedule(next_at);
  }

  function schedule(when) {
    clearTimeout(timer);
    const delay = Math.max(0, when - Date.now());
    // setTimeout covers the common case while the worker is alive; the alarm survives eviction.
    timer = setTimeout(() => flush(), delay);
    heraldChrome.api.alarms.create("herald-flush", { when: Math.max(when, Date.now() + 30000) });
  }

  async function flushOnce() {
    const { queue, auth } = await Store.get("queue", "auth");
    if (!queue.length) return { sent: 0, remaining: 0 };
    if (!auth || !auth.refresh_token) return { sent: 0, remaining: queue.length };
    const batch = queue.slice(0, BATCH);
    let res;
    try {
      res = await Api.request("/shares", { method: "POST", body: { events: batch.map((q) => q.event) } });
    } catch (e) {
      await backoff();
      return { sent: 0, remaining: queue.length, error: String(e.message || e) };
    }
    if (!res.ok) {
      await backoff();
      return { sent: 0, remaining: queue.length, error: `http_${res.status}` };
    }
    const body = await res.json();
    const done = new Set();
    for (const r of body.results || []) {
      const item = batch[r.index];
      if (item && FINAL.has(r.outcome)) done.add(item.event.event_id);
    }
    const remaining = await Store.withLock(async () => {
      const { queue: now, sent } = await Store.get("queue", "sent");
      const left = now.filter((q) => !done.has(q.event.event_id));
      // The toolbar popup shows how many shares reached the server from this browser.
      await Store.set({ queue: left, sent: sent + (now.length - left.length), flush: { attempts: 0, next_at: 0 } });
      return left.length;
    });
    return { sent: done.size, remaining };
  }

  /** Flush everything that is due; single-flight within this worker instance. An event queued
   * while a flush is under way would miss that flush's snapshot, so it asks for one more run. */
  let again = false;
  function flush() {
    if (flushing) {
      again = true;
      return flushing;
    }
    flushing = (async () => {
      let result = { sent: 0, remaining: 0 };
      do {
        again = false;
        for (let i = 0; i < 20; i++) {
          result = await flushOnce();
          if (result.error || !result.sent || !result.remaining) break;
        }
      } while (again && !result.error);
      return result;
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  /** Flush if the backoff allows it now (alarm ticks and wake-ups call this). */
  async function flushIfDue() {
    const { flush: f } = await Store.get("flush");
    if (Date.now() >= f.next_at) return flush();
    schedule(f.next_at);
    return null;
  }

  root.HeraldQueue = { enqueue, length, flush, flushIfDue };
})(globalThis);
