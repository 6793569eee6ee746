// Console helpers shared by every page: CSRF-aware fetch and confirmations. No inline scripts (CSP).
"use strict";

window.heraldConsole = (function () {
  const tokenMeta = document.querySelector('meta[name="csrf-token"]');

  // Every state-changing fetch() sends the session's CSRF token in a header the server checks.
  async function send(url, options) {
    const opts = Object.assign({ method: "POST", credentials: "same-origin" }, options || {});
    opts.headers = Object.assign(
      { "X-CSRF-Token": tokenMeta ? tokenMeta.content : "", Accept: "application/json" },
      opts.headers || {}
    );
    return fetch(url, opts);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    // A button may ask its own question (one form, several actions via formaction).
    const button = event.submitter;
    const question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  return { send: send };
})();
