/* Which site adapter a network uses: the built-in one (extension/sites, in generated.js) or a newer
 * one the company server served (GET /api/v1/sites, checked and stored by worker/sites.js in
 * chrome.storage.local under "sites"). Shared by the worker and the content scripts so both
 * answer the same. An adapter is data (selectors, methods, limits), never code: nothing in it is
 * evaluated, which keeps MV3's rule against remotely hosted code. */
(function (root) {
  "use strict";
  const KEY = "sites";

  function builtIns() {
    return (root.HeraldGenerated && root.HeraldGenerated.sites) || {};
  }

  /** The served adapter when it is for the same network and newer than the built-in one; where
   * Herald runs (hosts, and the build's dev/test origins) always comes from the build. */
  function effective(builtIn, served) {
    if (!builtIn || !served || served.network !== builtIn.network) return builtIn;
    if (!(typeof served.version === "number" && served.version > (builtIn.version || 0))) return builtIn;
    const out = { ...served, hosts: builtIn.hosts, content_script_matches: builtIn.content_script_matches };
    if (builtIn.extra_origins) out.extra_origins = builtIn.extra_origins;
    if (builtIn.extra_paths) out.extra_paths = builtIn.extra_paths;
    return out;
  }

  /** Every adapter in use, keyed like the built-in table, given the stored state ({served: {network: adapter}}). */
  function all(stored) {
    const served = (stored && stored.served) || {};
    const out = {};
    for (const [key, site] of Object.entries(builtIns())) out[key] = effective(site, served[site.network]);
    return out;
  }

  async function load() {
    try {
      const got = await heraldChrome.api.storage.local.get(KEY);
      return got[KEY] || {};
    } catch (_) {
      return {};
    }
  }

  const MAX_LIMIT = 100000;

  /** This account's post length limit on `site`: the employee's own setting (options page, X),
   * else the number the page shows where the adapter's limit_selector points (X shows 25,000 to
   * subscribers), else the adapter's limit. */
  function accountLimit(site, settings, doc) {
    if (!site) return null;
    const own = settings && site.network === "x" ? settings.x_limit : null;
    if (Number.isInteger(own) && own > 0 && own <= MAX_LIMIT) return own;
    for (const sel of site.limit_selector || []) {
      let el = null;
      try {
        el = doc.querySelector(sel);
      } catch (_) {
        continue; // a bad selector in an adapter must not break the others
      }
      const n = el ? parseInt((el.textContent || "").replace(/[^0-9]/g, ""), 10) : NaN;
      if (n >= 1 && n <= MAX_LIMIT) return n;
    }
    return Number.isInteger(site.limit) ? site.limit : null;
  }

  root.HeraldAdapters = { KEY, builtIns, effective, all, load, accountLimit };
})(globalThis);
