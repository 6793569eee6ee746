/* Detects the employee pressing the site's own Post button (click, or Ctrl/Cmd+Enter in the
 * composer). The text is captured synchronously, before the site clears the editor, and handed
 * to the panel (compose-share), which decides the share event. We never press Post ourselves.
 * Fallback composers (fallback.js) have no adapter selector for Post: their button is the
 * submit-like one of their dialog/form. Clicks inside a closed shadow root or a same-origin
 * iframe never show their target to the window's listener, so those composers get listeners on
 * their own root/frame window; each event is handled once. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  let removers = [];
  const handled = new WeakSet();

  function isEnabled(btn) {
    return !btn.disabled && btn.getAttribute("aria-disabled") !== "true";
  }

  function composerFor(btn) {
    // The composer sharing the button's root (shadow root or document) and nearest container.
    const rootNode = btn.getRootNode();
    const candidates = [...Herald.state.composers].filter((c) => c.editable.isConnected && c.editable.getRootNode() === rootNode);
    if (candidates.length <= 1) return candidates[0] || Herald.state.composer;
    const focused = candidates.find((c) => c === Herald.state.composer);
    return focused || candidates[0];
  }

  function capture(composer) {
    if (!composer) return;
    const text = Herald.readText(composer.editable, composer.site);
    if (!text.trim()) return;
    Herald.emit("post-pressed", { composer, text });
  }

  function fallbackFor(btn) {
    for (const c of Herald.state.composers) {
      if (c.via === "fallback" && Herald.composerAlive(c) && Herald.fallback.submitFor(c.editable, c.site) === btn) return c;
    }
    return null;
  }

  function onClick(event) {
    if (handled.has(event)) return;
    const site = Herald.state.site;
    for (const el of event.composedPath()) {
      if (el.nodeType !== 1) continue;
      if (Herald.matchesAny(el, site.composer.post_button)) {
        handled.add(event);
        if (isEnabled(el)) capture(composerFor(el));
        return;
      }
      if (Herald.fallback.isSubmitLike(el, site)) {
        const c = fallbackFor(el);
        if (c) {
          handled.add(event);
          if (isEnabled(el)) capture(c);
          return;
        }
      }
    }
  }

  /** The Post button of `composer`: the adapter's nearest `post_button`, or for a fallback
   * composer the submit-like button of its dialog/form (also in a closed shadow root or an
   * iframe). The one answer for post detection and the post-anyway note (post-note.js). */
  function postButtonFor(composer) {
    if (composer.via === "fallback") return Herald.fallback.submitFor(composer.editable, composer.site);
    // The site's Post button nearest the editable (same shadow root or document).
    const selectors = Herald.state.site.composer.post_button || [];
    for (let el = composer.editable.parentElement; el; el = el.parentElement) {
      for (const sel of selectors) {
        let found = null;
        try {
          found = el.querySelector(sel);
        } catch (_) {}
        if (found) return found;
      }
    }
    return null;
  }

  Herald.postButtonFor = postButtonFor;

  function onKeyDown(event) {
    if (handled.has(event)) return;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
    const path = event.composedPath();
    const c = [...Herald.state.composers].find((x) => path.includes(x.editable));
    if (!c || !Herald.state.site.composer.post_shortcut) return;
    handled.add(event);
    // The shortcut posts only what the button would: a disabled Post (over the limit, still
    // uploading) means the site sends nothing, so neither do we.
    const btn = postButtonFor(c);
    if (btn && !isEnabled(btn)) return;
    capture(c);
  }

  let scoped = new WeakSet();

  function listenInside(c) {
    const scope = Herald.composerScope(c);
    if (!scope || scoped.has(scope)) return;
    scoped.add(scope);
    removers.push(Herald.listen(scope, "click", onClick, true), Herald.listen(scope, "keydown", onKeyDown, true));
  }

  Herald.feature({
    name: "post-detect",
    setup() {
      // Capture phase on window: runs before the site's own handlers clear the composer.
      removers = [
        Herald.listen(root, "click", onClick, true),
        Herald.listen(root, "keydown", onKeyDown, true),
        Herald.on("composer-added", listenInside),
      ];
    },
    teardown() {
      removers.forEach((r) => r());
      removers = [];
      scoped = new WeakSet(); // a served adapter re-runs setup: listen in the scopes again
    },
  });
})(globalThis);
