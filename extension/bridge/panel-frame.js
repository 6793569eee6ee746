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
      "z-index:2147483646;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.28);background:transparent;color-scheme:normal;";
    frame.addEventListener("load", () => Herald.emit("panel-frame-loaded", frame));
    (document.body || document.documentElement).appendChild(frame);
    Herald.mark("frame-created");
    return frame;
  }

  function anchorRect(composer) {
    const el = composer.editable;
    const r = el.getBoundingClientRect();
    // Leave room for the Herald button that sits just right of the editable.
    return { left: r.left, top: r.top, right: r.right + 40, bottom: r.bottom, width: r.width + 40, height: r.height };
  }

  /** Pure placement: a rect beside `a` (editable rect) inside the viewport, never overlapping it. */
  Herald.placePanel = function (a, vw, vh, width) {
    const height = Math.min(560, vh - 2 * GAP);
    const top = Math.max(GAP, Math.min(a.top, vh - height - GAP));
    const rightRoom = vw - GAP - (a.right + GAP);
    const leftRoom = a.left - 2 * GAP;
    // A side that fits a slightly narrower panel beats covering the page below the composer.
    if (rightRoom >= MIN_WIDTH) {
      const w = Math.min(width, rightRoom);
      return { left: a.right + GAP, top, width: w, height };
    }
    if (leftRoom >= MIN_WIDTH) {
      const w = Math.min(width, leftRoom);
      return { left: a.left - GAP - w, top, width: w, height };
    }
    // No room at the sides: below or above the editable, whichever is taller.
    const below = vh - a.bottom - 2 * GAP;
    const above = a.top - 2 * GAP;
    const left = Math.max(GAP, Math.min(a.left, vw - width - GAP));
    if (below >= above) return { left, top: a.bottom + GAP, width, height: Math.max(120, Math.min(height, below)) };
    const h = Math.max(120, Math.min(height, above));
    return { left, top: a.top - GAP - h, width, height: h };
  };

  function dock() {
    raf = 0;
    const c = Herald.state.composer;
    if (!frame || !Herald.state.panelVisible || !c || !c.editable.isConnected) return;
    const p = Herald.placePanel(anchorRect(c), root.innerWidth, root.innerHeight, WIDTH);
    Object.assign(frame.style, { left: `${p.left}px`, top: `${p.top}px`, width: `${p.width}px`, height: `${p.height}px` });
  }
  function scheduleDock() {
    if (!raf) raf = requestAnimationFrame(dock);
  }

  /** Show/hide. `explicit`: the employee asked (button, command), so the panel may take focus. */
  Herald.showPanel = function (visible, explicit = false) {
    create();
    if (visible && !Herald.state.composer) return;
    Herald.state.panelVisible = visible;
    frame.dataset.heraldVisible = String(visible);
    frame.setAttribute("aria-hidden", String(!visible));
    frame.style.visibility = visible ? "visible" : "hidden";
    if (visible) {
      dock();
      Herald.mark("panel-shown");
    }
    else frame.style.left = "-10000px";
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
