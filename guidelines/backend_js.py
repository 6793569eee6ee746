"""Brython matcher backend on the browser's native RegExp (no ``re`` import: it is slow).

One small JS helper (created once) holds the built RegExps of a plan and runs them all in one
call per check: the exec loops, the one-pass scan of prefiltered sources (see ``backend``) and
the UTF-16 -> code-point conversion all happen natively; Python gets plain arrays of ints.
"""

from __future__ import annotations

from browser import window

_JS = r"""(function () {
  var SUR = /[\uD800-\uDFFF]/;
  function cpMap(text) {
    var n = text.length, map = new Int32Array(n + 1), cp = 0;
    for (var i = 0; i < n; i++) {
      map[i] = cp;
      var c = text.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) { i++; map[i] = cp; }
      }
      cp++;
    }
    map[n] = cp;
    return map;
  }
  function prepare(srcs, pres) {
    var n = srcs.length, group = [], alone = [], i;
    for (i = 0; i < n; i++) if (pres && pres[i]) group.push(i);
    if (group.length < 2) group = [];
    for (i = 0; i < n; i++) if (group.indexOf(i) < 0) alone.push(i);
    var rxs = alone.map(function (k) { return new RegExp(srcs[k], "gu"); });
    var combo = null;
    if (group.length) {
      var seen = {}, ps = [], body = "";
      group.forEach(function (k) {
        if (!seen[pres[k]]) { seen[pres[k]] = 1; ps.push(pres[k]); }
        body += "(?=(" + srcs[k] + ")|)";
      });
      combo = new RegExp("(?=" + ps.join("|") + ")" + body, "gu");
    }
    return function (text) {
      text = String(text);
      var map = SUR.test(text) ? cpMap(text) : null, len = text.length;
      var out = new Array(n), k, m, s, e;
      for (k = 0; k < n; k++) out[k] = [];
      for (k = 0; k < rxs.length; k++) {
        var rx = rxs[k], spans = out[alone[k]];
        rx.lastIndex = 0;
        while ((m = rx.exec(text)) !== null) {
          s = m.index; e = rx.lastIndex;
          if (e === s) { rx.lastIndex = s + 1; continue; }
          if (map) { spans.push(map[s], map[e]); } else { spans.push(s, e); }
        }
      }
      if (combo) {
        var g = group.length, last = new Int32Array(g);
        combo.lastIndex = 0;
        while ((m = combo.exec(text)) !== null) {
          s = m.index;
          for (k = 0; k < g; k++) {
            var c = m[k + 1];
            if (c !== undefined && s >= last[k]) {
              e = s + c.length;
              last[k] = e;
              if (map) { out[group[k]].push(map[s], map[e]); } else { out[group[k]].push(s, e); }
            }
          }
          var ch = text.charCodeAt(s);
          combo.lastIndex = s + ((ch & 0xFC00) === 0xD800 && s + 1 < len &&
            (text.charCodeAt(s + 1) & 0xFC00) === 0xDC00 ? 2 : 1);
        }
      }
      return out;
    };
  }
  function nfc(text) { return text.normalize("NFC"); }
  function ident(text) { return text; }
  return {prepare: prepare, nfc: nfc, ident: ident};
})()"""

_helper = None


def _js():
    global _helper
    if _helper is None:
        _helper = window.eval(_JS)
    return _helper


class JSBackend:
    flavor = "js"

    def prepare(self, sources: list[str], prefilters: list | None = None):
        return _js().prepare(sources, [p or "" for p in prefilters or []])  # None is no null

    def run(self, program, text: str) -> list[list[int]]:
        return program(text)

    def text(self, text: str) -> str:
        """Round-trip through JS: strings made by ``_json`` lack Brython's surrogate index,
        so their slicing and len() count UTF-16 units; the JS->Python conversion adds it."""
        return _js().ident(text)

    def nfc(self, text: str) -> str:
        return _js().nfc(text)
