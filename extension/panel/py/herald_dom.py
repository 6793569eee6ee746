"""Tiny DOM builder for the sandboxed pages (Brython only).

Elements are made by `HeraldDom` in sandbox_port.js: one call per element keeps first paint
fast (each Python -> DOM call pays a Brython conversion). Text always goes through textContent
there, so snippet or server text can never become markup.
"""

from browser import document, window

_dom = window.HeraldDom


def el(tag, attrs=None, children=(), text=None, on=None):
    # Never None into JavaScript: Brython hands it over as an object, and an object as text
    # would show as "[object Object]" (see `h` below).
    node = _dom.el(
        tag, attrs or {}, "" if text is None else text, [c for c in children if c is not None]
    )
    if on:
        for event, handler in on.items():
            node.bind(event, handler)
    return node


def clear(node):
    node.replaceChildren()


def replace_children(node, children):
    _dom.replace(node, [child for child in children if child is not None])


def h(tag, attrs=None, children=(), text=None, on=None):
    """Like `el`, but only describes the element: `render` builds a whole tree in one call into
    JavaScript (a panel of cards is hundreds of elements; each Python -> DOM call costs)."""
    # no None in a spec: Brython would hand JavaScript an object for it, not null
    spec = [tag, attrs or {}, "" if text is None else text]
    spec.append([child for child in children if child is not None])
    if on:
        spec.append(on)
    return spec


def render(node, specs):
    """Replace node's children with the elements `h` described."""
    _dom.render(node, [spec for spec in specs if spec is not None])


def render_keeping(node, specs):
    """Like `render`, but a child continuing an earlier one (the same `data-key`, else the same
    tag and class) keeps its element, updated in place: a list of cards, where a click may be
    under way on a card the new list still shows, changed or not."""
    _dom.renderKeeping(node, [spec for spec in specs if spec is not None])


def append(node, specs):
    """Add the elements `h` described after node's children."""
    _dom.append(node, [spec for spec in specs if spec is not None])


def fill(texts, attributes=None):
    """Set the text of elements by id ({id: text}) and their attributes ({id: {name: value}})
    in one call into JavaScript."""
    _dom.fill(texts, attributes or {})


def by_id(element_id):
    return document.getElementById(element_id)
