"""What the pages need from the browser, behind plain Python functions (Brython only).

Conversions use the JavaScript JSON object, which Brython maps to Python dicts and lists; the
`json` module would pull `re` into the bundle and cost hundreds of milliseconds at boot.
"""

import javascript
from browser import window


def to_python(js_value):
    """Deep copy of a JS object or JSON string into Python dicts, lists, str, int, float."""
    if js_value is None or js_value is javascript.UNDEFINED:
        return None
    text = js_value if isinstance(js_value, str) else window.JSON.stringify(js_value)
    return javascript.JSON.parse(text)


def parse_json(text):
    """JSON text -> Python values (the policy arrives as text: one string crosses the frames)."""
    return javascript.JSON.parse(text)


def to_json(value):
    return javascript.JSON.stringify(value)


def new_uuid():
    return str(window.crypto.randomUUID())


def now_iso():
    """UTC RFC 3339 with milliseconds, e.g. 2026-11-22T10:00:00.123Z."""
    return str(window.Date.new().toISOString())


def assets(*keys):
    """Strings and schemas the build embedded in herald_assets.js (window.HERALD_ASSETS); with
    `keys`, only those (converting the schemas to Python costs boot time the panel need not pay)."""
    if not keys:
        return to_python(window.HERALD_ASSETS) or {"strings": {}, "schemas": {}}
    table = getattr(window, "HERALD_ASSETS", None)
    return {key: to_python(getattr(table, key, None)) or {} for key in keys}


class Catalogs:
    """The UI strings of herald_assets.js as the mapping `herald_i18n.Strings` reads. Nothing is
    converted to Python up front: a panel reads a few dozen of a language's several hundred
    messages, and converting a whole language cost its cold boot a few milliseconds."""

    def __init__(self, table):
        self._table = table

    def __contains__(self, language):
        return bool(self._table) and bool(window.Object.hasOwn(self._table, language))

    def get(self, language, default=None):
        if language not in self:
            return default
        return Messages(getattr(self._table, language))


class Messages:
    """One language's messages in herald_assets.js, read one key at a time (Strings.get)."""

    def __init__(self, table):
        self._table = table

    def get(self, key, default=None):
        if self._table and window.Object.hasOwn(self._table, key):
            return getattr(self._table, key)
        return default


def catalogs():
    return Catalogs(getattr(getattr(window, "HERALD_ASSETS", None), "strings", None))


def log_error(*parts):
    window.console.error("[herald]", *[str(part) for part in parts])


class Timers:
    def set_timeout(self, callback, delay_ms):
        return window.setTimeout(callback, delay_ms)

    def clear_timeout(self, handle):
        window.clearTimeout(handle)

    def now(self):
        """Milliseconds on the page's monotonic clock."""
        return window.performance.now()


class Port:
    """The parent window, through sandbox_port.js: it checks the sender is window.parent and
    checks every message against its schema in both directions (dropping invalid incoming ones)
    before Python sees it, so the boot does not wait for Brython to compile a validator."""

    def listen(self, handler):
        def receive(json_text):
            handler(javascript.JSON.parse(json_text))

        window.HeraldPort.listen(receive)

    def send(self, message):
        window.HeraldPort.send(to_json(message))


def use_native_regexp_backend():
    """Make guidelines use the browser's RegExp backend.

    guidelines.backend picks it when sys.implementation.name == "brython", but Brython 3.15
    reports "Brython", so it would try the CPython `re` backend (not bundled). Remove once
    guidelines compares case-insensitively.
    """
    try:
        import guidelines.backend as backend
        from guidelines import backend_js

        if backend._backend is None or backend._backend.flavor != "js":
            backend._backend = backend_js.JSBackend()
    except Exception as error:  # hints degrade, the panel still works
        log_error("guidelines backend:", error)
