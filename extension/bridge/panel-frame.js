/* The panel iframe (sandboxed Brython page). Preloaded hidden at page idle so that opening it
 * on composer focus is only a style change (Brython's cold boot is 200-400 ms). Docked beside
 * the composer, never over the text being written. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const WIDTH = 360;
  const GAP = 8;
  const MIN_WIDTH = 280;
  let frame = null;
  let raf = 0;
  let removers = [];
  let stopKeepingFocus = () => {}; // ends keepComposerFocus's guard early

  function create() {
    if (frame) return frame;
    Herald.mark("frame-create-start");
    frame = document.createElement("iframe");
    frame.src = heraldChrome.url("panel/panel.html");
    frame.className = "herald-panel-frame";
    frame.title = heraldChrome.i18n("panel_label", "Herald panel");
    frame.setAttribute("aria-hidden", "true");
    frame.dataset.heraldVisible = "false";
    // Off-screen but rendered: a display:none frame would still load, but Brython would measure
    // nothing; visibility keeps it out of the tab order and the accessibility tree.
    frame.style.cssText =
      `position:fixed;left:-10000px;top:0;width:${WIDTH}px;height:520px;border:0;visibility:hidden;` +
      "z-index:2147483647;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.28);background:transparent;color-scheme:normal;";
    frame.addEventListener("load", () => Herald.emit("panel-frame-loaded", frame));
    (document.body || document.documentElement).appendChild(frame);
    Herald.mark("frame-created");
    return frame;
  }

  // --- Theme -----------------------------------------------------------------------------------
  // The panel looks like part of the site: LinkedIn's dark mode (theme--dark on <html>), X's three
  // themes (the body's background: white, dim rgb(21,32,43), lights out black), any site's dark
  // background or color-scheme; with no signal from the site, the system's prefers-color-scheme.
  function parseColor(text) {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(text || "");
    return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
  }
  Herald.siteTheme = function () {
    const html = document.documentElement;
    if (/(^|\s)theme--dark/.test(html.className)) return "dark";
    for (const el of [document.body, html]) {
      if (!el) continue;
      const c = parseColor(getComputedStyle(el).backgroundColor);
      if (!c || c.a < 0.5) continue;
      const luminance = (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
      if (luminance > 0.5) return "light";
      return c.b - c.r > 12 && luminance > 0.06 ? "dim" : "dark";
    }
    if (getComputedStyle(html).colorScheme === "dark") return "dark";
    return root.matchMedia && root.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  };

  // --- Placement ------------------------------------------------------------------------------
  // The panel must never cover the text being written nor any of the site's controls (Post,
  // Dismiss, the toolbar): beside the dialog when there is room, else beside the editor, else
  // it collapses into the Herald button's pill (herald-button.js), which expands on click.
  const CONTROLS = "button, [role='button'], a[href], input, select, textarea, [role='tab'], [role='menuitem'], [role='switch']";

  /** Where `node`'s viewport starts in the top page's: (0, 0), or the content box of the
   * same-origin iframe it lives in (fallback composers can sit in one). */
  Herald.frameOffset = function (node) {
    const frame = Herald.frameOf ? Herald.frameOf(node) : null;
    if (!frame) return { x: 0, y: 0 };
    const r = frame.getBoundingClientRect();
    const outer = Herald.frameOffset(frame);
    return { x: outer.x + r.left + frame.clientLeft, y: outer.y + r.top + frame.clientTop };
  };

  /** `rect` (read in `node`'s document) in the top page's viewport, where Herald's own UI is. */
  Herald.topRect = function (rect, node) {
    const o = Herald.frameOffset(node);
    return { left: rect.left + o.x, top: rect.top + o.y, right: rect.right + o.x, bottom: rect.bottom + o.y, width: rect.width, height: rect.height };
  };

  function boxOf(el) {
    return Herald.topRect(el.getBoundingClientRect(), el);
  }
  function intersects(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function overlapArea(a, b) {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 0 && h > 0 ? w * h : 0;
  }
  function rectOf(left, top, width, height) {
    return { left, top, width, height, right: left + width, bottom: top + height };
  }

  /** What the composer occupies: the editable (text), its dialog/container box, and the boxes of
   * the site's controls around it (the Post button first), in viewport coordinates. */
  Herald.composerLayout = function (c) {
    const site = c.site || Herald.state.site;
    const editable = boxOf(c.editable);
    let container = c.via === "fallback" ? Herald.fallback.containerFor(c.editable) : null;
    for (const sel of container ? [] : site.composer.container || []) {
      try {
        container = c.editable.closest(sel);
      } catch (_) {}
      if (container) break;
    }
    const controls = [];
    const seen = new Set();
    const add = (el) => {
      if (seen.has(el) || c.editable.contains(el) || el.closest(".herald-button")) return;
      seen.add(el);
      const r = boxOf(el);
      if (r.right - r.left >= 1 && r.bottom - r.top >= 1) controls.push(r);
    };
    const scope = c.editable.getRootNode();
    for (const sel of site.composer.post_button || []) {
      try {
        scope.querySelectorAll(sel).forEach(add);
      } catch (_) {}
    }
    if (c.via === "fallback") {
      const post = Herald.fallback.submitFor(c.editable, site);
      if (post) add(post);
    }
    if (container) container.querySelectorAll(CONTROLS).forEach(add);
    // A composer in an iframe: the frame's box is what the page shows as the composer.
    const box = c.frame ? boxOf(c.frame) : container ? boxOf(container) : null;
    return { editable, box, controls };
  };

  /** First candidate rect inside the viewport that touches none of `avoid`, or null. */
  Herald.freeSpot = function (candidates, avoid, vw, vh) {
    for (const r of candidates) {
      if (r.left < 0 || r.top < 0 || r.right > vw || r.bottom > vh) continue;
      if (!avoid.some((a) => intersects(r, a))) return r;
    }
    return null;
  };

  /** Pure placement: {mode: "panel", left, top, width, height} where the panel covers neither the
   * text nor a control, or {mode: "pill"} when there is no such room. `force` (the employee asked
   * for the panel) always gives a panel: the one covering the fewest controls and least text. */
  Herald.placePanel = function (layout, vw, vh, width, force = false, extraAvoid = []) {
    const height = Math.min(560, vh - 2 * GAP);
    const avoid = [layout.editable, ...layout.controls, ...extraAvoid];
    const candidates = [];
    const anchorTop = (layout.box || layout.editable).top;
    const top = Math.max(GAP, Math.min(anchorTop, vh - height - GAP));
    for (const base of [layout.box, layout.editable]) {
      if (!base) continue;
      // The Herald button just right of the composer: the panel docks right of it, not under it.
      const right = Math.max(base.right, ...extraAvoid.filter((b) => Math.abs(b.left - base.right) <= 12).map((b) => b.right));
      const rightRoom = vw - GAP - (right + GAP);
      if (rightRoom >= MIN_WIDTH) candidates.push(rectOf(right + GAP, top, Math.min(width, rightRoom), height));
      const leftRoom = base.left - 2 * GAP;
      if (leftRoom >= MIN_WIDTH) {
        const w = Math.min(width, leftRoom);
        candidates.push(rectOf(base.left - GAP - w, top, w, height));
      }
    }
    const e = layout.editable;
    const left = Math.max(GAP, Math.min(e.left, vw - width - GAP));
    const below = vh - e.bottom - 2 * GAP;
    const above = e.top - 2 * GAP;
    if (below >= 200) candidates.push(rectOf(left, e.bottom + GAP, width, Math.min(height, below)));
    if (above >= 200) candidates.push(rectOf(left, e.top - GAP - Math.min(height, above), width, Math.min(height, above)));
    const free = Herald.freeSpot(candidates, avoid, vw, vh);
    if (free) return { mode: "panel", left: free.left, top: free.top, width: free.width, height: free.height };
    if (!force) return { mode: "pill" };
    // Asked for with no free room: the spot that hides the fewest controls, then the least text.
    const w = Math.min(width, vw - 2 * GAP);
    const spots = [...candidates];
    for (const x of [vw - w - GAP, GAP]) for (const y of [GAP, vh - height - GAP]) spots.push(rectOf(x, y, w, height));
    // A shorter panel that stops above the controls it would cover (Post sits low in dialogs).
    for (const r of [...spots]) {
      const below = layout.controls.filter((a) => intersects(r, a) && a.top - GAP - r.top >= 240);
      if (below.length) spots.push(rectOf(r.left, r.top, r.width, Math.min(...below.map((a) => a.top - GAP - r.top))));
    }
    const cost = (r) =>
      layout.controls.reduce((sum, a) => sum + overlapArea(r, a) * 50, 0) + overlapArea(r, layout.editable);
    spots.sort((a, b) => cost(a) - cost(b));
    const best = spots[0];
    return { mode: "panel", left: best.left, top: best.top, width: best.width, height: best.height };
  };

  function buttonBox() {
    if (Herald.placeButton) Herald.placeButton();
    const b = document.querySelector("button.herald-button");
    return b && !b.hidden ? [boxOf(b)] : [];
  }

  function dock() {
    raf = 0;
    const c = Herald.state.composer;
    if (!frame || !c || !Herald.composerAlive(c)) return;
    if (!Herald.state.panelVisible && !Herald.state.panelCollapsed) return;
    const layout = Herald.composerLayout(c);
    const p = Herald.placePanel(layout, root.innerWidth, root.innerHeight, WIDTH, !!Herald.state.panelForced, buttonBox());
    if (p.mode === "pill") {
      if (Herald.state.panelVisible) {
        setVisible(false, true);
        Herald.emit("panel-shown", { visible: false, focus: false });
      }
      return;
    }
    if (!Herald.state.panelVisible) {
      setVisible(true, false);
      Herald.emit("panel-shown", { visible: true, focus: false });
    }
    Object.assign(frame.style, { left: `${p.left}px`, top: `${p.top}px`, width: `${p.width}px`, height: `${p.height}px` });
  }
  function scheduleDock() {
    if (!raf) raf = requestAnimationFrame(dock);
  }

  /** The frame's own visibility; `collapsed`: hidden only for lack of room (the pill shows). */
  function setVisible(visible, collapsed) {
    Herald.state.panelVisible = visible;
    Herald.state.panelCollapsed = !visible && collapsed;
    frame.dataset.heraldVisible = String(visible);
    frame.dataset.heraldCollapsed = String(Herald.state.panelCollapsed);
    frame.setAttribute("aria-hidden", String(!visible));
    frame.style.visibility = visible ? "visible" : "hidden";
    if (!visible) frame.style.left = "-10000px";
    Herald.emit("panel-collapsed", Herald.state.panelCollapsed);
  }

  // --- The caret -------------------------------------------------------------------------------
  // Where the employee's caret was when focus left the composer (for the panel, usually), so that
  // closing the panel puts it back exactly there and typing simply continues.
  let savedCaret = null;
  function selectionOf(c) {
    const scope = c.shadowRoot && c.shadowRoot.getSelection ? c.shadowRoot : c.editable.ownerDocument;
    return scope.getSelection ? scope.getSelection() : null;
  }
  function onFocusOut(event) {
    const c = Herald.state.composer;
    if (!c || !event.composedPath().includes(c.editable)) return;
    const sel = selectionOf(c);
    if (sel && sel.rangeCount && c.editable.contains(sel.getRangeAt(0).startContainer)) {
      savedCaret = { composer: c, range: sel.getRangeAt(0).cloneRange() };
    }
  }
  Herald.returnCaret = function () {
    const c = Herald.state.composer;
    if (!c || !c.editable.isConnected) return;
    c.editable.focus({ preventScroll: true });
    const sel = selectionOf(c);
    if (!sel || !savedCaret || savedCaret.composer !== c) return;
    const range = savedCaret.range;
    if (c.editable.contains(range.startContainer) && c.editable.contains(range.endContainer)) {
      sel.removeAllRanges();
      sel.addRange(range);
    }
  };

  /** Show/hide. `explicit`: the employee asked (button, command), so the panel may take focus. */
  Herald.showPanel = function (visible, explicit = false) {
    create();
    if (visible && !Herald.state.composer) return;
    Herald.state.panelForced = visible && explicit;
    const focusWasInPanel = frame && document.activeElement === frame;
    setVisible(visible, false);
    // Closing the panel from inside it (its ×, the keyboard command) gives the caret back.
    if (!visible && focusWasInPanel) Herald.returnCaret();
    if (visible) {
      dock();
      if (!Herald.state.panelVisible) return; // no room: collapsed into the pill
      Herald.mark("panel-shown");
    }
    // An explicit open hands focus to the frame from here: the sandboxed (cross-origin) panel may
    // not take it itself without a user activation of its own, which the keyboard command lacks.
    if (explicit) stopKeepingFocus();
    if (visible && explicit) frame.focus({ preventScroll: true });
    Herald.emit("panel-shown", { visible, focus: visible && explicit });
    if (visible && !explicit) keepComposerFocus();
  };
  Herald.togglePanel = () => Herald.showPanel(!Herald.state.panelVisible, true);

  // The panel opens by itself when the composer gets focus; it must never take the caret away
  // (the employee is typing). If the frame grabs focus right after an automatic open, give it back.
  // An explicit open (button, command) in that window ends the guard: then the panel may keep it.
  function keepComposerFocus() {
    const c = Herald.state.composer;
    if (!c) return;
    stopKeepingFocus();
    const until = performance.now() + 800;
    let active = true;
    const onBlur = () => {
      setTimeout(() => {
        if (active && performance.now() < until && document.activeElement === frame && c.editable.isConnected) {
          c.editable.focus({ preventScroll: true });
        }
      }, 0);
    };
    root.addEventListener("blur", onBlur, { once: true });
    const timer = setTimeout(stopKeepingFocus, 800);
    stopKeepingFocus = () => {
      active = false;
      clearTimeout(timer);
      root.removeEventListener("blur", onBlur);
      stopKeepingFocus = () => {};
    };
  }
  Herald.panelWindow = () => (frame ? frame.contentWindow : null);
  Herald.panelFrame = () => frame;

  Herald.feature({
    name: "panel-frame",
    setup() {
      const idle = root.requestIdleCallback || ((fn) => setTimeout(fn, 200));
      idle(create, { timeout: 1500 });
      removers = [
        Herald.listen(root, "resize", scheduleDock),
        Herald.listen(root, "scroll", scheduleDock, true),
        Herald.listen(document, "focusout", onFocusOut, true),
        Herald.on("composer-focused", (c) => {
          Herald.state.shownAt = performance.now();
          // Once the employee closed the panel for this composer, only the button reopens it.
          if (!c.dismissed) Herald.showPanel(true);
        }),
        Herald.on("composer-refocused", scheduleDock),
        Herald.on("text-changed", scheduleDock),
        Herald.on("composer-removed", () => {
          if (!Herald.state.composer) Herald.showPanel(false);
        }),
      ];
    },
    teardown() {
      removers.forEach((r) => r());
      if (frame) frame.remove();
      frame = null;
    },
  });
})(globalThis);
