/* Health counts (issue 13 §3): what happened to Herald in this site's composers, counted per site
 * and adapter version so the company's console sees within the hour when a site's markup changed
 * under us. Only the counter's name, the site's network name and the adapter version go to the
 * worker (health-count message): never text, never the page's address. The worker keeps the counts
 * in chrome.storage and sends them like the share queue (worker/health.js).
 *
 * Counters: composer_opened (+ matched_adapter / matched_fallback by `c.via`), composer_not_found
 * (emitted by relay.js when the toolbar popup or the keyboard shortcut asked for Herald and no
 * composer was there), insert_failed (insert.js), post_detected (post-detect.js's post-pressed) and
 * post_not_detected: a draft emptied at once, or its composer gone, without a Post being seen. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const DELETE_GRACE_MS = 1500; // the employee's own Backspace/Delete/cut that emptied the draft
  let removers = [];
  let drafts = new WeakMap(); // composer -> {hadText, posted}
  let lastDeleteAt = 0;

  function count(counter) {
    const site = Herald.state.site;
    if (!site) return;
    const version = Number.isInteger(site.version) && site.version >= 0 ? site.version : 0;
    heraldChrome.send({ type: "health-count", site: String(site.network), adapter_version: version, counter });
  }

  function draftOf(c) {
    if (!drafts.has(c)) drafts.set(c, { hadText: false, posted: false });
    return drafts.get(c);
  }

  function onText({ composer, text }) {
    const d = draftOf(composer);
    if (text.trim()) {
      if (d.posted) d.posted = false; // writing the next post
      d.hadText = true;
      return;
    }
    if (!d.hadText) return;
    d.hadText = false;
    const byEmployee = performance.now() - lastDeleteAt < DELETE_GRACE_MS;
    if (!d.posted && !byEmployee) Herald.emit("post-not-detected", { composer, reason: "emptied" });
    d.posted = false;
  }

  function onRemoved(c) {
    const d = drafts.get(c);
    if (d && d.hadText && !d.posted) Herald.emit("post-not-detected", { composer: c, reason: "closed" });
    drafts.delete(c);
  }

  function onKeyDown(event) {
    const k = event.key;
    if (k === "Backspace" || k === "Delete" || ((event.ctrlKey || event.metaKey) && (k === "x" || k === "X"))) {
      lastDeleteAt = performance.now();
    }
  }

  Herald.feature({
    name: "health",
    setup() {
      const opened = (c) => {
        draftOf(c);
        count("composer_opened");
        count((c && c.via) === "fallback" ? "matched_fallback" : "matched_adapter");
      };
      // Composers found before this feature started (composer-finder scans at its own setup: X's
      // inline composer is there at page load) count as opened too.
      for (const c of Herald.state.composers) opened(c);
      removers = [
        Herald.on("composer-added", opened),
        Herald.on("composer-removed", onRemoved),
        Herald.on("text-changed", onText),
        Herald.on("post-pressed", ({ composer }) => {
          if (composer) draftOf(composer).posted = true;
          count("post_detected");
        }),
        Herald.on("post-not-detected", () => count("post_not_detected")),
        Herald.on("composer-not-found", () => count("composer_not_found")),
        Herald.on("insert-failed", () => count("insert_failed")),
        Herald.listen(root, "keydown", onKeyDown, true),
        Herald.listen(root, "cut", () => (lastDeleteAt = performance.now()), true),
      ];
    },
    teardown() {
      removers.forEach((r) => r());
      removers = [];
      drafts = new WeakMap();
    },
  });
})(globalThis);
