"""Tiny DOM builder for the sandboxed pages (Brython only).

Elements are made by `HeraldDom` in sandbox_port.js: one call per element keeps first paint
fast (each Python -> DOM call pays a Brython conversion). Text always goes through textContent
there, so snippet or server text can never become markup.
"""

from browser import document, window

_dom = window.HeraldDom


def el(tag, attrs=None, children=(), text=None, on=None):
    node = _dom.el(tag, attrs, text, [child for child in children if child is not None])
    if on:
        for event, handler in on.items():
            node.bind(event, handler)
    return node


def clear(node):
    node.replaceChildren()


def replace_children(node, children):
    _dom.replace(node, [child for child in children if child is not None])


def by_id(element_id):
    return document.getElementById(element_id)
