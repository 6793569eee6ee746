/* Herald service worker: all network access and chrome.storage. It can be evicted at any time,
 * so every handler re-reads state from storage and every listener is registered synchronously
 * at top level (Chrome only wakes a worker for listeners present in its first turn). */
importScripts(
  "../shim.js",
  "generated.js",
  "../bridge/validate.js",
  "store.js",
  "api.js",
  "queue.js",
  "content.js",
  "../bridge/adapters.js",
  "sites.js",
  "health.js"
);

(function (root) {
  "use strict";
  const chromeApi = heraldChrome.api;
  const Store = root.HeraldStore;
  const Api = root.HeraldApi;
  const Queue = root.HeraldQueue;
  const Content = root.HeraldContent;
  const Health = root.HeraldHealth;
  const SYNC_MINUTES = 5;
  const PROFILE_FIELDS = ["leaderboard_opt_in", "digest_opt_in", "follower_count", "languages"];
  const ACCEPTED = ["get-state", "sign-in", "sign-out", "refresh-content", "queue-share", "set-settings", "mark-seen", "update-profile", "sso-info", "sign-in-sso", "get-my-data", "propose", "get-my-proposals", "get-leaderboard", "health-count", "save-panel-snapshot"];

  function normaliseServer(url) {
    const u = new URL(String(url).trim());
    if (!/^https?:$/.test(u.protocol)) throw new Error("server URL must be http(s)");
    return u.origin + u.pathname.replace(/\/+$/, "");
  }

  async function broadcast() {
    const message = { type: "state-changed" };
    try {
      const tabs = await chromeApi.tabs.query({});
      await Promise.all(tabs.map((t) => chromeApi.tabs.sendMessage(t.id, message).catch(() => null)));
    } catch (_) {}
    // Extension pages (the options host) listen on runtime messages.
    chromeApi.runtime.sendMessage(message).catch(() => null);
  }

  async function refreshAndBroadcast() {
    try {
      const r = await Content.refresh();
      if (r.changed) await broadcast();
      return { ok: true, offline: r.offline };
    } catch (e) {
      if (e instanceof Api.AuthError) {
        await broadcast();
        return { ok: false, error: "signed_out" };
      }
      return { ok: false, error: String(e.message || e) };
    }
  }

  /** What the company set by browser policy (chrome.storage.managed, manifest managed_schema):
   * the server URL, and whether employees may change it. Empty outside managed browsers. */
  async function managed() {
    try {
      const got = await chromeApi.storage.managed.get(["server_url", "lock_server_url"]);
      const url = typeof got.server_url === "string" && got.server_url.trim() ? got.server_url.trim() : null;
      return { server_url: url, locked: !!(url && got.lock_server_url === true) };
    } catch (_) {
      return { server_url: null, locked: false };
    }
  }

  // The policy as the panel gets it (get-state with policy_json): the compiled policy without its
  // CPython regexes (the browser runs the "js" flavour only: half the size), as JSON text, made
  // once per cached policy. Text crosses to the panel as one string: no object to copy through
  // the page and the panel's frame, which then hands it to Python as it is.
  let panelPolicy = { key: null, text: null };

  function panelPolicyJson(entry) {
    const body = entry && entry.body;
    if (!body) return null;
    // storage hands out a new object on every read: the policy is the same while its ETag and hash are
    const key = JSON.stringify([entry.etag || null, body.hash || null]);
    if (panelPolicy.key !== key || key === "[null,null]") {
      const text = JSON.stringify(body, (_key, value) => {
        if (value && typeof value === "object" && !Array.isArray(value) && "js" in value && "py" in value) {
          const { py: _py, ...rest } = value;
          return rest;
        }
        return value;
      });
      panelPolicy = { key, text };
    }
    return panelPolicy.text;
  }

  async function getState(network, policyJson) {
    const { auth, cache, settings, queue, sent, dropped, panel_snapshots } = await Store.get("auth", "cache", "settings", "queue", "sent", "dropped", "panel_snapshots");
    const signedIn = !!(auth && auth.refresh_token);
    const pick = (n) => {
      const entry = cache.suggestions[n];
      return entry ? entry.body : null;
    };
    if (signedIn && !cache.updated_at) refreshAndBroadcast(); // first run after sign-in/install
    const state = {
      signed_in: signedIn,
      server_url: (auth && auth.server_url) || null,
      user: signedIn ? auth.user : null,
      program: cache.program,
      suggestions: signedIn ? (network ? pick(network) : { linkedin: pick("linkedin"), x: pick("x") }) : null,
      policy: signedIn && cache.policy && !policyJson ? cache.policy.body : null,
      standing: signedIn ? cache.standing || null : null,
      offline: !!cache.offline,
      queue_length: queue.length,
      sent_count: sent,
      queue_dropped: dropped,
      settings,
    };
    if (network && signedIn && panel_snapshots[network]) state.panel_snapshot = panel_snapshots[network];
    if (!network) {
      // What only Herald's own pages show (options, popup): the company's server setting, the
      // unseen count, the health counts. A page's panel (the bridge asks for one network) does
      // not wait for them: the first read of chrome.storage.managed in a browser session takes
      // 0.5-2 s, and the first page's panel showed its cards that much later.
      const policy = await managed();
      state.server_url = (policy.locked && policy.server_url) || state.server_url || policy.server_url;
      state.managed = policy;
      state.unseen = await Content.unseenCount();
      state.health = await Health.view();
    }
    if (policyJson) {
      delete state.policy;
      state.policy_json = signedIn ? panelPolicyJson(cache.policy) : null;
    }
    return state;
  }

  /** GET an API path for an extension page: {ok, data} or {ok: false, error}. */
  async function getJson(path) {
    let res;
    try {
      res = await Api.request(path);
    } catch (e) {
      if (e instanceof Api.AuthError) {
        await broadcast();
        return { ok: false, error: "signed_out" };
      }
      return { ok: false, error: "network" };
    }
    const data = await res.json().catch(() => null);
    if (!res.ok || !data) return { ok: false, error: (data && data.error && data.error.code) || `http_${res.status}` };
    return { ok: true, data };
  }

  // Password or single sign-on: the same fresh start once the server handed out tokens.
  async function afterSignIn(result) {
    if (!result.ok) return result;
    await Store.set({
      cache: { program: null, suggestions: {}, policy: null, standing: null, offline: false, updated_at: null },
      notifyPrimed: false,
    });
    await refreshAndBroadcast();
    Queue.flush();
    return { ok: true, user: result.user };
  }

  /** An authenticated call for the options page, panel or popup: {ok: true, data} or
   * {ok: false, error (the server's code, network, signed_out), details?, retry_after?}. */
  async function authed(path, init) {
    let res;
    try {
      res = await Api.request(path, init);
    } catch (e) {
      if (e instanceof Api.AuthError) {
        await broadcast();
        return { ok: false, error: "signed_out" };
      }
      return { ok: false, error: "network" };
    }
    const data = await res.json().catch(() => null);
    if (res.ok && data) return { ok: true, data };
    const error = (data && data.error) || {};
    const answer = { ok: false, error: error.code || `http_${res.status}` };
    if (error.details != null) answer.details = error.details;
    const wait = parseInt(res.headers.get("Retry-After") || "", 10);
    if (Number.isFinite(wait)) answer.retry_after = wait;
    return answer;
  }

  const handlers = {
    "get-state": (m) => getState(m.network, m.policy_json === true),
    // The panel as last drawn on this network (relay.js): one per network, the newest wins.
    "save-panel-snapshot": (m) =>
      Store.withLock(async () => {
        const { auth, panel_snapshots } = await Store.get("auth", "panel_snapshots");
        if (!(auth && auth.refresh_token)) return { ok: false, error: "signed_out" };
        await Store.set({ panel_snapshots: Object.assign({}, panel_snapshots, { [m.network]: m.snapshot }) });
        return { ok: true };
      }),
    async "sign-in"(m) {
      let server;
      const policy = await managed();
      try {
        // A locked company server wins over whatever the page sent.
        server = normaliseServer(policy.locked ? policy.server_url : m.server_url);
      } catch (e) {
        return { ok: false, error: "invalid_server_url" };
      }
      let result;
      try {
        result = await Api.login(server, m.email, m.password);
      } catch (e) {
        return { ok: false, error: "network" }; // the options page maps "network" to its message
      }
      return afterSignIn(result);
    },
    // Does this server offer single sign-on? The options page shows "Sign in with <provider>".
    async "sso-info"(m) {
      let server;
      try {
        server = normaliseServer(m.server_url);
      } catch (e) {
        return { ok: false, error: "invalid_server_url" };
      }
      try {
        return { ok: true, ...(await Api.ssoInfo(server)) };
      } catch (e) {
        return { ok: false, error: "network" };
      }
    },
    async "sign-in-sso"(m) {
      let server;
      try {
        server = normaliseServer(m.server_url);
      } catch (e) {
        return { ok: false, error: "invalid_server_url" };
      }
      let result;
      try {
        result = await Api.ssoSignIn(server);
      } catch (e) {
        return { ok: false, error: "network" };
      }
      return afterSignIn(result);
    },
    async "sign-out"() {
      await Api.logout();
      const { auth } = await Store.get("auth");
      // Keep the server URL for the next sign-in; keep the share queue (it is not the draft).
      await Store.set({
        auth: auth ? { server_url: auth.server_url, access_token: null, refresh_token: null, user: null } : null,
        cache: { program: null, suggestions: {}, policy: null, standing: null, offline: false, updated_at: null },
        panel_snapshots: {},
      });
      await Content.updateBadge();
      await broadcast();
      return { ok: true };
    },
    // Every composer that opens asks (max_age_seconds): a conditional GET per resource, 304 when
    // nothing changed, so a snippet approved a minute ago shows at the employee's next composer.
    async "refresh-content"(m) {
      if (m.max_age_seconds != null) {
        const { cache, auth } = await Store.get("cache", "auth");
        if (!auth || !auth.refresh_token) return { ok: false, error: "signed_out" };
        if (cache.updated_at && Date.now() - cache.updated_at < m.max_age_seconds * 1000) return { ok: true, fresh: true };
      }
      return refreshAndBroadcast();
    },
    async "queue-share"(m) {
      const queue_length = await Queue.enqueue(m.event);
      Queue.flush(); // not awaited: the reply only promises durability
      return { ok: true, queue_length };
    },
    async "set-settings"(m) {
      const { settings } = await Store.get("settings");
      if (typeof m.notifications === "boolean") settings.notifications = m.notifications;
      if ("language" in m) settings.language = m.language;
      if ("x_limit" in m) settings.x_limit = m.x_limit; // null: what X's page shows
      await Store.set({ settings });
      await broadcast();
      return { ok: true };
    },
    // The employee's own preferences live on the server (PATCH /me); the stored user follows them.
    async "update-profile"(m) {
      const body = {};
      for (const key of PROFILE_FIELDS) if (key in m) body[key] = m[key];
      let res;
      try {
        res = await Api.request("/me", { method: "PATCH", body });
      } catch (e) {
        if (e instanceof Api.AuthError) {
          await broadcast();
          return { ok: false, error: "signed_out" };
        }
        return { ok: false, error: "network" };
      }
      const data = await res.json().catch(() => ({}));
      if (!res.ok) return { ok: false, error: (data.error && data.error.code) || `http_${res.status}` };
      const { auth } = await Store.get("auth");
      if (auth && auth.refresh_token) await Store.set({ auth: { ...auth, user: data } });
      // The suggestions say which are in the employee's languages: fetch them again (the ETag
      // changed with the choice) and let open panels reorder.
      if ("languages" in body) await refreshAndBroadcast();
      // Opting in or out of recognition changes what the panel shows (rank and points).
      else if ("leaderboard_opt_in" in body) refreshAndBroadcast();
      return { ok: true, user: data };
    },
    // What the server keeps about the employee, for the options page (shown, and downloadable).
    "get-my-data": () => getJson("/me/data"),
    // The recognition leaderboard the options page shows (empty for someone who did not opt in).
    "get-leaderboard"(m) {
      const params = new URLSearchParams({ period: m.period });
      if (m.team != null) params.set("team", String(m.team));
      return getJson(`/recognition/leaderboard?${params}`);
    },
    // "Suggest content": only the link, the page's title and the note go (never a draft).
    async propose(m) {
      const body = { url: m.url };
      if (m.title) body.title = m.title;
      if (m.note) body.note = m.note;
      const got = await authed("/proposals", { method: "POST", body });
      if (!got.ok) return got;
      return { ok: true, proposal: got.data };
    },
    async "get-my-proposals"() {
      return authed("/proposals/mine?per_page=100");
    },
    // Site health counters from a bridge (bridge/health.js): the worker copies four fields, nothing else.
    async "health-count"(m) {
      await Health.count({ site: m.site, adapter_version: m.adapter_version, counter: m.counter });
      return { ok: true };
    },
    async "mark-seen"() {
      await Content.markSeen();
      return { ok: true };
    },
  };

  chromeApi.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our own contexts: content scripts of this extension and its pages.
    if (sender.id !== chromeApi.runtime.id) return false;
    const check = root.HeraldValidate(message, ACCEPTED);
    if (!check.ok) {
      if (message && ACCEPTED.includes(message.type)) sendResponse({ ok: false, error: "invalid_message", details: check.errors });
      return false;
    }
    handlers[message.type](message).then(sendResponse, (e) => sendResponse({ ok: false, error: String(e.message || e) }));
    return true; // async reply
  });

  // Bridges hold a port open so they notice an extension reload; nothing to do here.
  chromeApi.runtime.onConnect.addListener(() => {});

  chromeApi.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === "herald-sync") {
      await refreshAndBroadcast();
      await Queue.flushIfDue();
      await Health.flushIfDue();
    } else if (alarm.name === "herald-flush") {
      await Queue.flushIfDue();
    } else if (alarm.name === "herald-health") {
      await Health.flushIfDue();
    }
  });

  chromeApi.commands.onCommand.addListener(async (command) => {
    if (command !== "toggle-panel") return;
    const [tab] = await chromeApi.tabs.query({ active: true, lastFocusedWindow: true });
    if (tab && tab.id != null) chromeApi.tabs.sendMessage(tab.id, { type: "toggle-panel" }).catch(() => null);
  });

  chromeApi.notifications.onClicked.addListener((id) => {
    if (id.startsWith("herald-featured-")) chromeApi.notifications.clear(id);
  });

  async function ensureAlarm() {
    const existing = await chromeApi.alarms.get("herald-sync");
    if (!existing) chromeApi.alarms.create("herald-sync", { periodInMinutes: SYNC_MINUTES, delayInMinutes: 1 });
  }
  chromeApi.runtime.onInstalled.addListener((details) => {
    ensureAlarm();
    // First run: the options page opens with its welcome and the sign-in form.
    if (details && details.reason === "install") chromeApi.runtime.openOptionsPage().catch(() => null);
  });
  chromeApi.runtime.onStartup.addListener(() => {
    ensureAlarm();
    Queue.flushIfDue();
  });
  ensureAlarm();
  // A wake-up for any reason is a chance to drain what an earlier instance left behind.
  Queue.flushIfDue();
  Health.flushIfDue();
})(globalThis);
