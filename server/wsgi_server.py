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


def serve(app: Flask, host: str, port: int, workers: int | None = None, **options) -> None:
    settings = {
        "bind": f"{host}:{port}",
        "workers": workers or multiprocessing.cpu_count() * 2 + 1,
        "accesslog": "-",
        "timeout": 30,
    }
    settings.update(options)
    _Gunicorn(app, settings).run()
