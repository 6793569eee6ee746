"""Console page for the site adapters (server.site_adapters): what each network's extension uses
now, upload a new version (pasted or as a file; every problem listed, the text kept), roll back,
and which adapter and extension version each installation reports."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server import schema_words, site_adapters
from server.admin import forms
from server.admin.core import admin_required, bp
from server.errors import APIError
from server.models import NETWORKS, iso

MAX_UPLOAD_BYTES = 200_000  # an adapter is a few kilobytes


def _page(typed: str = "", errors: list[dict] | None = None):
    built_in = site_adapters.built_in()
    current = site_adapters.active()
    networks = [
        {
            "network": n,
            "label": built_in[n]["label"],
            "built_in_version": built_in[n]["version"],
            "active": current[n],
            "uploaded": current[n] is not built_in[n],
            "history": site_adapters.history(n),
            "json": json.dumps(current[n], indent=2, ensure_ascii=False),
        }
        for n in NETWORKS
    ]
    reports = [
        {
            "user": r.user,
            "installation": r.installation,
            "extension_version": r.extension_version,
            "adapters": r.adapters or {},
            "refused": r.refused,
            "last_seen": iso(r.last_seen_at),
        }
        for r in site_adapters.reports()
    ]
    body = render_template(
        "admin/sites.html",
        networks=networks,
        labels={n["network"]: n["label"] for n in networks},
        reports=reports,
        typed=typed,
        errors=errors or [],
    )
    return body, 422 if errors else 200


@bp.get("/sites")
@admin_required
def sites():
    return _page()


@bp.post("/sites/upload")
@admin_required
def sites_upload():
    typed = forms.text("adapter")
    upload = request.files.get("adapter_file")
    if upload is not None and upload.filename:
        raw = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            return _page(
                typed, [{"path": "", "message": _("The file is too large for an adapter.")}]
            )
        typed = raw.decode("utf-8", errors="replace")
    if not typed.strip():
        return _page(
            typed, [{"path": "", "message": _("Paste the adapter's JSON or choose a file.")}]
        )
    try:
        body = json.loads(typed)
    except json.JSONDecodeError as exc:
        message = _(
            "Not valid JSON: %(problem)s (line %(line)s, column %(column)s).",
            problem=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        )
        return _page(typed, [{"path": "", "message": message}])
    found = site_adapters.problems(body, schema_words.in_words)
    if found:
        return _page(typed, found)
    try:
        row = site_adapters.upload(forms.actor(), body)
    except APIError as err:  # a concurrent upload took the version meanwhile
        return _page(typed, err.details or [{"path": "", "message": err.message}])
    flash(
        _(
            "Version %(version)s of the %(site)s adapter is live: extensions pick it up when a composer opens or at their next sync.",
            version=row.version,
            site=site_adapters.built_in()[row.network]["label"],
        ),
        "ok",
    )
    return redirect(url_for("admin.sites"))


@bp.post("/sites/<network>/activate")
@admin_required
def sites_activate(network: str):
    raw = forms.text("version")
    version = int(raw) if raw.isdigit() else None
    site_adapters.activate(forms.actor(), network, version)
    label = site_adapters.built_in()[network]["label"]
    if version is None:
        flash(_("The %(site)s adapter built into the extension is back in use.", site=label), "ok")
    else:
        flash(
            _(
                "Version %(version)s of the %(site)s adapter is in use again.",
                version=version,
                site=label,
            ),
            "ok",
        )
    return redirect(url_for("admin.sites"))
