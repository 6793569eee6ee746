"""Tiny DOM builder for the sandboxed pages (Brython only).

Direct createElement calls keep first paint fast, and text always goes through textContent so
snippet or server text can never become markup.
"""

from browser import document


def el(tag, attrs=None, children=(), text=None, on=None):
    node = document.createElement(tag)
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        node.setAttribute(name, "" if value is True else str(value))
    if text is not None:
        node.textContent = text
    for child in children:
        if child is not None:
            node.appendChild(child)
    for event, handler in (on or {}).items():
        node.bind(event, handler)
    return node


def clear(node):
    while node.firstChild:
        node.removeChild(node.firstChild)


def replace_children(node, children):
    clear(node)
    for child in children:
        if child is not None:
            node.appendChild(child)


def by_id(element_id):
    return document.getElementById(element_id)
