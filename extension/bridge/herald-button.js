/* The Herald button beside the focused composer: opens/closes the panel and shows a small
 * badge (finding count) that the panel computes (status message). Lives in the page's body,
 * never inside the editor's DOM. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  let button = null;
  let badge = null;
  let raf = 0;
  let removers = [];
  let active = false; // between the feature's setup and teardown

  function create() {
    if (button) return button;
    button = document.createElement("button");
    button.type = "button";
    button.hidden = true; // shown by place() once it sits beside a composer
    button.className = "herald-button";
    button.setAttribute("aria-label", heraldChrome.i18n("button_aria_label", "Open Herald suggestions and hints"));
    button.setAttribute("aria-expanded", "false");
    const img = document.createElement("img");
    img.alt = "";
    img.src = heraldChrome.url("icons/icon-32.png");
    badge = document.createElement("span");
    badge.className = "herald-button__badge";
    badge.hidden = true;
    // Shown in the pill (the panel collapsed for lack of room): says what a click opens.
    const label = document.createElement("span");
    label.className = "herald-button__label";
    label.textContent = "Herald";
    button.append(img, label, badge);
    // Keep the caret in the composer: a focus change would close editor popups and lose selection.
    button.addEventListener("mousedown", (e) => e.preventDefault());
    button.addEventListener("click", () => {
      const c = Herald.state.composer;
      if (c) c.dismissed = Herald.state.panelVisible;
      Herald.togglePanel();
    });
    (document.body || document.documentElement).appendChild(button);
    return button;
  }

  function place() {
    raf = 0;
    const c = Herald.state.composer;
    if (!button) return;
    if (!c || !c.editable.isConnected) {
      button.hidden = true;
      return;
    }
    const pill = !!Herald.state.panelCollapsed;
    button.classList.toggle("herald-button--pill", pill);
    const o = Herald.frameOffset(c.editable);
    const e = c.editable.getBoundingClientRect();
    const r = { left: e.left + o.x, top: e.top + o.y, right: e.right + o.x, bottom: e.bottom + o.y };
    const w = pill ? 92 : 32;
    const h = 32;
    const vw = root.innerWidth;
    const vh = root.innerHeight;
    // Never over the text nor over one of the site's controls: just outside the editable's
    // top-right corner, else above it, left of it, below it; the old inside corner is the last
    // resort (a full-width editor in a full-width dialog on a small window).
    const spot = (left, top) => ({ left, top, right: left + w, bottom: top + h });
    const candidates = [
      spot(r.right + 6, Math.max(0, r.top)),
      spot(r.right - w, r.top - h - 6),
      spot(r.left - w - 6, Math.max(0, r.top)),
      spot(r.right - w, r.bottom + 6),
      spot(r.left, r.bottom + 6),
      spot(r.right - w, r.top - h - 44),
    ];
    const layout = Herald.composerLayout(c);
    const free = Herald.freeSpot(candidates, [layout.editable, ...layout.controls], vw, vh);
    const chosen = free || spot(Math.max(0, Math.min(r.right - w - 4, vw - w)), Math.max(0, r.top));
    button.style.left = `${chosen.left}px`;
    button.style.top = `${chosen.top}px`;
    button.hidden = false;
  }
  const schedule = () => {
    if (!raf) raf = requestAnimationFrame(place);
  };

  /** Place the button now: the panel docks beside it (panel-frame.js), and a panel docked before
   * the button had its place would move aside a frame later, under the employee's pointer. */
  Herald.placeButton = function () {
    if (!active) return;
    create();
    if (raf) cancelAnimationFrame(raf);
    place();
  };

  // The panel sends a status after every check (each keystroke): placing is a layout read, so it
  // waits for the next frame (one per frame, shared with text-changed), and an unchanged count
  // writes nothing.
  Herald.setButtonBadge = function (findings) {
    create();
    schedule();
    const text = findings > 99 ? "99+" : String(findings || "");
    if (badge.hidden !== !findings) badge.hidden = !findings;
    if (badge.textContent !== text) badge.textContent = text;
  };

  Herald.feature({
    name: "herald-button",
    setup() {
      active = true;
      removers = [
        Herald.on("composer-focused", () => {
          create();
          schedule();
        }),
        Herald.on("composer-refocused", schedule),
        Herald.on("text-changed", schedule),
        Herald.on("composer-removed", schedule),
        Herald.on("panel-shown", ({ visible }) => button && button.setAttribute("aria-expanded", String(visible))),
        Herald.on("panel-collapsed", schedule),
        Herald.listen(root, "resize", schedule),
        Herald.listen(root, "scroll", schedule, true),
      ];
    },
    teardown() {
      active = false;
      removers.forEach((r) => r());
      if (button) button.remove();
      button = null;
    },
  });
})(globalThis);
