"""Plain-Python validation of regex candidates; runs unchanged in CPython and Brython.

Written for Brython's costs: string methods and indexing are cheap there, slicing,
``str.join``, list comparisons and generator expressions cost tens of microseconds each.

A validator gets the candidate ``match`` and up to 4 code points ``before``/``after`` it (never
the whole post: slicing a long string is slow in Brython) and returns the length of the valid
match (maybe shorter) or None.
"""

from __future__ import annotations

from . import tlds

_CURRENCY = "$€£¥₽₹₩"
_CURRENCY_CODES = ("usd", "eur", "gbp", "rub", "jpy", "chf", "inr", "руб", "€", "$")


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # Luhn: digit * 2, digits summed


def luhn_ok(digits: str) -> bool:
    total = 0
    dbl = len(digits) % 2 == 0  # the leftmost digit is doubled when the count is even
    for ch in digits:
        d = ord(ch) - 48
        total += _DOUBLED[d] if dbl else d
        dbl = not dbl
    return total % 10 == 0


def card(match: str, before: str = "", after: str = "") -> int | None:
    """Length of a valid card number or None."""
    digits = match.replace(" ", "").replace("-", "")
    n = len(digits)
    if 13 <= n <= 19 and digits != digits[0] * n and luhn_ok(digits):
        return len(match)
    return None


def _iban_ok(raw: str) -> bool:
    s = raw.replace(" ", "")
    n = len(s)
    if not (15 <= n <= 34):
        return False
    rem = 0
    for i in range(n):
        ch = s[(i + 4) % n]  # the first four characters move to the end
        if "0" <= ch <= "9":
            rem = (rem * 10 + ord(ch) - 48) % 97
        elif "A" <= ch <= "Z":
            rem = (rem * 100 + ord(ch) - 55) % 97
        else:
            return False
    return rem == 1


def iban(match: str, before: str = "", after: str = "") -> int | None:
    """Mod-97 check; greedy candidates may swallow a following capitalised word, so trim."""
    end = len(match)
    while end > 0:
        if _iban_ok(match[:end]):
            return end
        cut = match.rfind(" ", 0, end)
        if cut <= 0:
            return None
        end = cut
    return None


def _groups(s: str) -> list[str]:
    """Digit runs of a phone candidate (its other characters are ``+ ( ) . -`` and space)."""
    return (
        s.replace("+", " ")
        .replace("(", " ")
        .replace(")", " ")
        .replace(".", " ")
        .replace("-", " ")
        .split()
    )


def phone(match: str, before: str = "", after: str = "") -> int | None:
    s = match
    groups = _groups(s)
    sizes = []
    digits = 0
    for g in groups:
        sizes.append(len(g))
        digits += len(g)
    intl = s.startswith("+")
    paren = "(" in s
    if intl:
        if not (8 <= digits <= 15):
            return None
    elif not (9 <= digits <= 15):
        return None
    if not intl and not paren:
        # thousands-grouped amounts: 1 299 000, 12.500.000
        if sizes[0] <= 3 and sizes.count(3) == len(sizes) - (sizes[0] != 3):
            return None
        # dotted IPs / versions: 192.168.10.1 (only dots between the digit runs)
        if len(sizes) == 4 and max(sizes) <= 3 and " " not in s and "-" not in s:
            return None
        # dates with time parts: 2026-11-22 10 30 etc.
        if len(sizes) >= 3 and (
            (sizes[0] == 4 and sizes[1] <= 2 and sizes[2] <= 2)
            or (sizes[0] <= 2 and sizes[1] <= 2 and sizes[2] == 4)
        ):
            return None
    # an amount: currency right before or after
    before = before.strip().lower()
    after = after.strip().lower()
    if before and before[-1] in _CURRENCY or after and after[0] in _CURRENCY:
        return None
    if before.endswith(_CURRENCY_CODES) or after.startswith(_CURRENCY_CODES):
        return None
    return len(match)


def always(match: str, before: str = "", after: str = "") -> int | None:
    return len(match)


VALIDATORS = {
    "email": always,
    "phone": phone,
    "card": card,
    "iban": iban,
    "cashtag": always,
}
# when candidates of one rule overlap, the more specific detector wins
PRIORITY = {"iban": 0, "card": 1, "email": 2, "phone": 3, "cashtag": 4}


# --- URLs (twitter-text rules) ----------------------------------------------------------------

_BASE, _TMIN, _TMAX, _SKEW, _DAMP = 36, 1, 26, 38, 700


def punycode_len(label: str) -> int:
    """Length of the ACE form ("xn--" + punycode) of a non-ASCII label (RFC 3492)."""
    cps = [ord(c) for c in label]
    basic = sum(1 for c in cps if c < 0x80)
    out = basic + (1 if basic else 0)
    n, delta, bias, h = 0x80, 0, 72, basic
    while h < len(cps):
        m = min(c for c in cps if c >= n)
        delta += (m - n) * (h + 1)
        n = m
        for c in cps:
            if c < n:
                delta += 1
            elif c == n:
                q = delta
                k = _BASE
                while True:
                    t = _TMIN if k <= bias else (_TMAX if k >= bias + _TMAX else k - bias)
                    if q < t:
                        break
                    out += 1
                    q = (q - t) // (_BASE - t)
                    k += _BASE
                out += 1
                # adapt bias
                d = delta // _DAMP if h == basic else delta // 2
                d += d // (h + 1)
                k = 0
                while d > ((_BASE - _TMIN) * _TMAX) // 2:
                    d //= _BASE - _TMIN
                    k += _BASE
                bias = k + (((_BASE - _TMIN + 1) * d) // (d + _SKEW))
                delta = 0
                h += 1
        delta += 1
        n += 1
    return out + 4


def _label_ok(label: str) -> bool:
    if not label:
        return False
    if label.isascii():
        return len(label) <= 63
    return punycode_len(label.lower()) <= 63


def _ascii_domain_char(c: str) -> bool:
    o = ord(c)
    return c.isascii() and (c.isalnum() or c in "-_") or 0xC0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF


def url(match: str, before: str = "", after: str = "") -> int | None:
    """Validate a URL candidate the way twitter-text does; return its (maybe shorter) length."""
    s = match
    low = s.lower()
    proto = 0
    if low.startswith("http://"):
        proto = 7
    elif low.startswith("https://"):
        proto = 8
    elif before and before[-1] in "-_./":
        return None
    rest = s[proto:]
    cut = len(rest)
    for sep in ":/?":
        i = rest.find(sep)
        if 0 <= i < cut:
            cut = i
    domain = rest[:cut]
    has_path = cut < len(rest)
    labels = domain.split(".")
    while len(labels) >= 2:
        tld = labels[-1].lower()
        if tld in tlds.ALL or tld.startswith("xn--"):
            break
        labels.pop()
        has_path = False
    else:
        return None
    if not all(_label_ok(lb) for lb in labels):
        return None
    dom_len = len(labels) - 1
    for lb in labels:
        dom_len += len(lb)
    if not proto:
        for lb in labels:
            if lb.isascii():
                rest = lb.replace("-", "").replace("_", "")
                if rest and not rest.isalnum():
                    return None
            elif not all(_ascii_domain_char(c) for c in lb):
                return None
        tld = labels[-1].lower()
        if (
            len(labels) == 2
            and not has_path
            and tld in tlds.COUNTRY_SET
            and tld not in tlds.SPECIAL_SHORT
        ):
            return None
    if len(labels) < len(domain.split(".")):
        return proto + dom_len
    if len(s) > 4096:
        return None
    return len(s)
