/* Reading the composer's text and mapping panel offsets back to DOM ranges.
 * The panel speaks in code points over the plain text (blocks joined by "\n"); the DOM speaks
 * in UTF-16 offsets inside text nodes spread over paragraph blocks. Both directions go through
 * the same block walk so that they can never disagree. */
(function (root) {
  "use strict";
  const Herald = root.Herald;

  function query(editable, sel) {
    try {
      return [...editable.querySelectorAll(sel)];
    } catch (_) {
      return [];
    }
  }

  function blocksOf(editable, site) {
    const text = (site && site.text) || {};
    let blocks = text.blocks ? query(editable, text.blocks) : [];
    // The fallback's generic editors (fallback.js): the first selector that finds blocks, unless
    // text sits directly in the editable (a plain contenteditable): then it is one block.
    if (!blocks.length && text.blocks_any && ![...editable.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim())) {
      for (const sel of text.blocks_any) {
        blocks = query(editable, sel);
        if (blocks.length) break;
      }
    }
    // An editor without recognisable blocks is one block.
    return blocks.length ? blocks : [editable];
  }

  function textNodesOf(block, site) {
    const ignore = (site && site.text && site.text.ignore) || "";
    const walker = block.ownerDocument.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        if (ignore && node.parentElement && node.parentElement.closest(ignore)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n);
    return out;
  }

  /** Segments: [{block, nodes:[{node, start, end}] , start, end}] in UTF-16 units of the joined text. */
  function layout(editable, site) {
    const blocks = blocksOf(editable, site);
    const segments = [];
    let pos = 0;
    let text = "";
    blocks.forEach((block, i) => {
      if (i > 0) {
        text += "\n";
        pos += 1;
      }
      const seg = { block, nodes: [], start: pos, end: pos };
      for (const node of textNodesOf(block, site)) {
        // Editors keep zero-width placeholders (e.g. Quill's cursor \uFEFF); they are not text.
        const value = node.nodeValue.replace(/\uFEFF/g, "");
        if (value.length !== node.nodeValue.length) continue;
        seg.nodes.push({ node, start: pos, end: pos + value.length });
        pos += value.length;
        text += value;
      }
      seg.end = pos;
      segments.push(seg);
    });
    return { text, segments };
  }

  Herald.readText = function (editable, site) {
    return layout(editable, site).text;
  };

  /** Code-point offset -> UTF-16 offset within `text`. */
  function cpToUtf16(text, cp) {
    let units = 0;
    let count = 0;
    for (const ch of text) {
      if (count === cp) return units;
      units += ch.length;
      count += 1;
    }
    return units; // cp at (or past) the end
  }
  Herald.cpToUtf16 = cpToUtf16;

  function pointAt(lay, unit, preferNext) {
    for (let i = 0; i < lay.segments.length; i++) {
      const seg = lay.segments[i];
      if (unit < seg.start || unit > seg.end) continue;
      // An offset on a block boundary belongs to the next block's start when we open a range.
      if (unit === seg.end && preferNext && i + 1 < lay.segments.length && lay.segments[i + 1].start === unit) continue;
      for (const n of seg.nodes) {
        if (unit >= n.start && unit <= n.end) {
          if (unit === n.end && preferNext) {
            const next = seg.nodes[seg.nodes.indexOf(n) + 1];
            if (next) return { node: next.node, offset: 0 };
          }
          return { node: n.node, offset: unit - n.start };
        }
      }
      // Empty block (e.g. <p><br></p>): point at the block itself.
      return { node: seg.block, offset: 0 };
    }
    const last = lay.segments[lay.segments.length - 1];
    const lastNode = last && last.nodes[last.nodes.length - 1];
    return lastNode ? { node: lastNode.node, offset: lastNode.node.nodeValue.length } : { node: last.block, offset: 0 };
  }

  /** Code-point offsets -> UTF-16 offsets for many offsets at once: one pass over the text,
   * whatever the number of spans (a 3,000-character post is walked once per paint, not per span).
   * Offsets past the end map to the end; returns a Map cp -> unit and the text's code points. */
  function unitsAt(text, offsets) {
    const wanted = [...new Set(offsets)].sort((x, y) => x - y);
    const out = new Map();
    let units = 0;
    let count = 0;
    let k = 0;
    for (const ch of text) {
      while (k < wanted.length && wanted[k] === count) out.set(wanted[k++], units);
      units += ch.length;
      count += 1;
    }
    while (k < wanted.length) out.set(wanted[k++], units);
    return { map: out, total: count };
  }

  /** Code-point spans [{start, end}] over the editor text -> DOM Ranges (null for a span out of
   * bounds), reading the editor's DOM once for all of them. */
  Herald.rangesFor = function (editable, site, spans) {
    const lay = layout(editable, site);
    const offsets = [];
    for (const s of spans) offsets.push(s.start, s.end);
    const units = unitsAt(lay.text, offsets);
    return spans.map(({ start, end }) => {
      if (start > end || end > units.total) return null;
      const a = pointAt(lay, units.map.get(start), true);
      const b = pointAt(lay, units.map.get(end), false);
      const range = editable.ownerDocument.createRange();
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      return range;
    });
  };

  /** Code-point [start, end) over the editor text -> DOM Range (or null when out of bounds). */
  Herald.rangeFor = function (editable, site, start, end) {
    return Herald.rangesFor(editable, site, [{ start, end }])[0];
  };

  /** Range over the whole content, for "replace everything" insertions. */
  Herald.rangeAll = function (editable) {
    const range = editable.ownerDocument.createRange();
    range.selectNodeContents(editable);
    return range;
  };
})(globalThis);
