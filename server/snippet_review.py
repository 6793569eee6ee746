"""What the guidelines say about a snippet's stored variants, for the approval step.

The editor checks text live in the browser; approval looks at what was saved, with the same
policy the extension uses (`server.policy_store.compiled_policy`), so an admin approving a
snippet that breaks an error-level rule sees why and has to confirm it on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.models import Snippet, SnippetVariant


@dataclass
class VariantReview:
    network: str
    position: int
    text: str
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SnippetReview:
    variants: list[VariantReview]

    @property
    def errors(self) -> int:
        return sum(1 for v in self.variants for f in v.findings if f["severity"] == "error")

    @property
    def total(self) -> int:
        return sum(len(v.findings) for v in self.variants)


def review_snippet(snippet: Snippet) -> SnippetReview:
    """Every stored variant checked for its own network; findings sorted as the engine returns."""
    from guidelines import check
    from server.policy_store import compiled_policy

    policy = compiled_policy()
    rows = (
        SnippetVariant.select()
        .where(SnippetVariant.snippet == snippet)
        .order_by(SnippetVariant.network, SnippetVariant.position)
    )
    variants = [VariantReview(row.network, row.position, row.text) for row in rows]
    from server.i18n import current_language

    language = current_language()  # the reader's: rules the policy wrote in it speak it
    for variant in variants:
        variant.findings = check(variant.text, policy, variant.network, language)
    return SnippetReview(variants)
