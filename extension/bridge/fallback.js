/* The generic fallback ("compatibility mode"): when the site changed its markup and no selector
 * of the adapter matches, an editor the employee focuses is still a composer if it looks like
 * one by what people see, not by class names:
 *   - it is a contenteditable (or role="textbox" that is editable), not Herald's own UI;
 *   - it sits inside a dialog or a form (also across shadow roots and a same-origin iframe);
 *   - that dialog/form holds a submit-like button: role button, accessible name one of
 *     SUBMIT_WORDS below, exactly (so "Posts", "Post a job" or "Send" never qualify).
 * Composers found this way carry via: "fallback"; the panel says "compatibility mode".
 * Closed shadow roots are reached through chrome.dom.openOrClosedShadowRoot in Chrome and the
 * Element.openOrClosedShadowRoot property in Firefox (both for content scripts only; see
 * closedRootOf: where neither exists, closed roots stay closed). */
(function (root) {
  "use strict";
  const Herald = root.Herald;

  /* The one list of submit-like button names, per network, in the languages of Herald's UI
   * (en, ru, el, it, th) and French. Only the words for publishing a post (and on X replying,
   * which is a post there too). Deliberately absent: "Send"/"Envoyer"/"Отправить" (direct
   * messages and chats would all turn into composers), "Comment"/"Commenter" (a comment box is
   * not a post), "Save", "Search", "Done". Compared case-insensitively, whitespace collapsed. */
  const SUBMIT_WORDS = {
    linkedin: [
      "post", "publier", "опубликовать", "δημοσίευση", "pubblica", "โพสต์",
    ],
    x: [
      "post", "post all", "reply", "tweet", "tweet all",
      "poster", "publier", "répondre", "tout poster",
      "опубликовать", "ответить", "твитнуть",
      "δημοσίευση", "απάντηση",
      "pubblica", "posta", "rispondi",
      "โพสต์", "ตอบกลับ", "ทวีต",
    ],
  };
  const BUTTONS = "button, [role='button'], input[type='submit']";
  const CONTAINERS = "[role='dialog'], dialog, form";

  function words(site) {
    return new Set(SUBMIT_WORDS[site && site.network] || SUBMIT_WORDS.linkedin);
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, " ").trim().toLocaleLowerCase();
  }

  /** The accessible name as a screen reader would read it for a plain button. */
  function accessibleName(el) {
    const label = el.getAttribute("aria-label");
    if (label) return label;
    if (el.localName === "input") return el.value;
    return el.textContent;
  }

  function isSubmitLike(el, site) {
    if (!el || el.nodeType !== 1 || !el.matches(BUTTONS)) return false;
    return words(site).has(normalise(accessibleName(el)));
  }

  /** A closed shadow root, where the browser lets an extension see it, else null. Chrome's
   * content scripts have the function chrome.dom.openOrClosedShadowRoot(el); Firefox's have the
   * property Element.openOrClosedShadowRoot instead (its browser.dom has no such function). */
  function closedRootOf(el) {
    try {
      if ("openOrClosedShadowRoot" in el) return el.openOrClosedShadowRoot || null;
      const api = root.heraldChrome && root.heraldChrome.api;
      const dom = api && api.dom;
      if (!dom || typeof dom.openOrClosedShadowRoot !== "function") return null;
      return dom.openOrClosedShadowRoot(el) || null;
    } catch (_) {
      return null;
    }
  }
  Herald.shadowRootOf = (el) => el.shadowRoot || closedRootOf(el);

  /** The same-origin document inside an iframe, or null (cross-origin, not loaded). */
  function frameDocument(frame) {
    try {
      return frame.contentDocument || null;
    } catch (_) {
      return null;
    }
  }
  Herald.frameDocument = frameDocument;

  /** Parent across shadow boundaries and out of a same-origin iframe into its element. */
  function composedParent(node) {
    if (node.parentElement) return node.parentElement;
    const parent = node.parentNode;
    if (parent && parent.nodeType === 11 && parent.host) return parent.host;
    if (parent && parent.nodeType === 9) {
      try {
        return (parent.defaultView && parent.defaultView.frameElement) || null;
      } catch (_) {
        return null;
      }
    }
    return null;
  }

  /** The iframe element holding `node`'s document when that is not the top document. */
  Herald.frameOf = function (node) {
    const doc = node.ownerDocument || node;
    if (doc === document) return null;
    try {
      return (doc.defaultView && doc.defaultView.frameElement) || null;
    } catch (_) {
      return null;
    }
  };

  /** The focused element, through open and closed shadow roots and same-origin iframes. */
  Herald.deepActive = function (start) {
    let el = start;
    for (let i = 0; el && i < 32; i++) {
      const shadow = Herald.shadowRootOf(el);
      if (shadow && shadow.activeElement) {
        el = shadow.activeElement;
        continue;
      }
      if (el.localName === "iframe") {
        const doc = frameDocument(el);
        if (doc && doc.activeElement && doc.activeElement !== doc.body) {
          el = doc.activeElement;
          continue;
        }
      }
      break;
    }
    return el;
  };

  function editingHost(el) {
    if (!el || el.nodeType !== 1 || !el.isContentEditable) return null;
    let host = el;
    while (host.parentElement && host.parentElement.isContentEditable) host = host.parentElement;
    return host;
  }

  /** The nearest dialog or form around `editable`, across shadow roots and out of an iframe. */
  function containerFor(editable) {
    for (let el = composedParent(editable); el; el = composedParent(el)) if (el.matches(CONTAINERS)) return el;
    return null;
  }

  /** The submit-like button of the dialog/form around `editable`, or null. The nearest
   * dialog/form decides: an outer page form's button is not this editor's. */
  function submitFor(editable, site) {
    const el = containerFor(editable);
    if (el) {
      const scopes = [el];
      // A button beside the editor inside the same (open or closed) shadow root under `el`.
      const rootNode = editable.getRootNode();
      if (rootNode.nodeType === 11 && el.contains(rootNode.host)) scopes.push(rootNode);
      for (const scope of scopes) {
        for (const btn of scope.querySelectorAll(BUTTONS)) if (isSubmitLike(btn, site)) return btn;
      }
    }
    return null;
  }

  /** {editable} when `target` (the focused element) is a composer by the rules above, else null. */
  function candidate(target, site) {
    const editable = editingHost(target);
    if (!editable || !Herald.fallback.enabled) return null;
    if (editable.closest(".herald-button, .herald-panel-frame, .herald-post-note-host")) return null;
    if (Herald.matchesAny(editable, site.composer.editable)) return null; // the adapter's own
    if (!submitFor(editable, site)) return null;
    return { editable };
  }

  /** The site adapter as fallback composers use it: same insert method, limits and shortcut,
   * and text blocks that work for any editor (Draft.js blocks first, else paragraphs/lines). */
  function fallbackSite(site) {
    return {
      ...site,
      text: {
        method: "blocks",
        blocks_any: [
          "[data-block='true']",
          ":scope > p, :scope > div, :scope > h1, :scope > h2, :scope > h3, :scope > pre, :scope > blockquote, :scope > ol > li, :scope > ul > li",
        ],
        ignore: (site.text && site.text.ignore) || "",
      },
    };
  }

  Herald.fallback = {
    enabled: true,
    SUBMIT_WORDS,
    isSubmitLike,
    submitFor,
    containerFor,
    candidate,
    fallbackSite,
    composedParent,
  };
})(globalThis);
