/* Bridge core: the namespace shared by the one-feature-per-file content scripts, plus the
 * feature registry. Why a registry: every feature has setup/teardown so an extension reload or
 * a composer going away leaves no listener behind (refined-github style). */
(function (root) {
  "use strict";
  const Herald = (root.Herald = root.Herald || {});
  const features = [];
  const listeners = new Map();

  Herald.features = features;
  Herald.state = {
    site: null, // adapter for this page (extension/sites/*.json)
    composer: null, // {editable, shadowRoot, container}
    composers: new Set(),
    panelReady: false,
    panelVisible: false,
  };

  /** Register a feature: {name, setup(), teardown()}. */
  Herald.feature = function (def) {
    features.push(def);
    return def;
  };

  /** Tiny event bus between features of this content script (same JS world only). */
  Herald.on = function (name, fn) {
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name).add(fn);
    return () => listeners.get(name).delete(fn);
  };
  Herald.emit = function (name, detail) {
    const set = listeners.get(name);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(detail);
      } catch (e) {
        Herald.log("listener failed", name, e);
      }
    }
  };

  Herald.log = function (...args) {
    if (Herald.debug) console.debug("[herald]", ...args);
  };
  Herald.debug = false;

  /** Listen with automatic teardown bookkeeping. Returns the remover. */
  Herald.listen = function (target, type, fn, options) {
    target.addEventListener(type, fn, options);
    return () => target.removeEventListener(type, fn, options);
  };

  /** performance.mark is shared with the page, so benchmarks can read our timings. Only the
   * latest mark per name is kept: a long typing session must not grow the timeline. */
  Herald.mark = function (name) {
    try {
      performance.clearMarks(`herald:${name}`);
      performance.mark(`herald:${name}`);
    } catch (_) {}
  };

  // The bridge's share of the host page's main thread at load: from here (the first bridge
  // script) to main.js having set up every feature (benchmarks/panel_bench.py reads both marks).
  Herald.mark("boot-start");

  Herald.uuid = function () {
    return root.crypto && root.crypto.randomUUID ? root.crypto.randomUUID() : String(Math.random()).slice(2);
  };
})(globalThis);
