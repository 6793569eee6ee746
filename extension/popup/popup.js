/* The toolbar popup: who is signed in, to which server, how many shares are waiting or sent, and
 * one button that opens the panel beside the current tab's composer. Strings come from the same
 * _locales catalogs as the panel, in the language chosen in Herald's options (chrome.i18n could
 * only give the browser's). Text goes through textContent only. */
(function (root) {
  "use strict";
  const api = heraldChrome.api;

  async function catalog(language) {
    try {
      const res = await fetch(heraldChrome.url(`_locales/${language}/messages.json`));
      return res.ok ? await res.json() : {};
    } catch (_) {
      return {}; // a language without a catalog: English below
    }
  }

  async function strings(chosen) {
    const base = String(chosen || heraldChrome.uiLocale() || "en").replace("_", "-").split("-")[0].toLowerCase();
    const [own, english] = await Promise.all([catalog(base), base === "en" ? {} : catalog("en")]);
    const language = Object.keys(own).length ? base : "en";
    const t = (key, values = {}) => {
      let text = ((own[key] || english[key] || {}).message) || key;
      for (const [name, value] of Object.entries(values)) text = text.split(`{${name}}`).join(String(value));
      return text;
    };
    return { language, t };
  }

  function el(tag, attrs = {}, text = "", children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    node.append(...children);
    return node;
  }

  /** The tab the employee was looking at when they clicked the toolbar icon. */
  async function activeTab() {
    const tabs = await api.tabs.query({ active: true, lastFocusedWindow: true });
    return tabs.find((tab) => !String(tab.url || "").startsWith(heraldChrome.url(""))) || null;
  }

  async function openPanel(t, message) {
    const tab = await activeTab();
    let reply = null;
    if (tab && tab.id != null) reply = await api.tabs.sendMessage(tab.id, { type: "toggle-panel", open: true }).catch(() => null);
    if (reply && reply.opened) {
      root.close();
      return;
    }
    message.textContent = t("popup_no_composer");
  }

  // Server and worker error codes -> the same string keys as the panel's form (herald_propose).
  const PROPOSE_ERRORS = [
    ["validation_failed", "propose_error_url"],
    ["too_many_proposals", "propose_error_rate"],
    ["already_proposed", "propose_error_already"],
    ["signed_out", "propose_error_signed_out"],
    ["network", "propose_error_network"],
  ];

  /** "Suggest this page": the tab's address and title (activeTab: granted by this very click on
   * the toolbar, no host permission), nothing from the page itself. */
  async function suggestPage(t, program, tab, button, message) {
    button.disabled = true;
    button.textContent = t("propose_sending");
    const ask = { type: "propose", url: tab.url };
    if (tab.title) ask.title = String(tab.title).slice(0, 200);
    const reply = (await heraldChrome.send(ask)) || { ok: false, error: "network" };
    button.textContent = t("popup_suggest_page", { program });
    message.className = "message";
    if (reply.ok) {
      button.hidden = true;
      const target = document.getElementById("suggest-target");
      if (target) target.hidden = true; // sent: the thank-you replaces button and title
      const dup = reply.proposal && reply.proposal.duplicate;
      let text = t("popup_suggest_sent", { program });
      if (dup) text += " " + (dup.status === "approved" && dup.title ? t("propose_duplicate_live", { title: dup.title }) : t("propose_duplicate_known"));
      message.textContent = text;
      message.classList.add("ok");
      return;
    }
    button.disabled = false;
    const found = PROPOSE_ERRORS.find(([code]) => String(reply.error || "").startsWith(code));
    const minutes = Math.max(1, Math.ceil((reply.retry_after || 0) / 60));
    message.textContent = t(found ? found[1] : "propose_error_generic", { minutes });
    message.classList.add("error");
  }

  async function render() {
    const state = (await heraldChrome.send({ type: "get-state" })) || {};
    const { language, t } = await strings(state.settings && state.settings.language);
    document.documentElement.lang = language;
    const user = state.user || {};
    const program = (state.program && state.program.name) || "Herald";
    const message = el("p", { id: "popup-message", class: "message", role: "status" });
    const children = [
      el("header", {}, "", [el("img", { src: heraldChrome.url("icons/icon-32.png"), alt: "" }), el("h1", {}, program)]),
      el(
        "p",
        { id: "popup-account" },
        state.signed_in ? t("signed_in_as", { name: user.name || "", email: user.email || "" }) : t("popup_signed_out")
      ),
    ];
    if (state.server_url) children.push(el("p", { id: "popup-server", class: "muted" }, t("popup_server", { url: state.server_url })));
    children.push(
      el("ul", { id: "popup-counts" }, "", [
        el("li", {}, t("popup_queued", { count: state.queue_length || 0 })),
        el("li", {}, t("popup_sent", { count: state.sent_count || 0 })),
      ])
    );
    const open = el("button", { id: "open-panel", type: "button", class: "primary" }, t("popup_open_panel"));
    open.addEventListener("click", () => openPanel(t, message));
    const settings = el(
      "button",
      { id: "open-settings", type: "button", class: "link" },
      state.signed_in ? t("popup_settings") : t("sign_in")
    );
    settings.addEventListener("click", () => api.runtime.openOptionsPage().then(() => root.close()));
    children.push(open);
    const tab = state.signed_in ? await activeTab() : null;
    if (tab) {
      const suggest = el("button", { id: "suggest-page", type: "button", class: "secondary" }, t("popup_suggest_page", { program }));
      if (/^https?:\/\//i.test(String(tab.url || ""))) {
        suggest.addEventListener("click", () => suggestPage(t, program, tab, suggest, message));
      } else {
        suggest.disabled = true;
        suggest.title = t("popup_suggest_unavailable");
      }
      // What would be sent: the tab's title (else its address), so nobody suggests the wrong tab.
      const target = el("p", { id: "suggest-target", class: "muted target" }, String(tab.title || tab.url || ""));
      if (tab.url) target.title = String(tab.url);
      children.push(suggest, target);
    }
    children.push(message, settings);
    document.getElementById("popup").replaceChildren(...children);
  }

  render();
})(globalThis);
