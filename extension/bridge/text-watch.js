/* Watches the focused composer's text and emits "text-changed" {composer, text}: at once for
 * the first change after a quiet moment (a keystroke's hints should not wait), then at most every
 * 50 ms while changes keep coming (a paste or fast typing costs no more than before). Editors
 * rewrite their DOM on every keystroke, so a MutationObserver on the editable is the one signal
 * that covers typing, paste and IME; it already delivers a task's mutations as one batch. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const INTERVAL = 50;
  let mo = null;
  let watched = null;
  let timer = 0;
  let lastSent = 0;
  let lastText = null;
  let removers = [];

  function flush() {
    timer = 0;
    lastSent = performance.now();
    const c = watched;
    if (!c || !c.editable.isConnected) return;
    const text = Herald.readText(c.editable, c.site);
    if (text === lastText) return;
    lastText = text;
    if (text === "") c.origin = null; // a cleared composer no longer holds the suggestion
    Herald.emit("text-changed", { composer: c, text });
  }

  function schedule() {
    if (timer) return;
    const wait = INTERVAL - (performance.now() - lastSent);
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  }

  function watch(c) {
    if (mo) mo.disconnect();
    watched = c;
    lastText = null;
    mo = new MutationObserver(schedule);
    mo.observe(c.editable, { childList: true, subtree: true, characterData: true });
    schedule();
  }

  Herald.currentText = () => lastText;

  Herald.feature({
    name: "text-watch",
    setup() {
      removers = [
        Herald.on("composer-focused", watch),
        Herald.on("composer-removed", (c) => {
          if (c === watched) {
            if (mo) mo.disconnect();
            watched = null;
            lastText = null;
          }
        }),
      ];
    },
    teardown() {
      removers.forEach((r) => r());
      if (mo) mo.disconnect();
      clearTimeout(timer);
    },
  });
})(globalThis);
