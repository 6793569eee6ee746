"""The generic fallback ("compatibility mode"): composers whose class names and test ids no site
adapter selector matches (tests/fixtures/sites/compat-*.html, real Quill 2 and Draft.js 0.11 +
React 18 with renamed classes, one in a closed shadow root, one in a same-origin iframe, a plain
French contenteditable) still get the panel, marked compatibility mode; a suggestion inserts,
a flagged word is highlighted, and the site's Post records exactly one share. A comment box and
a search box (no submit-like button) never become composers."""

from __future__ import annotations

import time

import pytest
import visible_check
from e2e_support import SUGGESTION_LINKEDIN, SUGGESTION_X, poll

pytestmark = pytest.mark.browser

# variant -> (fixture page, query, adapter the host picks, suggestion for that network)
VARIANTS = {
    "quill-renamed": ("compat-linkedin.html", "variant=renamed", "linkedin"),
    "draft-renamed": ("compat-x.html", "variant=renamed", "x"),
    "quill-closed-shadow": ("compat-linkedin.html", "variant=closed", "linkedin"),
    "draft-iframe": ("compat-x.html", "variant=iframe", "x"),
    "plain-publier": ("compat-linkedin.html", "variant=plain", "linkedin"),
}
SUGGESTION = {"linkedin": SUGGESTION_LINKEDIN, "x": SUGGESTION_X}

# The highlight ranges in the composer's own window (the iframe's for the iframe variant), in
# code points of the editor text; blocks (paragraphs, Draft blocks) are joined by newlines.
READ_HIGHLIGHTS = """() => {
  const f = window.__fixture;
  const ed = f.editor();
  const win = f.highlightWindow();
  const out = {};
  for (const [name, hl] of win.CSS.highlights) {
    out[name] = [...hl].map((r) => {
      const pre = ed.ownerDocument.createRange();
      pre.selectNodeContents(ed);
      pre.setEnd(r.startContainer, r.startOffset);
      const blocks = [...ed.querySelectorAll(':scope > p, [data-block="true"]')];
      const before = blocks.filter((b) => b.compareDocumentPosition(r.startContainer) & Node.DOCUMENT_POSITION_FOLLOWING
                                           && !b.contains(r.startContainer)).length;
      const start = [...pre.toString()].length + before;
      const text = r.toString();
      return { text, start, end: start + [...text].length };
    });
  }
  return out;
}"""


class Variant:
    def __init__(self, page, site: str):
        self.page = page
        self.site = site

    def fixture(self, expr: str):
        return self.page.evaluate(f"() => window.__fixture.{expr}")

    def click(self, what: str):
        point = self.fixture(f"{what}Point()")
        self.page.mouse.click(point["x"], point["y"])

    def panel_frame(self):
        self.page.wait_for_timeout(10)  # lets Playwright process frame-attached events
        return next((f for f in self.page.frames if f.url.endswith("panel/panel.html")), None)

    def panel_visible(self) -> bool:
        return self.page.evaluate(
            "() => { const f = document.querySelector('iframe.herald-panel-frame');"
            " return !!f && f.dataset.heraldVisible === 'true'; }"
        )

    def panel(self):
        poll(self.panel_visible, timeout=15, message="the Herald panel beside the composer")
        return poll(self.panel_frame, message="the panel frame")


@pytest.fixture
def open_variant(signed_in, site_pages):
    pages = []

    def _open(name: str, extra: str = "") -> Variant:
        page_name, query, site = VARIANTS[name]
        origin = site_pages.linkedin_origin if site == "linkedin" else site_pages.x_origin
        page = signed_in.context.new_page()
        pages.append(page)
        page.goto(f"{origin}/{page_name}?{query}{extra}")
        poll(lambda: page.evaluate("() => !!window.__fixture"), message="the fixture composer")
        return Variant(page, site)

    yield _open
    for page in pages:
        page.close()


@pytest.mark.parametrize("name", list(VARIANTS))
def test_fallback_composer_suggests_highlights_and_posts_once(open_variant, live_server, name):
    variant = open_variant(name)
    before = len(live_server.shares())
    # Only the fallback can find it: no adapter selector matches the editor.
    assert variant.page.evaluate(
        "() => !window.__fixture.editor().matches(\"[class*='ql-editor'], [class*='DraftEditor'],"
        " [data-testid^='tweetTextarea_']\")"
    )
    variant.click("editor")
    panel = variant.panel()
    compat = panel.locator("#compat")
    poll(lambda: compat.is_visible(), message="the compatibility-mode note in the panel")
    assert "Compatibility mode" in (compat.text_content() or "")

    # A suggestion replaces the draft through the editor's own input path.
    text = SUGGESTION[variant.site]
    card = panel.locator("li.card", has_text=text)
    poll(lambda: card.count(), timeout=20, message="the approved suggestion in the panel")
    card.locator("button.insert").click()
    poll(lambda: variant.fixture("modelText()") == text, message=f"editor model == {text!r}")
    assert variant.fixture("postEnabled()"), "the inserted text enables the site's Post"

    # Highlights on a flagged word typed after it, the editor's DOM untouched.
    variant.click("editor")
    variant.page.keyboard.press("End")
    variant.page.keyboard.type(" Confidential", delay=5)
    text += " Confidential"
    poll(lambda: variant.fixture("modelText()") == text, message="typed text in the model")
    errors = poll(
        lambda: variant.page.evaluate(READ_HIGHLIGHTS).get("herald-error"),
        message="an error highlight",
    )
    start = len(text) - len("Confidential")
    assert errors == [{"text": "Confidential", "start": start, "end": len(text)}]
    assert variant.fixture("editor().querySelectorAll('mark').length") == 0

    # The site's own Post: exactly one share, attributed to the suggestion.
    variant.click("post")
    poll(lambda: variant.fixture("published") == [text], message="the site published the post")
    poll(
        lambda: len(live_server.shares()) == before + 1,
        timeout=60,
        message="one share on the server",
    )
    time.sleep(1.0)
    shares = live_server.shares()
    assert len(shares) == before + 1, "the share was recorded more than once"
    assert shares[-1]["network"] == variant.site
    assert shares[-1]["snippet_id"] == live_server.snippets["launch"]
    assert shares[-1]["edited"], "the typed word counts as an edit of the suggestion"


def test_ctrl_enter_on_a_fallback_composer_records_one_share(open_variant, live_server):
    """X supports Ctrl+Enter (its adapter says so): the fallback detects it there too."""
    variant = open_variant("draft-renamed")
    before = len(live_server.shares())
    variant.click("editor")
    variant.panel()
    variant.page.keyboard.type("Shipping today", delay=5)
    poll(lambda: variant.fixture("modelText()") == "Shipping today", message="typed text")
    variant.page.keyboard.press("Control+Enter")
    poll(lambda: variant.fixture("published") == ["Shipping today"], message="published")
    poll(lambda: len(live_server.shares()) == before + 1, timeout=60, message="one share")
    time.sleep(1.0)
    assert len(live_server.shares()) == before + 1


def test_a_box_without_a_submit_like_button_is_no_composer(open_variant, live_server):
    variant = open_variant("plain-publier", "")
    # The negative page: a comment box ("Comment") and a search box, on the same host.
    variant.page.goto(variant.page.url.replace("variant=plain", "variant=negative"))
    poll(lambda: variant.page.evaluate("() => !!window.__fixture"), message="fixture")
    before = len(live_server.shares())
    variant.click("editor")
    variant.page.keyboard.type("Great talk, this is confidential", delay=5)
    variant.page.click("#search-box")
    variant.page.keyboard.type("launch", delay=5)
    variant.click("editor")
    variant.page.keyboard.type("!", delay=5)
    variant.click("post")
    assert variant.fixture("published") == ["Great talk, this is confidential!"]
    # Give the bridge every chance to react (its scans run per frame, the panel boots in <1 s).
    time.sleep(1.5)
    assert not variant.panel_visible()
    assert variant.page.evaluate(
        "() => [...document.querySelectorAll('button.herald-button')].every((b) => b.hidden)"
    )
    assert variant.page.evaluate("() => CSS.highlights.size") == 0
    assert len(live_server.shares()) == before


# ------------------------------------------------------------------------------------------------
# Look at it: the panel in compatibility mode, light and dark, English and Thai

# Each language once in each theme, over both variants (a page load each: keep it to four).
LOOKS = [
    ("en", "quill-renamed", "", "light"),
    ("th", "quill-renamed", "&dark=1", "dark"),
    ("en", "draft-iframe", "", "dark"),
    ("th", "draft-iframe", "&theme=light", "light"),
]


def set_language(browser, language: str | None) -> None:
    browser.worker().evaluate(
        "async (language) => { const {settings} = await chrome.storage.local.get('settings');"
        " await chrome.storage.local.set({settings: {...(settings || {notifications: true}), language}}); }",
        language,
    )


def test_compat_mode_panel_shows_no_junk_and_covers_nothing(open_variant, signed_in, tmp_path):
    found = {}
    try:
        for language, name, extra, theme in LOOKS:
            set_language(signed_in, language)
            variant = open_variant(name, extra)
            variant.click("editor")
            panel = variant.panel()
            poll(
                lambda panel=panel, language=language, theme=theme: panel.evaluate(
                    "([l, t]) => document.documentElement.lang === l"
                    " && document.documentElement.dataset.theme === t"
                    " && !document.getElementById('compat').hidden",
                    [language, theme],
                ),
                timeout=20,
                message=f"compat panel in {language}/{theme}",
            )
            variant.page.keyboard.type("Launch day: this is confidential", delay=5)
            variant.page.wait_for_timeout(400)
            shot = f"compat-{name}-{language}-{theme}.png"
            variant.page.screenshot(path=str(tmp_path / shot))
            issues = visible_check.problems(panel)
            ours = {"panel": variant.page.locator(visible_check.FRAME).bounding_box()}
            ours["button"] = variant.page.locator("button.herald-button").bounding_box()
            theirs = {
                "Post": variant.fixture("postRect()"),
                "editor": variant.fixture("editorRect()"),
                "composer": variant.fixture("composerRect()"),
            }
            for mine, rect in ours.items():
                for what, other in theirs.items():
                    # the button sits at the editor's corner, inside the composer's box: allowed
                    if mine == "button" and what == "composer":
                        continue
                    if rect and visible_check.overlaps(rect, other):
                        issues.append(f"the Herald {mine} {rect} covers the {what} {other}")
            found[shot] = issues
            variant.page.close()
    finally:
        set_language(signed_in, None)
    bad = {shot: issues for shot, issues in found.items() if issues}
    assert not bad, f"visible defects (screenshots in {tmp_path}): {bad}"
