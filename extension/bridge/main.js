/* Boot: pick this page's site adapter and set up every feature. Teardown runs when the
 * extension is reloaded/updated under a live page (the old content script's runtime dies). */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  if (!heraldChrome.available || Herald.booted) return;

  function setupAll() {
    for (const f of Herald.features) {
      try {
        f.setup();
      } catch (e) {
        console.warn("[herald] feature failed to start:", f.name, e);
      }
    }
  }

  function teardownAll() {
    for (const f of Herald.features) {
      try {
        f.teardown();
      } catch (_) {}
    }
  }

  function boot() {
    const site = Herald.siteForLocation(root.location);
    if (!site) return;
    Herald.booted = true;
    Herald.state.site = site;
    // The composer record carries its adapter; new ones pick it up in composer-finder.
    setupAll();
    Herald.mark("boot-end");
    try {
      const port = heraldChrome.api.runtime.connect({ name: "bridge-lifetime" });
      port.onDisconnect.addListener(() => {
        // Disconnect without a live runtime id means the extension went away: clean up the page.
        if (!heraldChrome.api.runtime || !heraldChrome.api.runtime.id) teardownAll();
      });
    } catch (_) {}
  }

  /** Use the served adapters in `stored` (worker/sites.js keeps them in chrome.storage.local):
   * at boot, and whenever the server serves a newer one or the admin rolls back. The page switches
   * without a reload: composers found with the old selectors are forgotten, then found again. */
  function useServed(stored) {
    Herald.servedSites = stored || {};
    const next = Herald.siteForLocation(root.location);
    if (!Herald.booted || !next || JSON.stringify(next) === JSON.stringify(Herald.state.site)) return;
    teardownAll();
    for (const c of [...Herald.state.composers]) Herald.emit("composer-removed", c);
    Herald.state.composers.clear();
    Herald.state.composer = null;
    Herald.state.panelReady = false;
    Herald.state.panelVisible = false;
    Herald.state.site = next;
    setupAll();
    // The finder (set up first) found a focused composer before the features after it listened:
    // focus it again now that everyone hears it.
    const focused = Herald.state.composer;
    if (focused) {
      Herald.state.composer = null;
      Herald.selectComposer(focused);
    }
  }

  // Boot at once with the built-in adapters (no wait on the host page's load); a served one,
  // when the worker stored one, replaces it after one storage read (bridge/adapters.js).
  boot();
  if (Herald.booted) {
    root.HeraldAdapters.load().then(useServed);
    try {
      heraldChrome.api.storage.onChanged.addListener((changes, area) => {
        const key = root.HeraldAdapters.KEY;
        if (area === "local" && changes[key]) useServed(changes[key].newValue);
      });
    } catch (_) {}
  }
})(globalThis);
