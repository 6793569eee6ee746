"""What a person sees, checked in the page itself: visible text and element boxes.

`problems(frame)` returns a list of human-readable defects for one page or frame:
- visible text (or a visible label: placeholder, aria-label, title, alt) that shows
  "[object Object]", "None", "undefined", "null", "__MSG_", a raw message key, an empty "()" where a value
  was left out, or a "{placeholder}" never filled in;
- a visible element whose box pokes out of its container (section, card, finding, field ...),
  unless an ancestor carries `data-overflow-ok`;
- a page wider than its viewport (horizontal scrolling in a 360 px panel is a defect too).
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "extension" / "_locales"


def message_keys() -> list[str]:
    """Every message key of the English catalog: one of these on screen is an untranslated key."""
    return sorted(json.loads((LOCALES / "en" / "messages.json").read_text("utf-8")))


CHECK_JS = r"""
(keys) => {
  const known = new Set(keys);
  // ... and a value left out: "version ()", or a placeholder never filled in: "{count}".
  const bad = /\[object [A-Za-z]+\]|\bNone\b|\bundefined\b|\bnull\b|\bNaN\b|__MSG_|\(\s*\)|\{[a-z_]+\}/;
  const problems = [];
  const visible = (el) => el && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const where = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].join(".");
    return s;
  };
  const badText = (text) => bad.test(text) || known.has(text) || /^[a-z]+(_[a-z0-9]+)+$/.test(text);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || !visible(el) || el.closest("script, style, template")) continue;
    // <code> shows identifiers on purpose (the recorded field names): only junk counts there.
    if (el.closest("code") ? bad.test(text) : badText(text))
      problems.push(`text ${JSON.stringify(text)} in <${where(el)}>`);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], img[alt]")) {
    if (!visible(el)) continue;
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value && badText(value)) problems.push(`${name} ${JSON.stringify(value)} on <${where(el)}>`);
    }
  }
  const CONTAINERS = "section, .card, .finding, .notice, .nudge, .field, .toggle, dl, header, .panel, .options, .popup, .fold";
  for (const el of document.body.querySelectorAll("*")) {
    if (!visible(el) || el.closest("[data-overflow-ok]")) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    const container = el.parentElement && el.parentElement.closest(CONTAINERS);
    if (!container) continue;
    const c = container.getBoundingClientRect();
    const out = box.left < c.left - 1 || box.right > c.right + 1 || box.top < c.top - 1 || box.bottom > c.bottom + 1;
    if (out) {
      problems.push(`<${where(el)}> ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}x${Math.round(box.height)}`
        + ` outside <${where(container)}> ${Math.round(c.left)},${Math.round(c.top)} ${Math.round(c.width)}x${Math.round(c.height)}`);
    }
    // Text cut by its own box (a label wider than its button) is overflow too.
    if (el.children.length === 0 && getComputedStyle(el).overflow === "visible" && el.scrollWidth > el.clientWidth + 1
        && el.clientWidth > 0 && getComputedStyle(el).display !== "inline") {
      problems.push(`<${where(el)}> text wider than its box (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  return problems;
}
"""


def problems(frame) -> list[str]:
    """Defects a person would see in this frame (see the module docstring)."""
    return frame.evaluate(CHECK_JS, message_keys())


def rect(locator) -> dict:
    """The element's box in the top page's viewport coordinates."""
    return locator.bounding_box()


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


# --- Herald over the site: what the panel, its pill and the button may not cover ---------------

CONTROLS = {
    "linkedin": "#interop-outlet .share-box button",
    "x": "[data-testid=tweetButton]",
}
POST = {
    "linkedin": "#interop-outlet .share-actions__primary-action",
    "x": "[data-testid=tweetButton]",
}
FRAME = "iframe.herald-panel-frame"


def box(page, js: str) -> dict:
    return page.evaluate(
        f"() => {{ const r = ({js}).getBoundingClientRect();"
        " return {x: r.left, y: r.top, width: r.width, height: r.height}; }"
    )


def herald_state(page) -> str:
    """ "panel" (shown), "pill" (collapsed for lack of room) or "" (neither yet)."""
    return page.evaluate(
        "() => { const f = document.querySelector('iframe.herald-panel-frame');"
        " if (!f) return ''; if (f.dataset.heraldVisible === 'true') return 'panel';"
        " return f.dataset.heraldCollapsed === 'true' ? 'pill' : ''; }"
    )


def covered(page, site: str) -> list[str]:
    """What Herald's panel or button covers: site controls and the editor's text."""
    editor = box(page, "window.__fixture.editor()")
    ours = {"button": page.locator("button.herald-button").bounding_box()}
    if herald_state(page) == "panel":
        ours["panel"] = page.locator(FRAME).bounding_box()
    hits = []
    for name, rect in ours.items():
        assert rect, f"the Herald {name} is not on screen"
        if overlaps(rect, editor):
            hits.append(f"{name} {rect} covers the editor {editor}")
        controls = page.locator(CONTROLS[site])
        for i in range(controls.count()):
            control = controls.nth(i).bounding_box()
            if control and overlaps(rect, control):
                label = (
                    controls.nth(i).get_attribute("aria-label") or controls.nth(i).text_content()
                )
                hits.append(f"{name} {rect} covers the site's {label!r} control {control}")
    return hits
