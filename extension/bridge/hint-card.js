/* The card at an underline: hovering an underline, or putting the caret in one, shows the
 * finding's message, its fixes as buttons and "Why?" (the rule's explanation) right there, so the
 * employee need not look across to the panel. Tab (from the caret) moves into the card, Escape
 * closes it. The card lives in a shadow root of our own host element at the end of <body>
 * (page styles cannot reach it, and it sits above the composer's dialog); the editor's DOM is
 * never touched: we only listen, read Ranges (Herald.rangesFor) and apply fixes through the
 * editor's own input path (Herald.applyFix, as the panel's list does). The content comes from
 * the panel (`hint-cards` after each check), already in the employee's language.
 * A composer in a same-origin iframe or a closed shadow root (fallback.js) hides its events from
 * the top document: the card listens in the composer's own scope too (Herald.composerScope), and
 * works in the top page's viewport throughout (rects read in the iframe are shifted by
 * Herald.topRect), so it shows at the underline, above the iframe, never inside it. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const HIDE_DELAY_MS = 300; // time to move the pointer from the underline into the card
  const GAP = 6;
  const SLACK = 4; // px below a line box where the wavy underline is painted
  const STYLE = `
:host { all: initial; }
.card {
  position: fixed; box-sizing: border-box; max-width: min(340px, calc(100vw - 16px)); min-width: 220px;
  padding: 10px 12px; border-radius: 10px; border: 1px solid #d5d9e0; border-left: 4px solid #b26a00;
  background: #fff; color: #1d2330; box-shadow: 0 6px 24px rgba(0,0,0,.18);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Thai", sans-serif;
  display: flex; flex-direction: column; gap: 6px;
}
.card[hidden] { display: none; }
.card.sev-error { border-left-color: #c62828; }
.card.sev-info { border-left-color: #2e6bb3; }
.head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.sev { font-size: 11px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; color: #b26a00; }
.sev-error .sev { color: #c62828; }
.sev-info .sev { color: #2e6bb3; }
p { margin: 0; }
.explain { color: #5b6475; }
.fixes { display: flex; flex-wrap: wrap; gap: 6px; }
button { font: inherit; cursor: pointer; }
.fix {
  border: 1px solid #0a66c2; border-radius: 999px; padding: 3px 10px; background: #0a66c2; color: #fff;
  font-weight: 600; max-width: 100%; overflow-wrap: anywhere; text-align: left;
}
.fix:hover { background: #084f96; }
.why { align-self: flex-start; border: 0; background: none; padding: 0; color: #0a66c2; font-weight: 600; }
.close { border: 0; background: none; color: #5b6475; font-size: 18px; line-height: 1; width: 24px; height: 24px; border-radius: 50%; padding: 0; }
.close:hover { background: #eef0f3; color: #1d2330; }
button:focus-visible { outline: 2px solid #0a66c2; outline-offset: 2px; }
/* The site's theme (Herald.siteTheme: LinkedIn dark, X dim / lights out, else the system's). */
:host([data-theme="dark"]) .card, :host([data-theme="dim"]) .card { background: #1f2430; color: #e7eaf0; border-color: #3a4150; }
:host([data-theme="dark"]) .explain, :host([data-theme="dark"]) .close,
:host([data-theme="dim"]) .explain, :host([data-theme="dim"]) .close { color: #aab2c0; }
:host([data-theme="dark"]) .close:hover, :host([data-theme="dim"]) .close:hover { background: #2c3340; color: #fff; }
:host([data-theme="dark"]) .why, :host([data-theme="dim"]) .why { color: #6cb4ff; }
:host([data-theme="dark"]) .sev, :host([data-theme="dim"]) .sev { color: #f2b34c; }
:host([data-theme="dark"]) .sev-error .sev, :host([data-theme="dim"]) .sev-error .sev { color: #ff8a80; }
:host([data-theme="dark"]) .sev-info .sev, :host([data-theme="dim"]) .sev-info .sev { color: #8ab4f8; }
`;

  let cards = [];
  let labels = null;
  let composer = null;
  let ranges = new Map(); // card -> live Range over the editor (recomputed per hint-cards)
  let host = null;
  let box = null;
  let shown = null; // {card, reason: "hover" | "caret", rect}
  let dismissed = null; // key of the card closed with Escape, until the caret/pointer leaves it
  let hideTimer = 0;
  let moveRaf = 0;
  let caretRaf = 0;
  let lastPoint = null;
  let savedCaret = null;
  let removers = [];
  let scoped = new WeakSet(); // composer scopes (iframe window, closed root) we listen in

  const keyOf = (card) => `${card.rule}:${card.start}:${card.end}`;

  function ensureHost() {
    if (host && host.isConnected) return;
    host = document.createElement("div");
    host.className = "herald-hint-host";
    host.style.cssText = "position:fixed;left:0;top:0;width:0;height:0;z-index:2147483647;";
    const shadow = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    box = document.createElement("div");
    box.className = "card";
    box.setAttribute("role", "dialog");
    box.hidden = true;
    box.addEventListener("keydown", onCardKey);
    box.addEventListener("pointerenter", () => clearTimeout(hideTimer));
    box.addEventListener("pointerleave", () => {
      if (shown && shown.reason === "hover") scheduleHide();
    });
    box.addEventListener("focusout", (event) => {
      if (!box.contains(event.relatedTarget) && shown && shown.reason === "hover") scheduleHide();
    });
    shadow.append(style, box);
    (document.body || document.documentElement).appendChild(host);
  }

  function rangeOf(card) {
    if (!ranges.has(card)) {
      // Every card's Range in one read of the editor: the caret check after each keystroke asks
      // for all of them.
      const c = composer;
      const live = c && c.editable.isConnected;
      const missing = cards.filter((k) => !ranges.has(k));
      if (!missing.includes(card)) missing.push(card);
      const found = live ? Herald.rangesFor(c.editable, c.site, missing) : [];
      missing.forEach((k, i) => ranges.set(k, found[i] || null));
    }
    return ranges.get(card);
  }

  function selectionOf(editable) {
    const rootNode = editable.getRootNode();
    return rootNode.getSelection ? rootNode.getSelection() : document.getSelection();
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function render(card) {
    box.className = `card sev-${card.severity}`;
    box.setAttribute("aria-label", labels ? labels.card : "Herald");
    box.dataset.rule = card.rule;
    const head = el("div", "head");
    head.append(el("span", "sev", card.severity_label));
    const close = el("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", labels ? labels.close : "Close");
    close.addEventListener("click", () => dismiss(true));
    head.append(close);
    const parts = [head, el("p", "msg", card.message)];
    if (card.fixes.length) {
      const fixes = el("div", "fixes");
      for (const { label, fix } of card.fixes) {
        const button = el("button", "fix", label);
        button.type = "button";
        button.addEventListener("click", () => applyFix(fix));
        fixes.append(button);
      }
      parts.push(fixes);
    }
    if (card.explanation) {
      const why = el("button", "why", labels ? labels.why : "Why?");
      why.type = "button";
      why.setAttribute("aria-expanded", "false");
      const explain = el("p", "explain", card.explanation);
      explain.hidden = true;
      explain.id = "herald-hint-explain";
      why.setAttribute("aria-controls", explain.id);
      why.addEventListener("click", () => {
        explain.hidden = !explain.hidden;
        why.setAttribute("aria-expanded", String(!explain.hidden));
        if (shown) place(shown.rect);
      });
      parts.push(why, explain);
    }
    box.replaceChildren(...parts);
  }

  /** The site's Post button in the top page's viewport, or null. */
  function postRect() {
    const c = composer;
    const btn = c && c.editable.isConnected && Herald.postButtonFor ? Herald.postButtonFor(c) : null;
    return btn ? Herald.topRect(btn.getBoundingClientRect(), btn) : null;
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /** Below the underlined text, else above it, else below it moved right of the site's Post
   * button: the first that fits the viewport and leaves Post uncovered (the employee may be
   * reaching for it). `rect` is in the top page's viewport. */
  function place(rect) {
    const vw = root.innerWidth;
    const vh = root.innerHeight;
    const w = box.offsetWidth;
    const h = box.offsetHeight;
    const clampX = (x) => Math.max(GAP, Math.min(x, vw - w - GAP));
    const left = clampX(rect.left);
    const below = rect.bottom + GAP;
    const above = rect.top - GAP - h;
    const post = postRect();
    const fits = ([x, y]) => y >= GAP && y + h <= vh - GAP && !(post && overlaps({ left: x, right: x + w, top: y, bottom: y + h }, post));
    const options = [[left, below], [left, above]];
    if (post) options.push([clampX(post.right + GAP), below]);
    let at = options.find(fits);
    if (!at) at = [left, below + h > vh - GAP && above >= GAP ? above : below];
    box.style.left = `${Math.round(at[0])}px`;
    box.style.top = `${Math.round(Math.max(GAP, at[1]))}px`;
  }

  function show(card, reason, rect) {
    clearTimeout(hideTimer);
    ensureHost();
    const same = shown && shown.card === card;
    shown = { card, reason, rect };
    if (!same) render(card);
    host.dataset.theme = Herald.siteTheme();
    box.hidden = false;
    place(rect);
    Herald.mark("hint-card-shown");
  }

  function hide() {
    clearTimeout(hideTimer);
    shown = null;
    if (box) box.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (box && box.matches(":hover")) return;
      if (box && box.contains(box.getRootNode().activeElement)) return;
      hide();
    }, HIDE_DELAY_MS);
  }

  function backToEditor() {
    const c = composer;
    if (!c || !c.editable.isConnected) return;
    c.editable.focus({ preventScroll: true });
    if (savedCaret) {
      const sel = selectionOf(c.editable);
      sel.removeAllRanges();
      sel.addRange(savedCaret);
    }
  }

  /** Escape or ×: close, and keep it closed while the caret/pointer stays on that underline. */
  function dismiss(refocus) {
    if (shown) dismissed = keyOf(shown.card);
    const wasInside = box && box.contains(box.getRootNode().activeElement);
    hide();
    if (refocus || wasInside) backToEditor();
  }

  async function applyFix(fix) {
    const c = composer;
    hide();
    if (c && c.editable.isConnected) await Herald.applyFix(c, fix);
  }

  function buttons() {
    return box ? [...box.querySelectorAll("button")] : [];
  }

  function onCardKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      dismiss(true);
      return;
    }
    if (event.key !== "Tab") return;
    const list = buttons();
    const at = list.indexOf(box.getRootNode().activeElement);
    event.preventDefault();
    event.stopPropagation();
    if (event.shiftKey && at <= 0) {
      backToEditor(); // Shift+Tab from the first button: back where the employee was writing
      return;
    }
    const next = list[(at + (event.shiftKey ? -1 : 1) + list.length) % list.length];
    if (next) next.focus();
  }

  /** Keys in the editor while a card shows: Tab (from the caret) enters the card, Escape closes
   * it. Everything else, and Tab with no card, is the editor's own. */
  function onEditorKey(event) {
    if (!shown || box.hidden) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      dismiss(false);
      return;
    }
    if (event.key === "Tab" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && shown.reason === "caret") {
      const first = buttons().find((b) => !b.classList.contains("close")) || buttons()[0];
      if (!first) return;
      event.preventDefault();
      event.stopPropagation();
      const sel = selectionOf(composer.editable);
      savedCaret = sel && sel.rangeCount ? sel.getRangeAt(0).cloneRange() : null;
      first.focus();
    }
  }

  function contains(rect, x, y) {
    return x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom + SLACK;
  }

  function cardAtPoint(x, y) {
    for (const card of cards) {
      const range = rangeOf(card);
      if (!range) continue;
      for (const inner of range.getClientRects()) {
        const rect = Herald.topRect(inner, composer.editable);
        if (contains(rect, x, y)) return { card, rect };
      }
    }
    return null;
  }

  function onPointer() {
    moveRaf = 0;
    if (!lastPoint || !composer) return;
    const { x, y, overCard } = lastPoint;
    if (overCard) return;
    const hit = cardAtPoint(x, y);
    if (hit) {
      if (dismissed === keyOf(hit.card)) return;
      if (shown && shown.card === hit.card) clearTimeout(hideTimer);
      else show(hit.card, "hover", hit.rect);
      return;
    }
    if (dismissed && shown == null) dismissed = null; // left the dismissed underline
    if (shown && shown.reason === "hover") scheduleHide();
  }

  function cardAtCaret() {
    const c = composer;
    if (!c || !c.editable.isConnected) return null;
    const sel = selectionOf(c.editable);
    if (!sel || sel.rangeCount === 0 || !sel.isCollapsed) return null;
    const node = sel.anchorNode;
    if (!node || !c.editable.contains(node)) return null;
    for (const card of cards) {
      const range = rangeOf(card);
      try {
        if (range && range.isPointInRange(node, sel.anchorOffset)) return { card, range };
      } catch (_) {}
    }
    return null;
  }

  function onCaret() {
    caretRaf = 0;
    if (box && box.contains(box.getRootNode().activeElement)) return; // working in the card
    const hit = cardAtCaret();
    if (!hit) {
      if (shown && shown.reason === "caret") hide();
      dismissed = null;
      return;
    }
    if (dismissed === keyOf(hit.card)) return;
    const rects = hit.range.getClientRects();
    const rect = rects.length ? rects[0] : hit.range.getBoundingClientRect();
    show(hit.card, "caret", Herald.topRect(rect, composer.editable));
  }

  /** The page or the editor scrolled: keep the card at its underline, or hide it. */
  function follow() {
    if (!shown) return;
    const range = rangeOf(shown.card);
    const rects = range ? range.getClientRects() : [];
    if (!rects.length) return hide();
    shown.rect = Herald.topRect(rects[0], composer.editable);
    place(shown.rect);
  }

  /** New findings after a check: keep the open card if its finding is still there. */
  Herald.setHintCards = function (c, message) {
    composer = c || null;
    if (composer) listenIn(Herald.composerScope(composer));
    cards = (message && message.cards) || [];
    labels = (message && message.labels) || labels;
    ranges = new Map();
    if (dismissed && !cards.some((card) => keyOf(card) === dismissed)) dismissed = null;
    if (!shown) return;
    const again = cards.find((card) => keyOf(card) === keyOf(shown.card));
    if (!again) {
      if (!(box && box.contains(box.getRootNode().activeElement))) hide();
      return;
    }
    const range = rangeOf(again);
    const rects = range ? range.getClientRects() : [];
    if (!rects.length) return hide();
    shown.card = again;
    shown.rect = Herald.topRect(rects[0], c.editable);
    render(again);
    place(shown.rect);
  };

  function onPointerMove(event) {
    if (!composer || !cards.length) return;
    // In the top page's viewport: an event from the composer's iframe is shifted by the frame.
    const { x, y } = Herald.frameOffset(event.target.ownerDocument || event.target);
    lastPoint = { x: event.clientX + x, y: event.clientY + y, overCard: !!host && event.composedPath().includes(host) };
    if (!moveRaf) moveRaf = requestAnimationFrame(onPointer);
  }

  function onSelectionChange() {
    if (!composer || (!cards.length && !shown)) return;
    if (!caretRaf) caretRaf = requestAnimationFrame(onCaret);
  }

  function onKeyDown(event) {
    if (composer && event.composedPath().includes(composer.editable)) onEditorKey(event);
  }

  function onScroll() {
    if (shown) requestAnimationFrame(follow);
  }

  /** The same listeners on `target`: the top document, or a composer's own scope. */
  function listenIn(target) {
    if (!target || scoped.has(target)) return;
    scoped.add(target);
    removers.push(
      Herald.listen(target, "pointermove", onPointerMove, { capture: true, passive: true }),
      Herald.listen(target, "selectionchange", onSelectionChange, true),
      Herald.listen(target, "keydown", onKeyDown, { capture: true }),
      // The window (top or the iframe's): scrolls of the page and of the editor inside it.
      Herald.listen(target.defaultView || target, "scroll", onScroll, { capture: true, passive: true })
    );
  }

  Herald.feature({
    name: "hint-card",
    setup() {
      removers = [
        Herald.on("composer-removed", (c) => {
          if (c === composer) {
            hide();
            cards = [];
            ranges = new Map();
            composer = null;
          }
        }),
        Herald.on("composer-focused", (c) => {
          if (c !== composer) hide();
        }),
      ];
      listenIn(document);
    },
    teardown() {
      removers.forEach((r) => r());
      removers = [];
      scoped = new WeakSet();
      cancelAnimationFrame(moveRaf);
      cancelAnimationFrame(caretRaf);
      clearTimeout(hideTimer);
      if (host) host.remove();
      host = box = shown = null;
      cards = [];
      ranges = new Map();
    },
  });
})(globalThis);
