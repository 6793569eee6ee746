"""Production serving through gunicorn's Python API, so `herald run` needs no separate config file."""

from __future__ import annotations

import multiprocessing

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def default_workers(database_url: str) -> int:
    """Cores + 1, on SQLite and on PostgreSQL alike.

    gunicorn's usual 2 x cores + 1 assumes workers spend part of each request waiting on the
    network. Herald's busiest request, a panel's suggestions poll, is answered from the worker's
    memory after one prepared statement (server.suggestion_replay), so it is nearly all CPU on
    either engine, and extra workers only take turns on the cores and each fill their own caches.
    Measured with benchmarks/server_load.py on two cores, PostgreSQL: 3 workers served 2,393
    suggestions/s at p99 28 ms, 5 workers 1,621/s at p99 42.5 ms (SQLite: 3 beat 5 by a fifth).
    `database_url` stays a parameter so an engine that waits can be given more again.
    """
    return multiprocessing.cpu_count() + 1


def serve(app: Flask, host: str, port: int, workers: int | None = None, **options) -> None:
    from server.request_log import configure_stderr

    configure_stderr()
    settings = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(app.config["DATABASE_URL"]),
        # No gunicorn access log: it prints raw paths and query strings (invite tokens, link codes).
        # server.request_log writes one JSON line per request instead.
        "accesslog": None,
        "timeout": 30,
    }
    settings.update(options)
    _Gunicorn(app, settings).run()
