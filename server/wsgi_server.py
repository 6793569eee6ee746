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
    """Cores + 1 on SQLite, 2 x cores + 1 otherwise.

    gunicorn's usual 2 x cores + 1 assumes workers spend part of each request waiting on the
    network, as they do with PostgreSQL. On SQLite a request never waits: it is all CPU, and the
    extra workers only take turns on the cores. Measured with benchmarks/server_load.py on two
    cores: 3 workers served about a fifth more suggestions per second than 5, at a lower p99.
    """
    cores = multiprocessing.cpu_count()
    return cores + 1 if database_url.startswith("sqlite") else cores * 2 + 1


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
