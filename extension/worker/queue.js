/* Durable share queue. An event is written to chrome.storage.local before the bridge gets its
 * reply, and leaves the queue only when the server answered created, duplicate (already stored)
 * or refused it as invalid: a per-event "rejected", or a 400/413/415/422 for a batch of one (a
 * refused larger batch is split in halves until the culprit is alone, so the rest still go).
 * Refused events are dropped and counted (`dropped`, shown on the options page): resending what
 * the server refuses would block the queue for ever. Anything else (network errors, 5xx, 429,
 * auth) keeps them, with exponential backoff. Exactly-once comes from the Python-chosen
 * event_id: a batch re-sent after an eviction mid-flush comes back "duplicate". */
(function (root) {
  "use strict";
  const Store = root.HeraldStore;
  const Api = root.HeraldApi;
  const BATCH = 500;
  const BASE_DELAY = 2000;
  const MAX_DELAY = 5 * 60 * 1000;
  const STORED = new Set(["created", "duplicate"]);
  // Statuses by which the server refuses the content itself: sending it again cannot help.
  const REFUSED = new Set([400, 413, 415, 422]);

  class Retry extends Error {}
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
    const done = new Set();
    const dropped = new Set();
    let error = null;
    try {
      await send(batch, done, dropped);
    } catch (e) {
      error = String((e && e.message) || e);
    }
    // What was settled before an error is kept settled: those events never go again.
    const remaining = await Store.withLock(async () => {
      const { queue: now, dropped: count, sent } = await Store.get("queue", "dropped", "sent");
      const left = now.filter((q) => !done.has(q.event.event_id) && !dropped.has(q.event.event_id));
      // The toolbar popup shows how many shares reached the server from this browser.
      const values = { queue: left, dropped: count + countIn(now, dropped), sent: sent + countIn(now, done) };
      if (!error) values.flush = { attempts: 0, next_at: 0 };
      await Store.set(values);
      return left.length;
    });
    if (error) {
      await backoff();
      return { sent: done.size, dropped: dropped.size, remaining, error };
    }
    return { sent: done.size + dropped.size, dropped: dropped.size, remaining };
  }

  function countIn(items, ids) {
    return items.filter((q) => ids.has(q.event.event_id)).length;
  }

  /** POST `batch`; add stored ids to `done` and refused ones to `dropped`. Throws to retry later. */
  async function send(batch, done, dropped) {
    let res;
    try {
      res = await Api.request("/shares", { method: "POST", body: { events: batch.map((q) => q.event) } });
    } catch (e) {
      throw new Retry(String(e.message || e));
    }
    if (res.ok) {
      const body = await res.json();
      for (const r of body.results || []) {
        const item = batch[r.index];
        if (!item) continue;
        if (STORED.has(r.outcome)) done.add(item.event.event_id);
        else if (r.outcome === "rejected") dropped.add(item.event.event_id);
      }
      return;
    }
    if (!REFUSED.has(res.status)) throw new Retry(`http_${res.status}`);
    if (batch.length === 1) {
      dropped.add(batch[0].event.event_id);
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await send(batch.slice(0, half), done, dropped);
    await send(batch.slice(half), done, dropped);
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
