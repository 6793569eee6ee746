/* Boot: pick this page's site adapter and set up every feature. Teardown runs when the
 * extension is reloaded/updated under a live page (the old content script's runtime dies). */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  if (!heraldChrome.available || Herald.booted) return;
  const site = Herald.siteForLocation(root.location);
  if (!site) return;
  Herald.booted = true;
  Herald.state.site = site;
  // The composer record carries its adapter; new ones pick it up in composer-finder.
  for (const f of Herald.features) {
    try {
      f.setup();
    } catch (e) {
      console.warn("[herald] feature failed to start:", f.name, e);
    }
  }
  Herald.mark("boot-end");
  try {
    const port = heraldChrome.api.runtime.connect({ name: "bridge-lifetime" });
    port.onDisconnect.addListener(() => {
      // Disconnect without a live runtime id means the extension went away: clean up the page.
      if (!heraldChrome.api.runtime || !heraldChrome.api.runtime.id) {
        for (const f of Herald.features) {
          try {
            f.teardown();
          } catch (_) {}
        }
      }
    });
  } catch (_) {}
})(globalThis);
