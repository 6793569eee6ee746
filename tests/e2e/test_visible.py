"""Look at it: every screen of the extension in English and Thai, light and dark, screenshotted
into the test's tmp folder and checked for what a person would notice (visible "[object Object]",
"None", "undefined", raw message keys, elements outside their card, sideways scrolling).

One browser for the whole matrix: the options page and the popup as the extension serves them,
and the panel (the real built panel.html) in every state, driven by the messages the bridge sends.
"""

from __future__ import annotations

import pytest
import visible_check
from e2e_support import poll

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "th"]
THEMES = ["light", "dark"]


def set_language(browser, language: str | None) -> None:
    browser.worker().evaluate(
        "async (language) => { const {settings} = await chrome.storage.local.get('settings');"
        " await chrome.storage.local.set({settings: {...(settings || {notifications: true}), language}}); }",
        language,
    )


def look(frame, page, path) -> list[str]:
    page.screenshot(path=str(path), full_page=True)
    return visible_check.problems(frame)


def options_states(browser, tmp_path, signed_in: bool):
    """One options page per language (Brython boots once), both colour schemes on it."""
    found = {}
    marker = "sign-out" if signed_in else "sign-in-form"
    for language in LANGUAGES:
        set_language(browser, language)
        page, frame = browser.open_options()
        page.set_viewport_size({"width": 900, "height": 1700})  # the whole page, no inner scroll
        poll(lambda frame=frame: frame.locator(f"#{marker}").count(), timeout=15, message=marker)
        poll(
            lambda frame=frame, language=language: (
                frame.evaluate("() => document.documentElement.lang") == language
            ),
            message=f"options page in {language}",
        )
        for theme in THEMES:
            page.emulate_media(color_scheme=theme)
            page.wait_for_timeout(100)
            name = f"options-{'signed-in' if signed_in else 'first-run'}-{language}-{theme}.png"
            found[name] = look(frame, page, tmp_path / name)
        page.close()
    set_language(browser, None)
    return found


def test_options_page_shows_no_junk(browser, live_server, tmp_path):
    found = options_states(browser, tmp_path, signed_in=False)
    page = browser.sign_in(live_server.url)
    page.close()
    found.update(options_states(browser, tmp_path, signed_in=True))
    assert_clean(found, tmp_path)


def assert_clean(found: dict[str, list[str]], tmp_path) -> None:
    bad = {
        name: issues[:6] + ["..."] * (len(issues) > 6) for name, issues in found.items() if issues
    }
    assert not bad, f"visible defects (screenshots in {tmp_path}): {bad}"


# ------------------------------------------------------------------------------------------------
# The toolbar popup


def test_popup_shows_no_junk(browser, live_server, tmp_path):
    found = {}
    for language in LANGUAGES:
        set_language(browser, language)
        for theme in THEMES:
            page = browser.context.new_page()
            page.emulate_media(color_scheme=theme)
            page.set_viewport_size({"width": 320, "height": 420})
            page.goto(browser.extension_url("popup/popup.html"))
            poll(
                lambda page=page, language=language: page.evaluate(
                    "(l) => document.documentElement.lang === l && !!document.querySelector('#open-panel')",
                    language,
                ),
                message=f"popup in {language}",
            )
            name = f"popup-{language}-{theme}.png"
            found[name] = look(page.main_frame, page, tmp_path / name)
            page.close()
    set_language(browser, None)
    assert_clean(found, tmp_path)


# ------------------------------------------------------------------------------------------------
# The panel in every state: the real built panel.html in a page of the fixture origin (the build
# makes it web-accessible there), driven by the messages the bridge sends.

HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>panel states</title></head>
<body style="margin:0;background:#777">
<iframe name="states" sandbox="allow-scripts" style="display:block;width:360px;height:760px;border:0"></iframe>
<script>
  const frame = document.querySelector("iframe[name=states]");
  window.received = [];
  window.bootMessages = [];
  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow) return;
    window.received.push(event.data);
    if (event.data && event.data.type === "ready") {
      for (const message of window.bootMessages) frame.contentWindow.postMessage(message, "*");
    }
  });
  window.send = (message) => frame.contentWindow.postMessage(message, "*");
  window.openPanel = (src) => { frame.src = src; };
</script></body></html>"""

POLICY_DOC = {
    "version": 1,
    "name": "Look-at-it policy",
    "rules": [
        {
            "id": "no-guarantees",
            "kind": "terms",
            "severity": "error",
            "message": "Don't promise results",
            "explain": "Regulators treat promises as advertising claims.",
            "terms": ["guaranteed"],
            "replacements": {"guaranteed": ["expected"]},
        }
    ],
}


def suggestion(id_, title, text, language, featured=False, campaign=None, variants=1):
    return {
        "id": id_,
        "title": title,
        "network": "linkedin",
        "campaign": campaign,
        "hashtags": [],
        "link": None,
        "featured": featured,
        "colleagues_shared": id_ % 3,
        "starts_at": None,
        "expires_at": None,
        "approved_at": f"2026-11-2{id_}T00:00:00Z",
        "language": language,
        "variants": [{"index": i, "text": f"{text} ({i + 1})"} for i in range(variants)],
    }


SUGGESTIONS = {
    "items": [
        suggestion(
            1,
            "Acme Cloud launch: a title long enough to wrap onto a second line in the card",
            "We just launched Acme Cloud 🚀 https://acme.example/a-rather-long-link-that-must-wrap-in-the-card",
            "en",
            featured=True,
            campaign={"id": 2, "name": "Launch", "hashtag": "#AcmeCloud"},
            variants=2,
        ),
        suggestion(2, "We are hiring", "Join our platform team in Athens or remote.", "en"),
        suggestion(3, "เปิดตัว Acme Cloud", "เราเปิดตัว Acme Cloud แล้ววันนี้ ลองใช้ดูนะครับ", "th"),
    ],
    "page": 1,
    "per_page": 50,
    "total": 3,
    "latest_approved_at": "2026-11-23T00:00:00Z",
}


def panel_states(policy):
    data = {"type": "data", "program": {"name": "Acme Voices", "logo_url": None}}
    return {
        "suggestions": (
            data
            | {"signed_in": True, "offline": False, "suggestions": SUGGESTIONS, "policy": policy},
            "",
        ),
        "hints": (
            data
            | {"signed_in": True, "offline": False, "suggestions": SUGGESTIONS, "policy": policy},
            "Returns are guaranteed, and guaranteed again next year. " * 2,
        ),
        "empty": (
            data
            | {
                "signed_in": True,
                "offline": False,
                "suggestions": dict(SUGGESTIONS, items=[], total=0),
                "policy": policy,
            },
            "",
        ),
        "error": (
            data | {"signed_in": True, "offline": True, "suggestions": None, "policy": None},
            "",
        ),
        "signed-out": (
            data
            | {
                "signed_in": False,
                "offline": False,
                "suggestions": None,
                "policy": None,
                "program": None,
            },
            "",
        ),
    }


# what shows that a state is drawn (the others are drawn with their data)
STATE_MARKS = {
    "hints": ".finding",
    "suggestions": ".fold-toggle",
    "signed-out": ".notice-signed_out",
    "error": ".notice-offline_nothing_saved",
}


def open_states_panel(browser, site_pages):
    """A fresh built panel in the harness page: (page, frame), once it said ready."""
    page = browser.context.new_page()
    page.set_viewport_size({"width": 360, "height": 760})
    harness = f"{site_pages.linkedin_origin}/__panel_states.html"
    page.route(harness, lambda route: route.fulfill(body=HARNESS, content_type="text/html"))
    page.goto(harness)
    page.evaluate(
        "(m) => { window.bootMessages = m; }",
        [
            {
                "type": "init",
                "network": "linkedin",
                "locale": "en-US",
                "strings_locale": "en",
                "theme": "light",
            }
        ],
    )
    page.evaluate("(src) => window.openPanel(src)", browser.extension_url("panel/panel.html"))
    frame = poll(lambda: page.frame(name="states"), message="panel frame")
    poll(
        lambda: any(m.get("type") == "ready" for m in page.evaluate("window.received")),
        timeout=20,
        message="panel ready",
    )
    return page, frame


def show_state(page, frame, data, text, language, theme, mark=None) -> None:
    """Send the bridge's messages for one state, in `language` and `theme`, and wait until it is
    drawn (`mark`: a selector that shows it)."""
    page.evaluate("(m) => window.send(m)", data | {"language": language, "languages": [language]})
    page.evaluate("(m) => window.send(m)", {"type": "text", "text": text, "origin": None})
    page.evaluate(
        "(m) => window.send(m)", {"type": "shown", "visible": True, "focus": False, "theme": theme}
    )
    poll(
        lambda: frame.evaluate(
            "([l, t, s]) => document.documentElement.lang === l"
            " && document.documentElement.dataset.theme === t && (!s || !!document.querySelector(s))",
            [language, theme, mark],
        ),
        timeout=20,
        message=f"panel {mark or 'state'} in {language}/{theme}",
    )
    page.wait_for_timeout(200)  # the hints debounce and one paint


def test_panel_states_show_no_junk(browser, site_pages, tmp_path):
    from guidelines import compile_policy

    page, frame = open_states_panel(browser, site_pages)
    states = panel_states(compile_policy(POLICY_DOC))
    found = {}
    for language in LANGUAGES:
        for theme in THEMES:
            for state, (data, text) in states.items():
                show_state(page, frame, data, text, language, theme, STATE_MARKS.get(state))
                if (
                    state == "hints"
                ):  # "guaranteed" four times: one chip with its count, not four rows
                    rows = frame.evaluate(
                        "() => [...document.querySelectorAll('#findings li.match')].map(r => r.textContent)"
                    )
                    assert len(rows) == 1 and "\u00d74" in rows[0], rows
                name = f"panel-{state}-{language}-{theme}.png"
                found[name] = look(frame, page, tmp_path / name)
    page.close()
    assert_clean(found, tmp_path)


def test_a_draft_waiting_for_its_check_shows_no_junk(browser, site_pages, tmp_path):
    """The hints of a draft before the company's policy is in: "checking", in a fresh panel (a
    panel that had a policy keeps it)."""
    page, frame = open_states_panel(browser, site_pages)
    data, _ = panel_states(None)["suggestions"]
    data = {key: value for key, value in data.items() if key != "policy"}
    found = {}
    for language in LANGUAGES:
        for theme in THEMES:
            show_state(page, frame, data, "Hello team, a draft", language, theme, ".fold-toggle")
            summary = poll(
                lambda: frame.evaluate("() => document.querySelector('#hints-empty').textContent"),
                message="the hints' summary line",
            )
            if language == "en":
                assert summary == "Checking your draft against the guidelines…", summary
            name = f"panel-checking-{language}-{theme}.png"
            found[name] = look(frame, page, tmp_path / name)
    page.close()
    assert_clean(found, tmp_path)


# ------------------------------------------------------------------------------------------------
# The panel follows the site's theme on the real fixture pages (bridge included)

SITE_THEMES = [
    ("linkedin.html", "light"),
    ("linkedin.html?dark=1", "dark"),
    ("x.html?theme=light", "light"),
    ("x.html?theme=dim", "dim"),
    ("x.html", "dark"),  # X's "lights out"
]


def test_the_panel_follows_the_sites_theme(browser, site_pages, tmp_path):
    found = {}
    for path, theme in SITE_THEMES:
        page = browser.context.new_page()
        origin = site_pages.linkedin_origin if path.startswith("linkedin") else site_pages.x_origin
        page.goto(f"{origin}/{path}")
        page.click(
            "#start-post" if path.startswith("linkedin") else "[data-testid=tweetTextarea_0]"
        )
        panel = poll(
            lambda page=page: (
                page.wait_for_timeout(20)
                or next((f for f in page.frames if f.url.endswith("panel/panel.html")), None)
            ),
            message="panel frame",
        )
        poll(
            lambda panel=panel, theme=theme: (
                panel.evaluate("() => document.documentElement.dataset.theme") == theme
            ),
            timeout=20,
            message=f"panel theme {theme} on {path}",
        )
        page.keyboard.type("Results guaranteed!", delay=5)
        page.wait_for_timeout(400)
        name = f"site-{path.replace('.html', '').replace('?', '-').replace('=', '-')}.png"
        # what the person sees in the panel, and that Herald covers none of the site's controls
        found[name] = look(panel, page, tmp_path / name) + visible_check.covered(
            page, "linkedin" if path.startswith("linkedin") else "x"
        )
        page.close()
    assert_clean(found, tmp_path)
