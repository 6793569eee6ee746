// CSV invitations in chunks: parse in the browser, post 100 rows per fetch(), show progress and a
// per-row report. Without JavaScript the form posts the whole file and the server answers a page.
"use strict";

(function () {
  const form = document.getElementById("csv-form");
  if (!form) return;
  const CHUNK = 100;

  // RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes.
  function parseCSV(text) {
    const rows = [];
    let row = [], field = "", quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(field); field = "";
        if (row.some((v) => v.trim() !== "")) rows.push(row);
        row = [];
      } else field += c;
    }
    row.push(field);
    if (row.some((v) => v.trim() !== "")) rows.push(row);
    return rows;
  }

  function cell(tr, text, asCode) {
    const td = document.createElement("td");
    if (asCode) {
      const code = document.createElement("code");
      code.textContent = text;
      td.appendChild(code);
    } else td.textContent = text;  // never innerHTML: the file is untrusted
    tr.appendChild(td);
  }

  form.addEventListener("submit", async function (event) {
    const file = form.querySelector('input[type="file"]').files[0];
    if (!file) return;
    event.preventDefault();
    const text = (await file.text()).replace(/^\uFEFF/, "");
    const table = parseCSV(text);
    const status = document.getElementById("csv-status");
    const bar = document.getElementById("csv-bar");
    const report = document.getElementById("csv-report");
    const body = report.querySelector("tbody");
    document.getElementById("csv-progress").hidden = false;
    body.textContent = "";
    if (!table.length || !table[0].map((h) => h.trim().toLowerCase()).includes("email")) {
      status.textContent = "The file needs a header row with at least an email column.";
      return;
    }
    const header = table[0].map((h) => h.trim().toLowerCase());
    const rows = table.slice(1).map((cells) => {
      const obj = {};
      header.forEach((h, i) => { obj[h] = (cells[i] || "").trim(); });
      return obj;
    });
    report.hidden = false;
    let done = 0, created = 0, skipped = 0;
    bar.max = rows.length || 1;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      let resp;
      try {
        resp = await window.heraldConsole.send(form.action, {
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ rows: chunk, first_line: start + 2 }),
        });
      } catch (err) {
        status.textContent = "Network error after " + done + " rows; the rest were not sent.";
        return;
      }
      if (!resp.ok) {
        let message = resp.status + " " + resp.statusText;
        try { message = (await resp.json()).error.message; } catch (e) { /* not JSON */ }
        status.textContent = "Stopped after " + done + " rows: " + message;
        return;
      }
      const data = await resp.json();
      for (const r of data.results) {
        const tr = document.createElement("tr");
        tr.className = "outcome-" + r.outcome;
        cell(tr, String(r.line));
        cell(tr, r.email);
        cell(tr, r.outcome);
        cell(tr, r.invite_url || r.reason || "", Boolean(r.invite_url));
        body.appendChild(tr);
        if (r.outcome === "created") created++; else skipped++;
      }
      done += chunk.length;
      bar.value = done;
      status.textContent = done + " of " + rows.length + " rows: " + created + " invited, " + skipped + " skipped.";
    }
    if (!rows.length) status.textContent = "The file has no rows under its header.";
  });
})();
