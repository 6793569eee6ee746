"""Brython matcher backend on the browser's native RegExp (no ``re`` import: it is slow).

One small JS helper (created once) holds the built RegExps of a plan and runs them all in one
call per check: the exec loops, the one-pass scan of prefiltered sources (see ``backend``) and
the UTF-16 -> code-point conversion all happen natively; Python gets plain arrays of ints.
"""

from __future__ import annotations

from browser import window

_JS = r"""(function () {
  var SUR = /[\uD800-\uDFFF]/, INVALID = /[\uFFFE\uFEFF\uFFFF]/;
  // strings with astral characters get Brython's code-point index, as its own JS->Python
  // conversion would give them (raw JS arrays are handed to Python unconverted)
  var B = typeof __BRYTHON__ !== "undefined" ? __BRYTHON__ : null;
  var PYSTR = B && B.String ? function (x) { return B.String(x); } : function (x) { return x; };
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
    // V8 runs most regexes fast alone; only sources sharing one prefilter (all term regexes of
    // a policy) are worth one pass behind it
    var n = srcs.length, byPre = {}, alone = [], combos = [], i;
    for (i = 0; i < n; i++) {
      var p = pres && pres[i];
      if (p) { (byPre[p] = byPre[p] || []).push(i); } else { alone.push(i); }
    }
    Object.keys(byPre).forEach(function (p) {
      var idx = byPre[p];
      if (idx.length < 2) { alone.push(idx[0]); return; }
      var body = "";
      idx.forEach(function (k) { body += "(?=(" + srcs[k] + ")|)"; });
      combos.push({rx: new RegExp("(?=" + p + ")" + body, "gu"), group: idx});
    });
    var rxs = alone.map(function (k) { return new RegExp(srcs[k], "gu"); });
    return function (text, normalize) {
      text = String(text);
      var orig = -1;
      if (normalize) {
        orig = SUR.test(text) ? cpMap(text)[text.length] : text.length;
        text = text.normalize("NFC");
      }
      var map = SUR.test(text) ? cpMap(text) : null, len = text.length;
      var out = new Array(n), k, m, s, e;
      function rec(recs, s, e) {
        var b = s, a = e, q;
        for (q = 0; q < 4 && b > 0; q++) {
          b--;
          if (b > 0 && (text.charCodeAt(b) & 0xFC00) === 0xDC00 &&
              (text.charCodeAt(b - 1) & 0xFC00) === 0xD800) b--;
        }
        for (q = 0; q < 4 && a < len; q++) {
          a += (text.charCodeAt(a) & 0xFC00) === 0xD800 && a + 1 < len &&
            (text.charCodeAt(a + 1) & 0xFC00) === 0xDC00 ? 2 : 1;
        }
        if (map) {
          recs.push(map[s], map[e], PYSTR(text.slice(s, e)), PYSTR(text.slice(b, s)),
                    PYSTR(text.slice(e, a)));
        } else {
          recs.push(s, e, text.slice(s, e), text.slice(b, s), text.slice(e, a));
        }
      }
      for (k = 0; k < n; k++) out[k] = [];
      for (k = 0; k < rxs.length; k++) {
        var rx = rxs[k], recs = out[alone[k]];
        rx.lastIndex = 0;
        while ((m = rx.exec(text)) !== null) {
          s = m.index; e = rx.lastIndex;
          if (e === s) { rx.lastIndex = s + 1; continue; }
          rec(recs, s, e);
        }
      }
      for (var c0 = 0; c0 < combos.length; c0++) {
        var combo = combos[c0].rx, group = combos[c0].group;
        var g = group.length, last = new Int32Array(g);
        combo.lastIndex = 0;
        while ((m = combo.exec(text)) !== null) {
          s = m.index;
          for (k = 0; k < g; k++) {
            var c = m[k + 1];
            if (c !== undefined && s >= last[k]) {
              e = s + c.length;
              last[k] = e;
              rec(out[group[k]], s, e);
            }
          }
          var ch = text.charCodeAt(s);
          combo.lastIndex = s + ((ch & 0xFC00) === 0xD800 && s + 1 < len &&
            (text.charCodeAt(s + 1) & 0xFC00) === 0xDC00 ? 2 : 1);
        }
      }
      var cps = map ? map[len] : len;
      out.push([cps, orig < 0 ? cps : orig, INVALID.test(text)]);
      return out;
    };
  }
  function slice(text, start, end) {
    text = String(text);
    if (!SUR.test(text)) return text.slice(start, end);
    var map = cpMap(text), n = text.length, a = 0, b;
    while (a < n && map[a] < start) a++;
    b = a;
    while (b < n && map[b] < end) b++;
    return PYSTR(text.slice(a, b));
  }
  function nfc(text) { return text.normalize("NFC"); }
  function ident(text) { return text; }
  return {prepare: prepare, nfc: nfc, ident: ident, slice: slice};
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

    def run(self, program, text: str, nfc: bool = False) -> list:
        """See ``PyBackend.run``: one native call; Python never slices the (long) post, which
        costs tens of microseconds per slice in Brython."""
        return program(text, nfc)

    def slice(self, text: str, start: int, end: int) -> str:
        return _js().slice(text, start, end)

    def text(self, text: str) -> str:
        """Give a string from ``_json`` Brython's surrogate index (JS->Python conversion)."""
        return _js().ident(text)

    def nfc(self, text: str) -> str:
        return _js().nfc(text)
