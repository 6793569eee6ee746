/* Guideline hints as wavy underlines via the CSS Custom Highlight API. The editor's DOM is never
 * touched: ranges are registered in CSS.highlights and painted by ::highlight() rules, which we
 * inject into the document and into the composer's shadow root (a shadow root does not inherit
 * document styles). Errors and warnings are separate highlights so they can be styled apart.
 * A composer in a same-origin iframe (fallback.js) paints through that frame's own registry
 * (CSS.highlights is per document) with that frame's Highlight and stylesheet. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const NAMES = { error: "herald-error", warning: "herald-warning", info: "herald-info" };
  const RULES = `
::highlight(herald-error) { text-decoration: underline wavy #d93025; text-decoration-thickness: 2px; text-underline-offset: 3px; }
::highlight(herald-warning) { text-decoration: underline wavy #e37400; text-decoration-thickness: 2px; text-underline-offset: 3px; }
::highlight(herald-info) { text-decoration: underline dotted #1a73e8; text-underline-offset: 3px; }
`;
  const styled = new WeakSet();
  let last = [];

  function ensureRules(scope) {
    if (!scope || styled.has(scope)) return;
    styled.add(scope);
    // A sheet can only be adopted by the document that constructed it: use the scope's own.
    const doc = scope.nodeType === 9 ? scope : scope.ownerDocument;
    try {
      const sheet = new doc.defaultView.CSSStyleSheet();
      sheet.replaceSync(RULES);
      scope.adoptedStyleSheets = [...scope.adoptedStyleSheets, sheet];
    } catch (_) {
      // Constructable sheets across worlds can fail; a <style> outside the editor works too.
      const style = doc.createElement("style");
      style.dataset.herald = "highlights";
      style.textContent = RULES;
      (scope.nodeType === 9 ? scope.head || scope.documentElement : scope).appendChild(style);
    }
  }

  /** {CSS, Highlight} of the window the composer's document belongs to, or null. */
  function realmOf(composer) {
    const win = composer ? composer.editable.ownerDocument.defaultView : root;
    try {
      if (win && win.CSS && win.CSS.highlights && typeof win.Highlight === "function") return win;
    } catch (_) {}
    return null;
  }

  function supported() {
    return typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  }

  // Windows we painted in (the top one, a composer's iframe): clearing clears all of them.
  const realms = new Set();

  function clear() {
    for (const win of realms) {
      try {
        for (const name of Object.values(NAMES)) win.CSS.highlights.delete(name);
      } catch (_) {}
    }
    realms.clear();
  }

  // One Highlight per severity and window, kept for the page's life: a keystroke updates its
  // ranges in place (or leaves it alone when they did not move), instead of registering new
  // objects each time.
  const paintedBy = new WeakMap();

  function sameRanges(highlight, list) {
    if (highlight.size !== list.length) return false;
    let i = 0;
    try {
      for (const r of highlight) {
        const n = list[i++];
        if (
          r.startContainer !== n.startContainer ||
          r.startOffset !== n.startOffset ||
          r.endContainer !== n.endContainer ||
          r.endOffset !== n.endOffset
        ) {
          return false;
        }
      }
    } catch (_) {
      return false; // Firefox content scripts cannot iterate a Highlight (Xray): repaint
    }
    return true;
  }

  /** Paint [{start, end, severity, rule}] (code points) on the composer. */
  Herald.paintHighlights = function (composer, ranges) {
    last = ranges || [];
    const win = realmOf(composer);
    if (!supported() || !composer || !win) return;
    const registry = win.CSS.highlights;
    for (const other of [...realms]) {
      if (other === win) continue;
      clearIn(other); // the previous composer's frame keeps no stale underline
      realms.delete(other);
    }
    realms.add(win);
    if (!paintedBy.has(win)) paintedBy.set(win, {});
    const painted = paintedBy.get(win);
    ensureRules(composer.editable.ownerDocument);
    if (composer.shadowRoot) ensureRules(composer.shadowRoot);
    const groups = { error: [], warning: [], info: [] };
    const spans = last.filter((r) => r.end > r.start);
    // The editor's DOM is read once for all spans (not once per span).
    const found = Herald.rangesFor(composer.editable, composer.site, spans);
    spans.forEach((r, i) => {
      if (found[i]) (groups[r.severity] || groups.warning).push(found[i]);
    });
    for (const [severity, list] of Object.entries(groups)) {
      const name = NAMES[severity];
      if (!list.length) {
        registry.delete(name);
        continue;
      }
      let highlight = painted[severity];
      if (!highlight) highlight = painted[severity] = new win.Highlight();
      if (registry.get(name) === highlight && sameRanges(highlight, list)) continue;
      highlight.clear();
      for (const range of list) highlight.add(range);
      if (registry.get(name) !== highlight) registry.set(name, highlight);
    }
    Herald.mark("highlights-painted");
  };

  Herald.feature({
    name: "highlights",
    setup() {
      this.off = [
        Herald.on("composer-removed", (c) => {
          if (c === Herald.state.composer || !Herald.state.composer) clear();
        }),
      ];
    },
    teardown() {
      (this.off || []).forEach((f) => f());
      clear();
    },
  });
  function clearIn(win) {
    try {
      for (const name of Object.values(NAMES)) win.CSS.highlights.delete(name);
    } catch (_) {}
  }
  Herald.clearHighlights = clear;
})(globalThis);
