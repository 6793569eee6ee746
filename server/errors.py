"""One error shape for every failure: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request
from peewee import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

BUSY_RETRY_SECONDS = 2


class APIError(Exception):
    status = 400

    def __init__(
        self, code: str, message: str, status: int | None = None, details: Any = None, headers=None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}
        if status is not None:
            self.status = status

    def response(self):
        resp = jsonify(
            {"error": {"code": self.code, "message": self.message, "details": self.details}}
        )
        resp.status_code = self.status
        for key, value in self.headers.items():
            resp.headers[key] = value
        return resp


def not_found(what: str) -> APIError:
    return APIError("not_found", f"{what} not found.", 404)


def wants_html() -> bool:
    return not request.path.startswith(("/api/", "/r/")) and request.accept_mimetypes.accept_html


def init_app(app: Flask) -> None:
    @app.errorhandler(APIError)
    def _api_error(err: APIError):
        return err.response()

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        if wants_html() and "admin_html_error" in app.view_functions:
            return app.view_functions["admin_html_error"](err)
        code = (err.name or "error").lower().replace(" ", "_")
        resp = APIError(code, err.description or err.name, err.code or 500).response()
        if getattr(err, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(err.valid_methods)
        return resp

    @app.errorhandler(OperationalError)
    def _database_busy(err: OperationalError):
        """A write that waited the whole busy_timeout is a busy server, not a broken one: 503."""
        from server.db import is_lock_timeout

        if not is_lock_timeout(err):
            return _unexpected(err)
        app.logger.warning("Database busy: %s", err)
        if wants_html() and "admin_html_error" in app.view_functions:
            busy = ServiceUnavailable("The server is busy with other changes. Try again.")
            resp = app.view_functions["admin_html_error"](busy)
            resp.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
            return resp
        return APIError(
            "busy",
            "The server is busy with other changes. Try again in a moment.",
            503,
            {"retry_after": BUSY_RETRY_SECONDS},
            headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        ).response()

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("Unhandled error")
        return APIError("internal_error", "Something went wrong on the server.", 500).response()
