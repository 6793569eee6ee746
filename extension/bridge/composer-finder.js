/* Finds composers, including ones created later and inside open shadow roots, and forgets
 * removed ones. Emits "composer-added" / "composer-removed" / "composer-focused".
 * Adapter matches carry via: "adapter"; an editor no selector matches may still be a composer by
 * the generic fallback's rules (fallback.js): via: "fallback", found when it has focus, also in
 * closed shadow roots and same-origin iframes. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  let observers = [];
  let removers = [];
  let scheduled = false;

  function scopes(site) {
    // The document plus each open shadow root the adapter names (LinkedIn's #interop-outlet),
    // plus any open shadow root that already holds a match.
    const out = [document];
    for (const sel of site.composer.shadow_hosts || []) {
      for (const host of document.querySelectorAll(sel)) if (host.shadowRoot) out.push(host.shadowRoot);
    }
    return out;
  }

  function describe(editable, via = "adapter") {
    const rootNode = editable.getRootNode();
    // Not `instanceof ShadowRoot`: a root inside an iframe comes from that frame's realm.
    const shadowRoot = rootNode.nodeType === 11 && rootNode.host ? rootNode : null;
    const site = via === "fallback" ? Herald.fallback.fallbackSite(Herald.state.site) : Herald.state.site;
    return { editable, shadowRoot, site, via, frame: Herald.frameOf(editable) };
  }

  /** Still on the page: connected, and its iframe too (a removed iframe's nodes stay connected
   * to their own orphaned document). */
  function alive(c) {
    return c.editable.isConnected && (!c.frame || c.frame.isConnected);
  }
  Herald.composerAlive = alive;

  /** Where a composer's events can be seen whole: its closed shadow root or its iframe's window
   * (null: the top window's listeners see them). Listeners there use the capture phase. */
  Herald.composerScope = function (c) {
    if (c.frame) return c.editable.ownerDocument.defaultView;
    if (c.shadowRoot && !c.shadowRoot.host.shadowRoot) return c.shadowRoot; // closed
    return null;
  };

  /** A composer found by the fallback: its closed shadow root or iframe document is watched for
   * removals too (the page's own observer cannot see inside them). */
  function addFallback(editable) {
    const c = describe(editable, "fallback");
    Herald.state.composers.add(c);
    Herald.emit("composer-added", c);
    const rootNode = editable.getRootNode();
    if (rootNode !== document) observe(rootNode);
    return c;
  }

  function findFallback(target) {
    if (!target || target.nodeType !== 1) return null;
    for (const c of Herald.state.composers) if (c.editable === target || c.editable.contains(target)) return c;
    const found = Herald.fallback.candidate(target, Herald.state.site);
    return found ? addFallback(found.editable) : null;
  }

  // Same-origin iframes: the top frame's content script reaches into their documents (one
  // bridge, one panel docked in the top page), listening for focus and watching mutations.
  const hookedDocs = new WeakSet();
  const hookedFrames = new WeakSet();
  function hookFrames() {
    for (const frame of document.querySelectorAll("iframe")) {
      if (!hookedFrames.has(frame)) {
        hookedFrames.add(frame);
        removers.push(Herald.listen(frame, "load", () => hookFrames() || schedule()));
      }
      const doc = Herald.frameDocument(frame);
      if (!doc || !doc.documentElement || hookedDocs.has(doc)) continue;
      hookedDocs.add(doc);
      removers.push(Herald.listen(doc, "focusin", onFocusIn, true));
      observe(doc.documentElement);
    }
  }

  /** A mutation inside a known composer's text (typing, which editors answer by rewriting their
   * DOM on every key) can neither add nor remove a composer: no scan for those. */
  function typingOnly(records) {
    for (const r of records) {
      let inside = false;
      for (const c of Herald.state.composers) {
        if (r.target !== c.editable && c.editable.contains(r.target)) {
          inside = true;
          break;
        }
      }
      if (!inside) return false;
    }
    return true;
  }

  function observe(target) {
    if (observers.some((o) => o.target === target)) return;
    const mo = new MutationObserver((records) => {
      if (!typingOnly(records)) schedule();
    });
    mo.observe(target, { childList: true, subtree: true, attributes: true, attributeFilter: ["contenteditable"] });
    observers.push({ target, mo });
  }

  function scan() {
    scheduled = false;
    const site = Herald.state.site;
    const found = new Set();
    for (const scope of scopes(site)) {
      if (scope !== document) observe(scope);
      for (const sel of site.composer.editable) {
        let list = [];
        try {
          list = scope.querySelectorAll(sel);
        } catch (_) {}
        for (const el of list) found.add(el);
      }
    }
    hookFrames();
    // Forget composers that left the DOM.
    for (const c of [...Herald.state.composers]) {
      const still = c.via === "fallback" ? c.editable.isContentEditable : Herald.matchesAny(c.editable, site.composer.editable);
      if (!alive(c) || !still) {
        Herald.state.composers.delete(c);
        if (Herald.state.composer === c) Herald.state.composer = null;
        Herald.emit("composer-removed", c);
      }
    }
    for (const el of found) {
      if ([...Herald.state.composers].some((c) => c.editable === el)) continue;
      const c = describe(el);
      Herald.state.composers.add(c);
      Herald.emit("composer-added", c);
      // Sites focus a new composer as they open it, before we could see it: no focusin follows.
      const active = el.getRootNode().activeElement;
      if (active && (active === el || el.contains(active))) focus(c);
      // A composer dialog that opened without focusing its editor (LinkedIn does this): the
      // panel comes with it, as it would on focus; the caret stays where the site put it.
      else if (!Herald.state.composer && inOpenDialog(el)) focus(c);
    }
    // Focus that arrived before we could listen (or inside a frame hooked just now).
    if (!found.size && !Herald.state.composer) {
      const c = findFallback(Herald.deepActive(document.activeElement));
      if (c) focus(c);
    }
  }

  function inOpenDialog(el) {
    const dialog = el.closest("[role='dialog'], dialog");
    return !!dialog && el.getClientRects().length > 0 && (!el.checkVisibility || el.checkVisibility());
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // Batch mutation storms (React re-renders) into one scan per frame.
    (root.requestAnimationFrame || setTimeout)(scan);
  }

  function focus(c) {
    if (Herald.state.composer !== c) {
      Herald.state.composer = c;
      Herald.emit("composer-focused", c);
    } else {
      Herald.emit("composer-refocused", c);
    }
  }

  function onFocusIn(event) {
    const path = event.composedPath();
    for (const c of Herald.state.composers) {
      if (path.includes(c.editable)) return focus(c);
    }
    // Inside a closed shadow root the path stops at its host: look through it.
    const deep = Herald.deepActive(path[0]);
    // An editable in a shadow root the adapter did not name: recognise it when it gets focus.
    const target = path[0];
    if (target && target.nodeType === 1 && Herald.matchesAny(target, Herald.state.site.composer.editable)) {
      const c = describe(target);
      Herald.state.composers.add(c);
      Herald.emit("composer-added", c);
      const rootNode = target.getRootNode();
      if (rootNode !== document) observe(rootNode);
      return focus(c);
    }
    const c = findFallback(deep);
    if (c) focus(c);
  }

  Herald.feature({
    name: "composer-finder",
    setup() {
      observe(document.documentElement);
      removers.push(Herald.listen(document, "focusin", onFocusIn, true));
      scan();
    },
    teardown() {
      observers.forEach((o) => o.mo.disconnect());
      observers = [];
      removers.forEach((r) => r());
      removers = [];
    },
  });
  Herald.rescanComposers = scan;
  /** Make `c` the current composer as if it got focus (the toolbar popup's "Open Herald"). */
  Herald.selectComposer = focus;
})(globalThis);
