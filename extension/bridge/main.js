/* Boot: pick this page's site adapter and set up every feature. Teardown runs when the
 * extension is reloaded/updated under a live page (the old content script's runtime dies). */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  if (!heraldChrome.available || Herald.booted || Herald.booting) return;
  Herald.booting = true; // the boot waits for one storage read: a second injection must not start another

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

  /** The server served a newer adapter (or the admin rolled back): this page switches to it
   * without a reload. Composers found with the old selectors are forgotten, then found again. */
  function onStorageChanged(changes, area) {
    const key = root.HeraldAdapters.KEY;
    if (area !== "local" || !changes[key] || !Herald.booted) return;
    Herald.servedSites = changes[key].newValue || {};
    const next = Herald.siteForLocation(root.location);
    if (!next || JSON.stringify(next) === JSON.stringify(Herald.state.site)) return;
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

  // The stored served adapters first (one storage read), then the features.
  root.HeraldAdapters.load().then((stored) => {
    Herald.servedSites = stored;
    boot();
    try {
      heraldChrome.api.storage.onChanged.addListener(onStorageChanged);
    } catch (_) {}
  });
})(globalThis);
