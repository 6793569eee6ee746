/* Suggestions, policy and program branding, cached in chrome.storage.local with their ETags so
 * hints keep working offline. Also the badge (unseen approved snippets) and notifications for
 * featured snippets. */
(function (root) {
  "use strict";
  const Store = root.HeraldStore;
  const Api = root.HeraldApi;
  const NETWORKS = ["linkedin", "x"];
  const chromeApi = heraldChrome.api;

  async function conditionalGet(path, cached) {
    const headers = cached && cached.etag ? { "If-None-Match": cached.etag } : {};
    const res = await Api.request(path, { headers });
    if (res.status === 304 && cached) return { entry: cached, changed: false };
    if (!res.ok) throw httpError(path, res.status);
    const body = await res.json();
    return { entry: { etag: res.headers.get("ETag"), body, fetched_at: Date.now() }, changed: true };
  }

  async function refresh() {
    const { cache } = await Store.get("cache");
    let changed = false;
    let offline = false;
    const errors = [];
    // Each resource on its own: a server without one endpoint (or one failing) must not hide the
    // others, and only an unreachable server counts as offline.
    async function step(name, fn) {
      try {
        await fn();
      } catch (e) {
        if (e instanceof Api.AuthError) throw e;
        if (e instanceof Api.NetworkError && !e.httpStatus) offline = true;
        errors.push(`${name}: ${e.message || e}`);
      }
    }
    await step("program", async () => {
      const res = await Api.publicGet("/program");
      if (!res.ok) throw httpError("/program", res.status);
      const body = await res.json();
      if (JSON.stringify(body) !== JSON.stringify(cache.program)) {
        cache.program = body;
        changed = true;
      }
    });
    for (const network of NETWORKS) {
      if (offline) break;
      await step(`suggestions ${network}`, async () => {
        const got = await conditionalGet(`/suggestions?network=${network}&per_page=50`, cache.suggestions[network]);
        cache.suggestions[network] = got.entry;
        changed = changed || got.changed;
      });
    }
    if (!offline) {
      await step("policy", async () => {
        const got = await conditionalGet("/policy", cache.policy);
        cache.policy = got.entry;
        changed = changed || got.changed;
      });
    }
    if (!offline) {
      // Rank and points for the panel: {opted_in: false} for someone who did not opt in.
      await step("standing", async () => {
        const res = await Api.request("/recognition/me");
        if (!res.ok) throw httpError("/recognition/me", res.status);
        const body = await res.json();
        if (JSON.stringify(body) !== JSON.stringify(cache.standing)) {
          cache.standing = body;
          changed = true;
        }
      });
    }
    if (!offline) {
      // Site adapters the company serves (worker/sites.js): content scripts follow through storage.
      await step("sites", () => root.HeraldSites.refresh());
    }
    if (cache.offline !== offline) changed = true;
    cache.offline = offline;
    cache.errors = errors;
    cache.updated_at = Date.now();
    await Store.set({ cache });
    await updateBadge();
    if (changed) await notifyFeatured();
    return { changed, offline, errors };
  }

  function httpError(path, status) {
    const e = new Api.NetworkError(`${path}: HTTP ${status}`);
    e.httpStatus = status;
    return e;
  }

  function allItems(cache) {
    const out = [];
    for (const network of NETWORKS) {
      const entry = cache.suggestions[network];
      for (const item of (entry && entry.body && entry.body.items) || []) out.push(item);
    }
    return out;
  }

  async function unseenCount() {
    const { cache, seen } = await Store.get("cache", "seen");
    const seenSet = new Set(seen);
    return new Set(allItems(cache).map((i) => i.id).filter((id) => !seenSet.has(id))).size;
  }

  async function updateBadge() {
    const n = await unseenCount();
    try {
      await chromeApi.action.setBadgeText({ text: n ? String(Math.min(n, 99)) : "" });
      await chromeApi.action.setBadgeBackgroundColor({ color: "#0a66c2" });
    } catch (_) {}
    return n;
  }

  async function markSeen() {
    const { cache, seen } = await Store.get("cache", "seen");
    const ids = new Set([...seen, ...allItems(cache).map((i) => i.id)]);
    await Store.set({ seen: [...ids].slice(-2000) });
    return updateBadge();
  }

  async function notifyFeatured() {
    const { cache, notified, settings, notifyPrimed } = await Store.get(
      "cache", "notified", "settings", "notifyPrimed");
    const done = new Set(notified);
    if (!notifyPrimed) {
      // The first sync after sign-in: what is already featured is not news, and the badge and panel
      // show it anyway. Announce only what is featured from now on.
      for (const item of allItems(cache)) if (item.featured) done.add(item.id);
      await Store.set({ notified: [...done].slice(-2000), notifyPrimed: true });
      return;
    }
    // One entry per snippet: a snippet with variants for both networks is listed twice.
    const fresh = [...new Map(allItems(cache).filter((i) => i.featured && !done.has(i.id)).map((i) => [i.id, i])).values()];
    for (const item of fresh) done.add(item.id);
    // Off means "not for these": snippets approved meanwhile are not replayed once turned back on.
    if (settings.notifications !== false) {
      for (const item of fresh.slice(0, 3)) {
        try {
          // Absolute icon URL: a relative one resolves against worker/ and Chrome then refuses to
          // show the notification ("Unable to download all specified images").
          await chromeApi.notifications.create(`herald-featured-${item.id}`, {
            type: "basic",
            iconUrl: chromeApi.runtime.getURL("icons/icon-128.png"),
            title: heraldChrome.i18n("notification_featured_title", "New featured post"),
            message: item.title || "",
          });
        } catch (_) {}
      }
    }
    await Store.set({ notified: [...done].slice(-2000) });
  }

  root.HeraldContent = { refresh, updateBadge, markSeen, unseenCount };
})(globalThis);
