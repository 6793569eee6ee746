"""End-to-end: the card at an underline, on the LinkedIn-like (Quill 2 in a shadow root) and
X-like (Draft.js) fixtures, and on the fallback's composer variants (a same-origin iframe, a
closed shadow root, a plain contenteditable: tests/e2e/test_fallback.py). Hover or caret shows
it at the underline (in the top page, shifted out of the iframe), Tab reaches its buttons,
Escape closes it, a fix changes the text through the editor, and the editor's DOM is never
touched by the card itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from e2e_support import ROOT, poll
from test_extension import SITES, type_in_composer
from test_fallback import open_variant  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("HERALD_SHOTS_DIR") or ROOT / "test-artifacts")
TEXT = "That plan was stupid, honestly"

CARD_JS = """() => {
  const host = document.querySelector('.herald-hint-host');
  if (!host) return null;
  const card = host.shadowRoot.querySelector('.card');
  const r = card.getBoundingClientRect();
  const active = host.shadowRoot.activeElement;
  return {hidden: card.hidden, rule: card.dataset.rule || null, text: card.innerText,
          left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          buttons: [...card.querySelectorAll('button')].map((b) => b.textContent),
          focused: active ? active.textContent : null,
          inEditor: window.__fixture.editor().contains(host)};
}"""

# The first underline of `name` in the top page's viewport (the fallback's iframe variant paints
# in the frame's own registry: its rect is shifted by the frame's content box).
UNDERLINE_JS = """(name) => {
  const f = window.__fixture;
  const win = f.highlightWindow ? f.highlightWindow() : window;
  const hl = win.CSS.highlights.get(name);
  if (!hl) return null;
  const rect = [...hl][0].getClientRects()[0];
  let x = 0, y = 0;
  if (win !== window) {
    const fr = win.frameElement, r = fr.getBoundingClientRect();
    x = r.left + fr.clientLeft;
    y = r.top + fr.clientTop;
  }
  return {left: rect.left + x, top: rect.top + y, right: rect.right + x, bottom: rect.bottom + y};
}"""

EDITOR_FOCUSED_JS = """() => {
  const ed = window.__fixture.editor();
  const root = ed.getRootNode();
  const active = root.activeElement || document.activeElement;
  return !!active && (active === ed || ed.contains(active)) && ed.ownerDocument.hasFocus();
}"""


def card(composer):
    return composer.page.evaluate(CARD_JS)


def visible_card(composer, message="the hint card"):
    return poll(lambda: (c := card(composer)) and not c["hidden"] and c, message=message)


def hover_card(composer, message="the card on hover"):
    """Point at the warning underline until its card shows; returns (underline, card). The
    pointer moves again on each try (a pixel apart), to where the underline is now: a single
    move can come before the card listens in a composer's iframe, or before the last layout."""
    page = composer.page
    tries = [0]

    def attempt():
        underline = page.evaluate(UNDERLINE_JS, "herald-warning")
        if not underline:
            return None
        tries[0] += 1
        x = (underline["left"] + underline["right"]) / 2 + tries[0] % 2
        page.mouse.move(x, underline["top"] + 4)
        page.wait_for_timeout(100)
        shown = card(composer)
        return shown and not shown["hidden"] and (underline, shown)

    return poll(attempt, message=message)


def editor_html(composer) -> str:
    return composer.page.evaluate("() => window.__fixture.editor().innerHTML")


def caret_into_the_word(composer):
    """Caret inside "stupid" with the keyboard, as the employee would move it."""
    page = composer.page
    page.keyboard.press("End")
    for _ in range(len(", honestly") + 2):
        page.keyboard.press("ArrowLeft")


class FallbackComposer:
    """A fallback variant (test_fallback.py) seen as the checks below see a composer."""

    def __init__(self, variant):
        self.page = variant.page
        self.variant = variant

    def model_text(self) -> str:
        return self.variant.fixture("modelText()")

    def type(self, text: str):
        self.page.bring_to_front()  # input and focus events go to the page in front
        self.variant.click("editor")
        self.variant.panel()
        # Keys go where the focus is: into the editor (in its iframe), not the page around it.
        if not self.page.evaluate(EDITOR_FOCUSED_JS):
            self.variant.click("editor")
        poll(lambda: self.page.evaluate(EDITOR_FOCUSED_JS), message="the editor focused")
        self.page.keyboard.type(text, delay=5)
        poll(lambda: self.model_text().endswith(text), message=f"typed text {text!r} in the model")


@pytest.mark.parametrize("site", SITES)
def test_hint_card_at_the_underline_by_hover_and_caret(open_composer, site):
    composer = open_composer(site)
    type_in_composer(composer, TEXT)
    check_the_card(composer, site)


# (variant, query): the iframe on X's dark ("lights out", the fixture's default) and light themes
FALLBACKS = [
    ("draft-iframe", ""),
    ("draft-iframe", "&theme=light"),
    ("quill-closed-shadow", ""),
    ("plain-publier", ""),
]


@pytest.mark.parametrize(("name", "extra"), FALLBACKS)
def test_hint_card_on_fallback_composers(open_variant, name, extra):  # noqa: F811 (fixture)
    composer = FallbackComposer(open_variant(name, extra))
    composer.type(TEXT)
    shot = name + ("-light" if "light" in extra else "")
    check_the_card(composer, shot, post=lambda: composer.variant.fixture("postRect()"))
    # The card wears the site's theme, as the panel does.
    theme = composer.page.evaluate(
        "() => document.querySelector('.herald-hint-host').dataset.theme"
    )
    assert theme == ("dark" if name == "draft-iframe" and not extra else "light")


def clear_of(shown: dict, post: dict) -> bool:
    """The card does not cover the site's Post button."""
    return (
        shown["right"] <= post["x"]
        or post["x"] + post["width"] <= shown["left"]
        or shown["bottom"] <= post["y"]
        or post["y"] + post["height"] <= shown["top"]
    )


def check_the_card(composer, site: str, post=None):
    """Hover, caret, Tab, Why?, Escape, then a fix, on a composer holding TEXT; with `post` (the
    Post button's rect), the card never covers it."""
    page = composer.page
    underline = poll(
        lambda: page.evaluate(UNDERLINE_JS, "herald-warning"), message="the warning underline"
    )
    page.wait_for_timeout(300)  # the editor settles after typing
    before = editor_html(composer)

    # Hover: the card opens right under the underlined word.
    underline, shown = hover_card(composer)
    assert shown["rule"] == "respectful-language"
    assert "Keep it respectful." in shown["text"]
    assert shown["buttons"] == ["×", "Replace with “unhelpful”", "Replace with “confusing”", "Why?"]
    # At the underline: just below it (or just above, when below would cover Post).
    assert (
        underline["bottom"] <= shown["top"] <= underline["bottom"] + 16
        or underline["top"] - 16 <= shown["bottom"] <= underline["top"]
    ), (underline, shown)
    assert abs(shown["left"] - underline["left"]) <= 2
    assert post is None or clear_of(shown, post()), (shown, post())
    assert shown["inEditor"] is False
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"hint-card-hover-{site}.png"))
    page.mouse.move(5, 5)
    poll(lambda: card(composer)["hidden"], message="the card hides when the pointer leaves")

    # Caret: the same card, and Tab moves into it.
    caret_into_the_word(composer)
    visible_card(composer, "the card at the caret")
    page.keyboard.press("Tab")
    assert card(composer)["focused"] == "Replace with “unhelpful”"
    page.keyboard.press("Tab")
    assert card(composer)["focused"] == "Replace with “confusing”"
    page.keyboard.press("Tab")
    assert card(composer)["focused"] == "Why?"
    page.keyboard.press("Enter")
    shown = visible_card(composer)
    assert "insults age badly" in shown["text"]
    assert post is None or clear_of(shown, post()), (shown, post())
    page.screenshot(path=str(SHOTS / f"hint-card-caret-why-{site}.png"))
    # Escape closes it and the employee is back in the editor, text unchanged.
    page.keyboard.press("Escape")
    poll(lambda: card(composer)["hidden"], message="Escape closes the card")
    assert page.evaluate(EDITOR_FOCUSED_JS)
    assert composer.model_text() == TEXT
    # Everything so far only read the editor: its DOM is exactly as typing left it.
    assert editor_html(composer) == before

    # Back into the word: Tab, Enter on the first fix replaces it through the editor.
    page.keyboard.press("End")
    page.wait_for_timeout(100)
    poll(lambda: card(composer)["hidden"], message="no card with the caret at the end")
    caret_into_the_word(composer)
    visible_card(composer, "the card at the caret again")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    poll(
        lambda: composer.model_text() == "That plan was unhelpful, honestly",
        message=f"the fix in the editor model (model: {composer.model_text()!r})",
    )
    poll(lambda: not page.evaluate(UNDERLINE_JS, "herald-warning"), message="underline gone")
    assert card(composer)["hidden"]
    assert (
        page.evaluate(
            "() => window.__fixture.editor().querySelectorAll('[class*=herald], mark').length"
        )
        == 0
    )


def test_hint_card_leaves_the_post_button_free(open_variant):  # noqa: F811 (fixture)
    """The flagged word starts the draft in the iframe, right above the site's Post button: the
    card still opens just under the underline, moved aside so Post stays free to click."""
    composer = FallbackComposer(open_variant("draft-iframe"))
    composer.type("Stupid idea")
    page = composer.page
    underline, shown = hover_card(composer)
    post = composer.variant.fixture("postRect()")
    assert post["x"] <= underline["left"] < post["x"] + post["width"], "Post is under the word"
    assert clear_of(shown, post), (shown, post)
    assert underline["bottom"] <= shown["top"] <= underline["bottom"] + 16
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "hint-card-beside-post-draft-iframe.png"))
