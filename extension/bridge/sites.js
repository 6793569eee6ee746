/* Site adapters are data (extension/sites/*.json, embedded by the build into generated.js,
 * with any --site-origin hosts added; newer ones may come from the company server, see
 * adapters.js). This file only picks the adapter for this page. */
(function (root) {
  "use strict";
  const Herald = root.Herald;

  function hostOf(origin) {
    try {
      return new URL(origin).host;
    } catch (_) {
      return origin;
    }
  }

  Herald.siteForLocation = function (loc) {
    // The adapters in use: built in, or newer ones the server served (bridge/adapters.js).
    const sites = root.HeraldAdapters ? root.HeraldAdapters.all(Herald.servedSites) : (root.HeraldGenerated && root.HeraldGenerated.sites) || {};
    for (const site of Object.values(sites)) {
      const hosts = new Set([...(site.hosts || []), ...(site.extra_origins || []).map(hostOf)]);
      if (hosts.has(loc.host)) {
        // Dev/test origins serve several fixtures from one host: let the path pick the site too.
        const paths = site.extra_paths || {};
        if (paths[loc.host] && !loc.pathname.includes(paths[loc.host])) continue;
        return site;
      }
    }
    return null;
  };

  /** First element matching any of `selectors` under `scope` (a Document, Element or ShadowRoot). */
  Herald.queryAny = function (scope, selectors) {
    for (const sel of selectors || []) {
      try {
        const el = scope.querySelector(sel);
        if (el) return el;
      } catch (_) {
        /* a bad selector in an adapter must not break the others */
      }
    }
    return null;
  };

  Herald.matchesAny = function (el, selectors) {
    if (!el || el.nodeType !== 1) return false;
    return (selectors || []).some((sel) => {
      try {
        return el.matches(sel);
      } catch (_) {
        return false;
      }
    });
  };
})(globalThis);
