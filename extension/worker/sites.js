/* Served site adapters: GET /api/v1/sites with If-None-Match (a 304 nearly always) when a composer
 * opens and at the regular sync, as a step of HeraldContent.refresh. A served adapter newer than
 * the built-in one is checked against shared_schemas/sites/adapter.schema.json (embedded by the
 * build as adapter_schema) and stored; an invalid one is refused, reported to the server, and the
 * adapter in use stays. Content scripts read the stored state (bridge/adapters.js) and switch
 * live through chrome.storage.onChanged. Everything lives in chrome.storage.local: the worker
 * can be evicted between any two events. */
(function (root) {
  "use strict";
  const Api = root.HeraldApi;
  const Adapters = root.HeraldAdapters;
  const storage = heraldChrome.api.storage.local;
  const REPORT_EVERY_MS = 30 * 60 * 1000; // unchanged reports at most this often ("last seen")
  const MAX_ERRORS = 20;

  function problems(adapter, network) {
    const schema = root.HeraldGenerated && root.HeraldGenerated.adapter_schema;
    const errors = schema ? root.HeraldValidateValue(schema, adapter) : ["no adapter schema in this build"];
    if (adapter && adapter.network !== network) errors.push(`$.network: served as ${network}`);
    return errors;
  }

  async function installation() {
    const { installation: id } = await storage.get("installation");
    if (id) return id;
    const made = root.crypto.randomUUID();
    await storage.set({ installation: made });
    return made;
  }

  /** What the server's answer means for each network: {served, refused}. */
  function decide(body, previous) {
    const served = {};
    let refused = null;
    const sites = (body && body.sites) || {};
    for (const builtIn of Object.values(Adapters.builtIns())) {
      const network = builtIn.network;
      const adapter = sites[network];
      // The server serves the built-in version (or an older one) after a rollback: use ours.
      if (!adapter || (typeof adapter.version === "number" && adapter.version <= builtIn.version)) continue;
      const errors = problems(adapter, network);
      if (errors.length) {
        refused = {
          network,
          version: Number.isInteger(adapter.version) ? adapter.version : null,
          errors: errors.slice(0, MAX_ERRORS).map((e) => String(e).slice(0, 500)),
        };
        // Refused: whatever this network used before stays (the built-in one unless an earlier
        // valid upload was accepted).
        if (previous[network]) served[network] = previous[network];
        continue;
      }
      served[network] = adapter;
    }
    return { served, refused };
  }

  async function refresh() {
    const state = await Adapters.load();
    const headers = state.etag ? { "If-None-Match": state.etag } : {};
    const res = await Api.request("/sites", { headers });
    if (res.status === 404) return { changed: false }; // a server from before /sites
    if (res.status !== 304) {
      if (!res.ok) {
        const err = new Api.NetworkError(`/sites answered ${res.status}`);
        err.httpStatus = res.status;
        throw err;
      }
      const body = await res.json();
      const { served, refused } = decide(body, state.served || {});
      const next = { ...state, etag: res.headers.get("ETag"), served };
      if (refused) next.refused = refused;
      // Written only when something changed: every open tab hears about each write.
      if (JSON.stringify(next) !== JSON.stringify(state)) await storage.set({ [Adapters.KEY]: next });
    }
    await report();
    return { changed: res.status !== 304 };
  }

  /** POST /sites/report when what this installation runs changed, a refusal waits, or the last
   * report is older than REPORT_EVERY_MS. Versions and error texts only: no page, no draft. */
  async function report() {
    const state = await Adapters.load();
    const adapters = {};
    for (const site of Object.values(Adapters.all(state))) adapters[site.network] = site.version;
    const body = { installation: await installation(), extension_version: heraldChrome.api.runtime.getManifest().version, adapters };
    const key = JSON.stringify(body);
    if (state.refused) body.refused = state.refused;
    else if (key === state.reported && Date.now() - (state.reported_at || 0) < REPORT_EVERY_MS) return;
    const res = await Api.request("/sites/report", { method: "POST", body });
    if (!res.ok) return;
    const now = await Adapters.load();
    delete now.refused;
    await storage.set({ [Adapters.KEY]: { ...now, reported: key, reported_at: Date.now() } });
  }

  root.HeraldSites = { refresh, decide, problems };
})(globalThis);
