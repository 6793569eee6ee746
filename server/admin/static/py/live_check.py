"""Live checks in the console, run by Brython: the guidelines engine the extension runs.

Editor: every `.checked-text` textarea gets a length counter (X: weighted) and its findings.
Playground: `#pg-text` gets its findings painted in a mirror div behind the textarea.
No server round trip: the compiled policy is embedded in the page (#policy-data).
"""

import javascript
from browser import document, window

import guidelines

_raw = document["policy-data"].text.strip()
POLICY = javascript.JSON.parse(_raw) if _raw and _raw != "null" else None
_pending = {}
# The page's language (<html lang>): rules the policy wrote in it speak it.
LANGUAGE = document.documentElement.lang or None


def _findings(text, network):
    if POLICY is None:
        return []
    return guidelines.check(text, POLICY, network, LANGUAGE)


def _length(text, network):
    if POLICY is not None:
        return guidelines.post_length(text, POLICY, network)
    limit = 280 if network == "x" else 3000
    value = guidelines.x_weighted_length(text) if network == "x" else len(text)
    return {"network": network, "value": value, "limit": limit}


def _finding_item(f):
    li = document.createElement("li")
    li.classList.add("finding", "sev-" + f["severity"])
    li.attrs["data-rule"] = f["rule"]
    li.attrs["data-start"] = str(f["start"])
    li.attrs["data-end"] = str(f["end"])
    head = document.createElement("strong")
    head.textContent = f["severity"] + ": "
    li.appendChild(head)
    # textContent, never innerHTML: the post and the policy are data, not markup.
    li.appendChild(document.createTextNode(f["message"]))
    if f["match"]:
        q = document.createElement("q")
        q.textContent = f["match"]
        li.appendChild(document.createTextNode(" "))
        li.appendChild(q)
    if f["replacements"]:
        li.appendChild(document.createTextNode(" — try: " + ", ".join(f["replacements"])))
    return li


def _render_list(ul, findings):
    ul.clear()
    for f in findings:
        ul.appendChild(_finding_item(f))


def _check_variant(area):
    network = area.attrs.get("data-network") or "linkedin"
    text = area.value
    box = area.closest(".variant")
    counter = box.querySelector(".counter")
    length = _length(text, network)
    counter.textContent = (
        ("X weighted length: " if network == "x" else "Length: ")
        + str(length["value"])
        + " / "
        + str(length["limit"])
    )
    if length["value"] > length["limit"]:
        counter.classList.add("over")
    else:
        counter.classList.remove("over")
    _render_list(box.querySelector(".findings"), _findings(text, network))


def _paint_mirror(text, findings):
    """Text nodes with <mark>s over findings, offsets in code points like the engine's."""
    mirror = document["pg-mirror"]
    mirror.clear()
    pos = 0
    for f in findings:
        start, end = f["start"], f["end"]
        if start < pos or end <= start:
            continue  # overlapping findings: the first one painted wins; the list shows all
        if start > pos:
            mirror.appendChild(document.createTextNode(text[pos:start]))
        mark = document.createElement("mark")
        mark.classList.add("sev-" + f["severity"])
        mark.attrs["data-rule"] = f["rule"]
        mark.attrs["data-start"] = str(start)
        mark.attrs["data-end"] = str(end)
        mark.textContent = text[start:end]
        mirror.appendChild(mark)
        pos = end
    # A trailing space keeps the mirror's last line as tall as the textarea's.
    mirror.appendChild(document.createTextNode(text[pos:] + " "))


def _check_playground(*_):
    area = document["pg-text"]
    network = document["pg-network"].value
    text = area.value
    findings = _findings(text, network)
    _paint_mirror(text, findings)
    _render_list(document["pg-findings"], findings)
    length = _length(text, network)
    document["pg-length"].textContent = (
        str(length["value"])
        + " / "
        + str(length["limit"])
        + (" (weighted)" if network == "x" else "")
    )
    document["pg-count"].textContent = (
        "No findings." if not findings else str(len(findings)) + " finding(s)."
    )
    document["pg-mirror"].scrollTop = area.scrollTop


def _schedule(key, fn, *args):
    # Debounce like the panel (<= 150 ms): typing stays smooth on long posts.
    # window.setTimeout, not browser.timer: that module lives in brython_stdlib.js, not loaded here.
    if key in _pending:
        window.clearTimeout(_pending[key])
    _pending[key] = window.setTimeout(lambda: fn(*args), 120)


def _on_input(ev):
    target = ev.target
    if target.classList.contains("checked-text"):
        _schedule(target, _check_variant, target)
    elif target.id == "pg-text":
        _schedule("pg", _check_playground)


document.bind("input", _on_input)

for _area in document.select(".checked-text"):
    _check_variant(_area)
if "pg-text" in document:
    document["pg-network"].bind("change", _check_playground)
    document["pg-text"].bind(
        "scroll", lambda ev: setattr(document["pg-mirror"], "scrollTop", ev.target.scrollTop)
    )
    _check_playground()
document.body.attrs["data-checker"] = "ready" if POLICY is not None else "no-policy"
