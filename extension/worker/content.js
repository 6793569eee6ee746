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
    if (!res.ok) throw new Api.NetworkError(`${path}: ${res.status}`);
    const body = await res.json();
    return { entry: { etag: res.headers.get("ETag"), body, fetched_at: Date.now() }, changed: true };
  }

  async function refresh() {
    const { cache } = await Store.get("cache");
    let changed = false;
    let offline = false;
    try {
      const program = await Api.publicGet("/program");
      if (program.ok) {
        const body = await program.json();
        if (JSON.stringify(body) !== JSON.stringify(cache.program)) {
          cache.program = body;
          changed = true;
        }
      }
      for (const network of NETWORKS) {
        const got = await conditionalGet(`/suggestions?network=${network}&per_page=50`, cache.suggestions[network]);
        cache.suggestions[network] = got.entry;
        changed = changed || got.changed;
      }
      const policy = await conditionalGet("/policy", cache.policy);
      cache.policy = policy.entry;
      changed = changed || policy.changed;
    } catch (e) {
      if (e instanceof Api.AuthError) throw e;
      offline = true;
    }
    if (cache.offline !== offline) changed = true;
    cache.offline = offline;
    cache.updated_at = Date.now();
    await Store.set({ cache });
    await updateBadge();
    if (changed) await notifyFeatured();
    return { changed, offline };
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
    const { cache, notified, settings } = await Store.get("cache", "notified", "settings");
    if (settings.notifications === false) return;
    const done = new Set(notified);
    const fresh = allItems(cache).filter((i) => i.featured && !done.has(i.id));
    for (const item of fresh.slice(0, 3)) {
      done.add(item.id);
      try {
        chromeApi.notifications.create(`herald-featured-${item.id}`, {
          type: "basic",
          iconUrl: "icons/icon-128.png",
          title: heraldChrome.i18n("notification_featured_title", "New featured post"),
          message: item.title || "",
        });
      } catch (_) {}
    }
    for (const item of fresh) done.add(item.id);
    await Store.set({ notified: [...done].slice(-2000) });
  }

  root.HeraldContent = { refresh, updateBadge, markSeen, unseenCount };
})(globalThis);
