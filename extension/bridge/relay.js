/* Relays messages: panel iframe <-> this bridge <-> worker. Every message is validated against
 * the shared schemas before it is acted on. Draft text only ever goes into the panel iframe
 * (postMessage to its contentWindow), never to the worker or the host page. */
(function (root) {
  "use strict";
  const Herald = root.Herald;
  const FROM_PANEL = ["ready", "insert", "highlights", "hint-cards", "post-note", "apply-fix", "share-event", "status", "close", "propose", "snapshot"];
  const FROM_WORKER = ["state-changed", "toggle-panel"];
  const FRESH_SECONDS = 5; // composers opened within this of the last check reuse it
  let removers = [];
  let pendingShares = new Map(); // request_id -> {message, sent}
  let lastData = null;
  // The panel as last drawn on this network (the worker keeps it): sent first when a panel says
  // ready, so it can show its cards before Brython starts (sandbox_port.js, Snapshot).
  let lastSnapshot = null;
  // The policy travels apart from `data` (its own `policy` message, JSON text): after the panel
  // drew its cards, and only when it changed, not with every state push (each composer focus).
  let lastPolicy; // the worker's policy_json (undefined: not read yet; null: no policy)
  let sentPolicy; // what this panel has (undefined: nothing yet)
  // The panel's end of a MessageChannel, opened when it says ready (openChannel): a keystroke's
  // text must reach the panel at once, and window.postMessage into another process leaves only in
  // a later task of this page, after the frame the keystroke drew (~10 ms, more under load); a
  // port's message leaves when it is posted. What the panel answers also stays off the page's
  // window, where the page's own scripts hear every message.
  let port = null;

  function toPanel(message) {
    const check = Herald.validate(message);
    if (!check.ok) {
      Herald.log("refusing to send invalid message", message.type, check.errors);
      return false;
    }
    const win = Herald.panelWindow();
    if (!win || !Herald.state.panelReady) return false;
    if (port) {
      port.postMessage(message);
      return true;
    }
    // The sandboxed page has an opaque origin, so "*" is the only target origin that reaches it;
    // the message goes to that one window object, not to the host page.
    win.postMessage(message, "*");
    return true;
  }
  Herald.toPanel = toPanel;

  /** Hands the panel its end of a new channel (`port` message, the port in its transfer list);
   * every later message both ways goes through it. Without MessageChannel, window messages. */
  function openChannel() {
    closeChannel();
    const win = Herald.panelWindow();
    if (!win || typeof MessageChannel !== "function") return;
    const message = { type: "port" };
    if (!Herald.validate(message).ok) return;
    try {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => onPanelData(event.data);
      win.postMessage(message, "*", [channel.port2]);
      port = channel.port1;
    } catch (e) {
      Herald.log("no channel to the panel, window messages instead", e); // a port that cannot cross
    }
  }

  function closeChannel() {
    if (port) {
      port.onmessage = null;
      port.close();
    }
    port = null;
  }

  async function pushState() {
    const state = await heraldChrome.send({ type: "get-state", network: Herald.state.site.network, policy_json: true });
    if (!state || state.ok === false) {
      lastData = { type: "data", signed_in: false, program: null, suggestions: null, offline: true, account_limit: accountLimit(null) };
      lastPolicy = null;
      lastSnapshot = null;
    } else {
      lastPolicy = typeof state.policy_json === "string" ? state.policy_json : null;
      lastSnapshot = state.panel_snapshot || null;
      lastData = {
        type: "data",
        signed_in: !!state.signed_in,
        program: state.program || null,
        suggestions: state.suggestions || null,
        standing: state.standing || null,
        offline: !!state.offline,
        // The language chosen in Herald's options (else the browser's), and the languages the
        // employee reads, stored on the server (options page): theirs come first in the panel.
        language: (state.settings && state.settings.language) || null,
        languages: (state.user && state.user.languages) || [state.user && state.user.language].filter(Boolean),
        account_limit: accountLimit(state.settings),
      };
    }
    toPanel(lastData);
    sendPolicy();
  }

  function sendPolicy() {
    if (lastPolicy === undefined || lastPolicy === sentPolicy) return;
    if (toPanel({ type: "policy", policy_json: lastPolicy })) sentPolicy = lastPolicy;
  }

  // The counter's limit for this account (X: 25,000 for subscribers), see adapters.js.
  function accountLimit(settings) {
    return root.HeraldAdapters ? root.HeraldAdapters.accountLimit(Herald.state.site, settings, document) : null;
  }

  function sendText(c, text) {
    // via: the panel says "compatibility mode" for a composer the fallback found.
    toPanel({ type: "text", text, origin: c.origin || null, via: c.via || "adapter" });
  }

  function onPanelReady() {
    Herald.state.panelReady = true;
    Herald.mark("panel-ready");
    openChannel();
    sentPolicy = undefined;
    // The cached state first, then init: the panel draws its cards once, when init arrives with
    // the data already there (init first would draw "loading", then everything again); the
    // policy after them, so reading it does not hold up the cards.
    if (lastSnapshot) toPanel(lastSnapshot);
    if (lastData) toPanel(lastData);
    toPanel({
      type: "init",
      network: Herald.state.site.network,
      locale: heraldChrome.uiLocale(),
      strings_locale: heraldChrome.i18n("@@ui_locale", "en"),
      theme: Herald.siteTheme(),
    });
    sendPolicy();
    pushState();
    const c = Herald.state.composer;
    if (c && c.editable.isConnected) sendText(c, Herald.readText(c.editable, c.site));
    toPanel({ type: "shown", visible: Herald.state.panelVisible, focus: false, theme: Herald.siteTheme() });
    for (const [, p] of pendingShares) if (!p.sent) p.sent = toPanel(p.message);
  }

  /** The worker's answer in the shape the propose-result schema allows. */
  function sanitizeReply(r) {
    const out = { ok: !!r.ok };
    if (typeof r.error === "string") out.error = r.error;
    if (r.proposal && typeof r.proposal === "object") out.proposal = r.proposal;
    if (r.details !== undefined) out.details = r.details;
    if (Number.isInteger(r.retry_after)) out.retry_after = r.retry_after;
    return out;
  }

  function onPanelMessage(event) {
    const win = Herald.panelWindow();
    if (!win || event.source !== win) return; // only our iframe speaks to us
    onPanelData(event.data);
  }

  /** A message from the panel (its window's or its end of the channel: only it holds that). */
  async function onPanelData(msg) {
    const check = Herald.validate(msg, FROM_PANEL);
    if (!check.ok) {
      Herald.log("dropped panel message", check.errors);
      return;
    }
    const c = Herald.state.composer;
    switch (msg.type) {
      case "ready":
        onPanelReady();
        break;
      case "insert":
        if (!c) return;
        await Herald.insertText(c, msg.text);
        c.origin = msg.snippet_id != null ? { snippet_id: msg.snippet_id, variant: msg.variant || 0, text: msg.text } : null;
        Herald.emit("suggestion-inserted", { composer: c, snippet_id: msg.snippet_id });
        heraldChrome.send({ type: "mark-seen" });
        break;
      case "highlights":
        Herald.paintHighlights(c, msg.ranges);
        break;
      case "hint-cards":
        Herald.setHintCards(c, msg);
        break;
      case "post-note":
        Herald.setPostNote(c, msg);
        break;
      case "apply-fix":
        if (!c) return;
        await Herald.applyFix(c, msg);
        break;
      case "share-event": {
        if (!pendingShares.has(msg.request_id)) return; // not a Post we saw: ignore
        pendingShares.delete(msg.request_id);
        const reply = await heraldChrome.send({ type: "queue-share", event: msg.event });
        Herald.emit("share-queued", reply);
        break;
      }
      case "propose": {
        // "Suggest content": the link and note the employee typed into the panel's form, picked
        // field by field so nothing else (the draft above all) can ride along to the worker.
        const ask = { type: "propose", url: msg.url };
        if (msg.title != null) ask.title = msg.title;
        if (msg.note != null) ask.note = msg.note;
        const response = (await heraldChrome.send(ask)) || { ok: false, error: "network" };
        toPanel({ type: "propose-result", request_id: msg.request_id, response: sanitizeReply(response) });
        break;
      }
      case "status":
        Herald.setButtonBadge(msg.findings);
        break;
      case "snapshot":
        lastSnapshot = msg;
        heraldChrome.send({ type: "save-panel-snapshot", network: Herald.state.site.network, snapshot: msg });
        break;
      case "close":
        if (c) c.dismissed = true;
        Herald.showPanel(false);
        break;
    }
  }

  function onWorkerMessage(message, _sender, sendResponse) {
    const check = Herald.validate(message, FROM_WORKER);
    if (!check.ok) return false;
    if (message.type === "state-changed") pushState();
    if (message.type === "toggle-panel") {
      if (!Herald.state.composer) {
        // Nothing focused yet (the employee clicked the toolbar): the page's visible composer.
        const visible = [...Herald.state.composers].find((c) => c.editable.isConnected && c.editable.getClientRects().length);
        if (visible) Herald.selectComposer(visible);
      }
      const c = Herald.state.composer;
      // The employee asked for Herald (toolbar popup, shortcut) and there is no composer to open it
      // on: the site health counter's "not found" (bridge/health.js).
      if (!c || !c.editable.isConnected) Herald.emit("composer-not-found", {});
      if (message.open) {
        if (c) c.dismissed = false;
        if (!Herald.state.panelVisible) Herald.showPanel(true, true);
      } else {
        if (c) c.dismissed = Herald.state.panelVisible;
        Herald.togglePanel();
      }
    }
    sendResponse({ ok: true, opened: !!Herald.state.panelVisible });
    return false;
  }

  Herald.feature({
    name: "relay",
    setup() {
      const api = heraldChrome.api;
      api.runtime.onMessage.addListener(onWorkerMessage);
      removers = [
        () => api.runtime.onMessage.removeListener(onWorkerMessage),
        Herald.listen(root, "message", onPanelMessage),
        Herald.on("text-changed", ({ composer, text }) => {
          if (composer === Herald.state.composer) sendText(composer, text);
        }),
        Herald.on("composer-focused", (c) => {
          sendText(c, Herald.readText(c.editable, c.site));
          // A composer opened: ask the server whether anything changed (ETag, 304 when not).
          heraldChrome.send({ type: "refresh-content", max_age_seconds: FRESH_SECONDS });
          pushState(); // the limit the page shows may have appeared with the composer
        }),
        Herald.on("panel-shown", ({ visible, focus }) => {
          toPanel({ type: "shown", visible, focus, theme: Herald.siteTheme() });
          // The open panel lists the suggestions: they are seen, so the toolbar badge clears.
          if (visible) heraldChrome.send({ type: "mark-seen" });
        }),
        Herald.on("post-pressed", ({ composer, text }) => {
          const request_id = Herald.uuid();
          const message = { type: "compose-share", request_id, text };
          pendingShares.set(request_id, { message, sent: false });
          pendingShares.get(request_id).sent = toPanel(message);
          // The post used the suggestion up: what is typed next is a new draft, even when the
          // site's clearing of the editor and the next keys fall in one text-watch interval (the
          // empty text that clears the origin in text-watch is then never seen).
          if (composer) composer.origin = null;
        }),
      ];
      pushState();
    },
    teardown() {
      removers.forEach((r) => r());
      closeChannel();
      sentPolicy = undefined;
      pendingShares = new Map();
    },
  });
})(globalThis);
