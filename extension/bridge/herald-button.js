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
    button.append(img, badge);
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
    const r = c.editable.getBoundingClientRect();
    const size = 32;
    // Just outside the editable's top-right corner when there is room, so it never hides text.
    const left = r.right + 6 + size <= root.innerWidth ? r.right + 6 : Math.max(0, r.right - size - 4);
    button.style.left = `${left}px`;
    button.style.top = `${Math.max(0, r.top)}px`;
    button.hidden = false;
  }
  const schedule = () => {
    if (!raf) raf = requestAnimationFrame(place);
  };

  Herald.setButtonBadge = function (findings) {
    create();
    place();
    badge.hidden = !findings;
    badge.textContent = findings > 99 ? "99+" : String(findings || "");
  };

  Herald.feature({
    name: "herald-button",
    setup() {
      removers = [
        Herald.on("composer-focused", () => {
          create();
          schedule();
        }),
        Herald.on("composer-refocused", schedule),
        Herald.on("text-changed", schedule),
        Herald.on("composer-removed", schedule),
        Herald.on("panel-shown", ({ visible }) => button && button.setAttribute("aria-expanded", String(visible))),
        Herald.listen(root, "resize", schedule),
        Herald.listen(root, "scroll", schedule, true),
      ];
    },
    teardown() {
      removers.forEach((r) => r());
      if (button) button.remove();
      button = null;
    },
  });
})(globalThis);
