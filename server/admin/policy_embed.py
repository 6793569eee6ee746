"""The compiled policy for pages that check text in the browser (editor, playground).

It comes from helper code in `server.policy_store`; until that lands, pages get `None` and say so.
"""

from __future__ import annotations

from typing import Any


def policy_for_page() -> Any:
    try:
        from server.policy_store import compiled_policy
    except ModuleNotFoundError:
        return None
    return compiled_policy()
