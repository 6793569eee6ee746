/* Text insertion through the editor's own input path, per site adapter (shared/notes/composers.md):
 * - "paste": a synthetic ClipboardEvent('paste') on the editable. Quill 2 and Draft.js both
 *   update their model from it and leave the caret after the text.
 * - "execCommand": document.execCommand('insertText'); Quill-only fallback. Never on Draft.js:
 *   it crashes the React tree.
 * We never write the DOM ourselves: the editor's model would not know about it. */
(function (root) {
  "use strict";
  const Herald = root.Herald;

  const nextFrame = () => new Promise((r) => setTimeout(r, 0));

  function selectRange(editable, range) {
    editable.focus({ preventScroll: true });
    const sel = (editable.getRootNode().getSelection && editable.getRootNode().getSelection()) || document.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    // Draft.js and Quill sync their selection model from selectionchange; let that run first.
    document.dispatchEvent(new Event("selectionchange"));
  }

  function paste(editable, text) {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    const ev = new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true, composed: true });
    editable.dispatchEvent(ev);
    return ev.defaultPrevented;
  }

  async function replaceRange(composer, range, text) {
    const { editable, site } = composer;
    selectRange(editable, range);
    await nextFrame();
    const method = (site.insert && site.insert.method) || "paste";
    if (text === "") {
      // Deleting: a paste of "" is ignored by both editors; Quill/contenteditable honour the
      // native delete command, and Draft.js handles it through its beforeinput/keydown path.
      if (!document.execCommand("delete", false)) paste(editable, " ");
      return;
    }
    if (method === "execCommand") {
      document.execCommand("insertText", false, text);
      return;
    }
    const handled = paste(editable, text);
    if (!handled && site.insert && site.insert.fallback === "execCommand") {
      document.execCommand("insertText", false, text);
    }
  }

  /** Replace the whole draft with `text` (a suggestion). */
  Herald.insertText = async function (composer, text) {
    const current = Herald.readText(composer.editable, composer.site);
    const range = current === "" ? caretAtEnd(composer.editable) : Herald.rangeAll(composer.editable);
    if (current !== "") {
      // Select exactly the text (not the trailing structural nodes) so the editor replaces it cleanly.
      const r = Herald.rangeFor(composer.editable, composer.site, 0, [...current].length);
      if (r) return replaceRange(composer, r, text);
    }
    return replaceRange(composer, range, text);
  };

  /** Quick fix: replace code points [start, end) with `replacement`. */
  Herald.replaceSpan = async function (composer, start, end, replacement) {
    const range = Herald.rangeFor(composer.editable, composer.site, start, end);
    if (!range) return false;
    await replaceRange(composer, range, replacement);
    return true;
  };

  /** Quick fix: append text at the end of the draft. */
  Herald.appendText = async function (composer, text) {
    await replaceRange(composer, caretAtEnd(composer.editable, composer.site), text);
  };

  function caretAtEnd(editable, site) {
    const current = Herald.readText(editable, site || Herald.state.site);
    const n = [...current].length;
    const r = Herald.rangeFor(editable, site || Herald.state.site, n, n);
    if (r) return r;
    const range = Herald.rangeAll(editable);
    range.collapse(false);
    return range;
  }
})(globalThis);
