/* The policy's "post anyway?" note: when the company's policy asks for it (on_post.errors_left =
 * "note") and error-level findings are left, the first time the employee reaches for the site's
 * Post button (pointer over it, or keyboard focus on it) a small note beside the button says
 * "2 issues left — post anyway?", with Review (opens the panel). Once per composer; it never
 * blocks, delays or presses Post: the click goes to the site untouched, and post-detect records
 * the share as always. The text comes from the panel (`post-note`), in the employee's language.
 * The button is the one post-detect knows (Herald.postButtonFor: the adapter's selector, or the
 * fallback composer's submit-like button). A button in a same-origin iframe or a closed shadow
 * root shows no event to the top window: we listen in the composer's own scope too, and place
 * the note (in the top page) by the button's rect shifted out of its iframe. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const GAP = 8;
  const SHOW_MS = 8000;
  const STYLE = `
:host { all: initial; }
.note {
  position: fixed; box-sizing: border-box; max-width: min(320px, calc(100vw - 16px));
  display: flex; align-items: center; gap: 10px; padding: 8px 10px 8px 12px; border-radius: 10px;
  background: #fff8e6; color: #1d2330; border: 1px solid #f0c36d; box-shadow: 0 4px 16px rgba(0,0,0,.16);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Thai", sans-serif;
}
.note[hidden] { display: none; }
.text { flex: 1; font-weight: 600; }
button { font: inherit; cursor: pointer; border: 0; background: none; padding: 0; }
.review { color: #0a66c2; font-weight: 700; }
.close { color: #5b6475; font-size: 17px; line-height: 1; width: 22px; height: 22px; border-radius: 50%; }
.close:hover { background: rgba(0,0,0,.06); }
button:focus-visible { outline: 2px solid #0a66c2; outline-offset: 2px; }
/* The site's theme (Herald.siteTheme: LinkedIn dark, X dim / lights out, else the system's). */
:host([data-theme="dark"]) .note, :host([data-theme="dim"]) .note { background: #3a2f12; color: #f5ecd6; border-color: #8a6d1f; }
:host([data-theme="dark"]) .review, :host([data-theme="dim"]) .review { color: #6cb4ff; }
:host([data-theme="dark"]) .close, :host([data-theme="dim"]) .close { color: #d8cfb8; }
:host([data-theme="dark"]) .close:hover, :host([data-theme="dim"]) .close:hover { background: rgba(255,255,255,.1); }
`;
  let host = null;
  let box = null;
  let hideTimer = 0;
  let removers = [];
  let scoped = new WeakSet();

  function ensureHost() {
    if (host && host.isConnected) return;
    host = document.createElement("div");
    host.className = "herald-post-note-host";
    host.style.cssText = "position:fixed;left:0;top:0;width:0;height:0;z-index:2147483647;";
    const shadow = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    box = document.createElement("div");
    box.className = "note";
    box.setAttribute("role", "status");
    box.hidden = true;
    shadow.append(style, box);
    (document.body || document.documentElement).appendChild(host);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (box) box.hidden = true;
  }

  /** Beside the Post button, never over it nor over the editor (where the text grows): above
   * the button, or below it when above would cover the editor or leave the viewport. */
  function place(composer, button) {
    const r = Herald.topRect(button.getBoundingClientRect(), button);
    const w = box.offsetWidth;
    const h = box.offsetHeight;
    const left = Math.max(GAP, Math.min(r.left, root.innerWidth - w - GAP));
    const editor = composer.editable.isConnected ? Herald.topRect(composer.editable.getBoundingClientRect(), composer.editable) : null;
    const clear = (top) =>
      top >= GAP && top + h <= root.innerHeight - GAP && !(editor && left < editor.right && editor.left < left + w && top < editor.bottom && editor.top < top + h);
    const above = r.top - GAP - h;
    const below = r.bottom + GAP;
    let top = [above, below].find(clear);
    if (top === undefined) top = above >= GAP ? above : below;
    box.style.left = `${Math.round(left)}px`;
    box.style.top = `${Math.round(top)}px`;
  }

  function show(composer, button) {
    ensureHost();
    const note = composer.postNote;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = note.text;
    const review = document.createElement("button");
    review.type = "button";
    review.className = "review";
    review.textContent = note.review;
    review.addEventListener("click", () => {
      hide();
      Herald.showPanel(true, true);
    });
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.textContent = "×";
    close.setAttribute("aria-label", note.close);
    close.addEventListener("click", hide);
    box.replaceChildren(text, review, close);
    host.dataset.theme = Herald.siteTheme();
    box.hidden = false;
    place(composer, button);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, SHOW_MS);
    Herald.mark("post-note-shown");
  }

  /** The employee reaches for Post: show the note once for this composer, if there is one. */
  function onReach(event) {
    const c = Herald.state.composer;
    if (!c || !c.postNote || !c.postNote.text || c.postNoteShown) return;
    let button;
    for (const el of event.composedPath()) {
      if (el.nodeType !== 1) continue;
      // Cheap test first (this runs on every pointerover): only a Post-like element asks which
      // button is this composer's.
      if (!Herald.matchesAny(el, c.site.composer.post_button) && !Herald.fallback.isSubmitLike(el, c.site)) continue;
      if (button === undefined) button = Herald.postButtonFor(c);
      if (el !== button) continue; // another composer's Post
      c.postNoteShown = true;
      show(c, el);
      return;
    }
  }

  /** A composer whose Post button lives in its own iframe or closed shadow root. */
  function listenIn(c) {
    const scope = Herald.composerScope(c);
    if (!scope || scoped.has(scope)) return;
    scoped.add(scope);
    removers.push(Herald.listen(scope, "pointerover", onReach, { capture: true, passive: true }), Herald.listen(scope, "focusin", onReach, true));
  }

  /** From the panel: the note for the current composer (null: nothing to say). */
  Herald.setPostNote = function (c, message) {
    if (!c) return;
    listenIn(c);
    c.postNote = message.text ? { text: message.text, review: message.review, close: message.close } : null;
    if (!c.postNote) return hide();
    // The check ended while the employee was already on Post (the note follows the underlines
    // by a task): no new pointerover/focusin will come, so show it now.
    if (c.postNoteShown || c !== Herald.state.composer) return;
    const button = Herald.postButtonFor(c);
    if (button && (button.matches(":hover") || button.matches(":focus"))) {
      c.postNoteShown = true;
      show(c, button);
    }
  };

  Herald.feature({
    name: "post-note",
    setup() {
      removers = [
        Herald.listen(root, "pointerover", onReach, { capture: true, passive: true }),
        Herald.listen(root, "focusin", onReach, true),
        Herald.on("post-pressed", hide),
        Herald.on("composer-added", listenIn),
        Herald.on("composer-removed", (c) => {
          if (c === Herald.state.composer || !Herald.state.composer) hide();
        }),
      ];
    },
    teardown() {
      removers.forEach((r) => r());
      removers = [];
      scoped = new WeakSet();
      clearTimeout(hideTimer);
      if (host) host.remove();
      host = box = null;
    },
  });
})(globalThis);
