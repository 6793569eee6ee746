"""Guidelines: the rules list, a form editor per rule (with its examples), and the playground.

Saving goes through `server.policy_store.save_rule`, which compiles the whole policy and runs every
example; a failing example comes back as a 422 whose details name it, and the form shows it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.admin import forms
from server.admin.core import admin_required, allow_eval, bp
from server.admin.policy_embed import policy_for_page
from server.errors import APIError
from server.i18n import LANGUAGES
from server.request_limits import strict_int

KINDS = ("terms", "pattern", "detector", "require", "limit")
SEVERITIES = ("error", "warning", "info")
DETECTORS = ("email", "phone", "card", "iban", "cashtag")
NETWORKS = ("linkedin", "x")
OTHER_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != "en")


def _store():
    try:
        from server import policy_store
    except ModuleNotFoundError:
        abort(503, description="The policy store is not installed yet.")
    return policy_store


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (request.form.get(name) or "").splitlines() if line.strip()]


def _example_lines(name: str) -> list[str]:
    # Examples keep their inner spacing: a rule may be about exactly that.
    return [
        line.rstrip("\r") for line in (request.form.get(name) or "").split("\n") if line.strip()
    ]


def _localized_field(name: str) -> str | dict[str, str]:
    """`name` (English) plus `name_<lang>` fields: a plain string when only English is given (the
    policy format before languages), else {language: text} with the filled-in languages."""
    texts = {"en": forms.text(name)}
    for lang in OTHER_LANGUAGES:
        texts[lang] = forms.text(f"{name}_{lang}")
    given = {lang: text for lang, text in texts.items() if text}
    if set(given) <= {"en"}:
        return texts["en"]
    return given


def doc_from_form() -> dict[str, Any]:
    """The form's fields as a policy rule document; empty fields are left out, not sent as ""."""
    doc: dict[str, Any] = {
        "id": forms.text("id"),
        "kind": forms.text("kind"),
        "severity": forms.text("severity"),
        "message": _localized_field("message"),
    }
    explain = _localized_field("explain")
    if explain:
        doc["explain"] = explain
    networks = [n for n in request.form.getlist("networks") if n in NETWORKS]
    if networks and len(networks) < len(NETWORKS):
        doc["networks"] = networks
    doc["enabled"] = request.form.get("enabled") == "1"
    for key in ("terms", "exceptions", "when", "require_any"):
        values = _lines(key)
        if values:
            doc[key] = values
    replacements = {}
    for line in _lines("replacements"):
        term, sep, alternatives = line.partition("=>")
        if sep and term.strip():
            replacements[term.strip()] = [a.strip() for a in alternatives.split("|") if a.strip()]
    if replacements:
        doc["replacements"] = replacements
    if forms.text("pattern"):
        doc["pattern"] = request.form.get("pattern", "")
        doc["ignore_case"] = request.form.get("ignore_case") == "1"
    detectors = [d for d in request.form.getlist("detectors") if d in DETECTORS]
    if detectors:
        doc["detectors"] = detectors
    if forms.text("fix_append"):
        doc["fix_append"] = request.form.get("fix_append", "")
    max_length = {
        n: v for n in NETWORKS if (v := strict_int(forms.text(f"max_length_{n}"), 1)) is not None
    }
    if max_length:
        doc["max_length"] = max_length
    for key in ("max_hashtags", "max_mentions"):
        if (number := strict_int(forms.text(key))) is not None:
            doc[key] = number
    examples = {"flag": _example_lines("examples_flag"), "pass": _example_lines("examples_pass")}
    if examples["flag"] or examples["pass"]:
        doc["examples"] = examples
    return doc


def _editor(doc: dict | None, rule_id: str | None, errors: list | None = None, status: int = 200):
    doc = doc or {"kind": "terms", "severity": "warning", "enabled": True}
    return (
        render_template(
            "admin/rule_edit.html",
            doc=doc,
            rule_id=rule_id,
            errors=errors or [],
            kinds=KINDS,
            severities=SEVERITIES,
            detectors=DETECTORS,
            networks=NETWORKS,
        ),
        status,
    )


@bp.get("/guidelines")
@admin_required
def guidelines():
    rules = _store().list_rules()
    return render_template("admin/guidelines.html", rules=[_rule_doc(r) for r in rules])


def _rule_doc(rule: Any) -> dict:
    """list_rules()/get_rule() may hand back model rows or plain docs: the page wants the doc."""
    if isinstance(rule, dict):
        return rule.get("doc", rule) if "doc" in rule and isinstance(rule["doc"], dict) else rule
    return getattr(rule, "doc", None) or {}


@bp.route("/guidelines/new", methods=["GET", "POST"])
@admin_required
def rule_new():
    if request.method == "GET":
        return _editor(None, None)
    doc = doc_from_form()
    try:
        _store().save_rule(doc, forms.actor())
    except APIError as err:
        return _editor(doc, None, _details(err, doc), err.status)
    flash(_("Rule %(id)s saved; its examples pass.", id=doc["id"]), "ok")
    return redirect(url_for("admin.guidelines"))


@bp.route("/guidelines/<rule_id>", methods=["GET", "POST"])
@admin_required
def rule_edit(rule_id: str):
    store = _store()
    try:
        rule = store.get_rule(rule_id)
    except APIError:
        abort(404, description="No rule with that id.")
    if request.method == "GET":
        return _editor(_rule_doc(rule), rule_id)
    doc = doc_from_form()
    try:
        store.save_rule(doc, forms.actor(), rule_id=rule_id)
    except APIError as err:
        return _editor(doc, rule_id, _details(err, doc), err.status)
    flash(_("Rule %(id)s saved; its examples pass.", id=doc["id"]), "ok")
    return redirect(url_for("admin.guidelines"))


@bp.post("/guidelines/<rule_id>/delete")
@admin_required
def rule_delete(rule_id: str):
    try:
        _store().delete_rule(rule_id, forms.actor())
    except APIError as err:
        flash(err.message, "error")
    else:
        flash(_("Rule %(id)s deleted.", id=rule_id), "ok")
    return redirect(url_for("admin.guidelines"))


_EXAMPLE_FIELD = re.compile(r"^examples\.(flag|pass)\[(\d+)\]$")


def _details(err: APIError, doc: dict) -> list[dict]:
    """Every problem as {field, message, example?, expected?}: a failing example is shown verbatim."""
    details = err.details if isinstance(err.details, list) else [{"message": err.message}]
    out = []
    for item in details:
        item = dict(item) if isinstance(item, dict) else {"message": str(item)}
        match = _EXAMPLE_FIELD.match(str(item.get("field", "")))
        if match:
            which, index = match.group(1), int(match.group(2))
            texts = (doc.get("examples") or {}).get(which) or []
            if index < len(texts):
                item["example"] = texts[index]
                item["expected"] = "be flagged" if which == "flag" else "pass"
        out.append(item)
    return out or [{"message": err.message}]


@bp.get("/playground")
@admin_required
def playground():
    allow_eval()  # Brython runs the same engine as the extension, in the page
    return render_template("admin/playground.html", policy=policy_for_page(), networks=NETWORKS)
