/* Text insertion through the editor's own input path, per site adapter (shared/notes/composers.md):
 * - "paste": a synthetic ClipboardEvent('paste') on the editable. Quill 2 and Draft.js both
 *   update their model from it and leave the caret after the text.
 * - "execCommand": document.execCommand('insertText'); Quill-only fallback. Never on Draft.js:
 *   it crashes the React tree.
 * We never write the DOM ourselves: the editor's model would not know about it. */
(function (root) {
  "use strict";
  const Herald = root.Herald;

  const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

  function selectionOf(editable) {
    const rootNode = editable.getRootNode();
    return rootNode.getSelection ? rootNode.getSelection() : editable.ownerDocument.getSelection();
  }

  function select(editable, range) {
    const sel = selectionOf(editable);
    sel.removeAllRanges();
    sel.addRange(range);
    // Draft.js and Quill sync their selection model from selectionchange (on the editor's own
    // document: a composer in a same-origin iframe listens there).
    editable.ownerDocument.dispatchEvent(new Event("selectionchange"));
  }

  function sameRange(sel, range) {
    if (!sel || sel.rangeCount === 0) return false;
    const r = sel.getRangeAt(0);
    return (
      r.startContainer === range.startContainer &&
      r.startOffset === range.startOffset &&
      r.endContainer === range.endContainer &&
      r.endOffset === range.endOffset
    );
  }

  function paste(editable, text) {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    const ev = new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true, composed: true });
    // Firefox gives a synthetic paste an empty clipboardData: the editor would swallow the paste
    // and insert nothing. Seen before dispatching: null = "this browser cannot paste", nothing lost.
    if (!ev.clipboardData || ev.clipboardData.getData("text/plain") !== text) return null;
    editable.dispatchEvent(ev);
    return ev.defaultPrevented;
  }

  /** Where a synthetic paste is empty (Firefox): the `textInput` event React turns into
   * onBeforeInput, which Draft.js inserts from (replacing the selection), as it does for typing. */
  function textInput(editable, text) {
    if (typeof TextEvent !== "function") return false;
    const ev = document.createEvent("TextEvent");
    ev.initTextEvent("textInput", true, true, window, text);
    editable.dispatchEvent(ev);
    return ev.defaultPrevented;
  }

  /** Focus is in the editable: its document has focus (a composer in a frame keeps its
   * activeElement while the page's focus is elsewhere) and its root's activeElement (a shadow
   * root's, or the document's) is in it. */
  function focusedIn(editable) {
    const active = editable.getRootNode().activeElement;
    return editable.ownerDocument.hasFocus() && !!active && (active === editable || editable.contains(active));
  }

  /** Select what `makeRange()` returns (recomputed: editors re-render their text nodes) and
   * replace it with `text` through the editor's own input path.
   *
   * Both editors take the text at *their* caret: where focus is not in the editor, Quill puts back
   * the range it last saw and Draft.js the one in its state. So the editor must have focus and our
   * selection at the moment of the paste. A click in the panel moves focus into its frame, and the
   * page can hear of it after we gave focus back (the frame is another process): the check is made
   * after each wait, and focus and selection are set again until both hold. */
  async function replaceWith(composer, makeRange, text) {
    const { editable, site } = composer;
    for (let i = 0; i < 8; i++) {
      if (!focusedIn(editable)) {
        editable.focus({ preventScroll: true });
        // On focus, Draft.js re-renders and puts back the caret it remembers: let that finish
        // before we select, or it lands on top of our selection.
        await settle();
      }
      const range = makeRange();
      if (!range) return failed(composer, "no-range");
      select(editable, range);
      await settle();
      if (focusedIn(editable) && sameRange(selectionOf(editable), makeRange())) break;
    }
    const method = (site.insert && site.insert.method) || "paste";
    const doc = editable.ownerDocument; // execCommand acts on the editor's own document
    if (text === "") {
      // A paste of "" is ignored by both editors; the native delete command goes through their
      // input handling (beforeinput/keydown paths) instead.
      if (!doc.execCommand("delete", false)) paste(editable, " ");
      return true;
    }
    if (method === "execCommand") {
      doc.execCommand("insertText", false, text);
      return landed(composer, text);
    }
    const handled = paste(editable, text);
    if (handled === null && !(site.insert && site.insert.fallback === "execCommand")) {
      textInput(editable, text);
      return landed(composer, text);
    }
    if (!handled && site.insert && site.insert.fallback === "execCommand") {
      doc.execCommand("insertText", false, text);
    }
    return landed(composer, text);
  }

  const squash = (s) => s.replace(/\s+/g, " ").trim();

  /** The editor's text holds what we inserted (after it re-rendered): else the site changed its
   * editor under us, and the health counter hears of it ("insert-failed", bridge/health.js). */
  async function landed(composer, text) {
    await settle();
    if (squash(Herald.readText(composer.editable, composer.site)).includes(squash(text))) return true;
    keepDraft(composer.editable);
    return failed(composer, "not-in-editor");
  }

  /** The text did not go in, and what it was to replace is still selected: the employee's next
   * key would replace their draft. The caret goes to the end of that selection instead. */
  function keepDraft(editable) {
    const sel = selectionOf(editable);
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !editable.contains(sel.getRangeAt(0).endContainer)) return;
    const end = sel.getRangeAt(0).cloneRange();
    end.collapse(false);
    select(editable, end);
  }

  function failed(composer, reason) {
    Herald.emit("insert-failed", { composer, reason });
    return false;
  }

  function endRange(composer) {
    const n = [...Herald.readText(composer.editable, composer.site)].length;
    return Herald.rangeFor(composer.editable, composer.site, n, n);
  }

  /** Replace the whole draft with `text` (a suggestion). */
  Herald.insertText = function (composer, text) {
    return replaceWith(
      composer,
      () => {
        const n = [...Herald.readText(composer.editable, composer.site)].length;
        return Herald.rangeFor(composer.editable, composer.site, 0, n);
      },
      text
    );
  };

  /** Quick fix: replace code points [start, end) with `replacement`. */
  Herald.replaceSpan = function (composer, start, end, replacement) {
    return replaceWith(composer, () => Herald.rangeFor(composer.editable, composer.site, start, end), replacement);
  };

  /** Quick fix: append text at the end of the draft. */
  Herald.appendText = function (composer, text) {
    return replaceWith(composer, () => endRange(composer), text);
  };

  /** A quick fix as the panel describes it (apply-fix, hint-cards): {append} or
   * {start, end, replacement} in code points. One path for the panel's list and the card. */
  Herald.applyFix = function (composer, fix) {
    if (fix.append != null) return Herald.appendText(composer, fix.append);
    return Herald.replaceSpan(composer, fix.start, fix.end, fix.replacement);
  };
})(globalThis);
