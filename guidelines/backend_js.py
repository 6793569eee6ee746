"""Brython matcher backend on the browser's native RegExp (no ``re`` import: it is slow).

All regexes of a plan run inside one JS function per check, so Python-side work is one call
plus walking the flat result; UTF-16 offsets are converted to code points in the same pass.
"""

from __future__ import annotations

from browser import window

from .jsonio import loads

_JS = r"""(function () {
  var SUR = /[\uD800-\uDFFF]/;
  function prepare(srcs) {
    var rxs = [];
    for (var i = 0; i < srcs.length; i++) rxs.push(new RegExp(srcs[i], "gu"));
    return function (text) {
      var map = null, n = text.length;
      if (SUR.test(text)) {
        map = new Int32Array(n + 1);
        var cp = 0;
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
      }
      var out = [];
      for (var k = 0; k < rxs.length; k++) {
        var rx = rxs[k], spans = [], m;
        rx.lastIndex = 0;
        while ((m = rx.exec(text)) !== null) {
          var s = m.index, e = rx.lastIndex;
          if (e === s) { rx.lastIndex = s + 1; continue; }
          if (map) { spans.push(map[s], map[e]); } else { spans.push(s, e); }
        }
        out.push(spans);
      }
      return JSON.stringify(out);
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

    def prepare(self, sources: list[str]):
        return _js().prepare(sources)

    def run(self, program, text: str) -> list[list[int]]:
        return loads(program(text))

    def text(self, text: str) -> str:
        """Round-trip through JS: strings made by ``_json`` lack Brython's surrogate index,
        so their slicing and len() count UTF-16 units; the JS->Python conversion adds it."""
        return _js().ident(text)

    def nfc(self, text: str) -> str:
        return _js().nfc(text)
