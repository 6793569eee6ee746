"""Who may call each route. Every view declares it; the app refuses to start with an undeclared route."""

from __future__ import annotations

import functools

from flask import Flask, g, request

from server.errors import APIError

LEVELS = ("public", "employee", "admin")


def access(level: str):
    """`public`: anyone. `employee`: any signed-in user (admins too). `admin`: admins only.

    API routes authenticate with a bearer access token.
    """
    if level not in LEVELS:
        raise ValueError(level)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if level != "public":
                from server.tokens import user_from_bearer

                user = user_from_bearer(request.headers.get("Authorization"))
                if user is None:
                    raise APIError(
                        "unauthorized",
                        "Sign in first: send a valid access token.",
                        401,
                        headers={"WWW-Authenticate": "Bearer"},
                    )
                if level == "admin" and user.role != "admin":
                    raise APIError("forbidden", "Only admins may do this.", 403)
                g.user = user
            return view(*args, **kwargs)

        wrapper.access_level = level
        return wrapper

    return decorate


def declared_level(view) -> str | None:
    return getattr(view, "access_level", None)


def check_every_route_declared(app: Flask) -> None:
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static"
        and not endpoint.endswith(".static")
        and declared_level(view) is None
    ]
    if missing:
        raise RuntimeError(f"Routes without an access declaration: {sorted(missing)}")
