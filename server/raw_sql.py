"""Hot-path SQL written as text once per shape, from the models' own table and column names.

On the paths every open composer polls, composing a query through peewee and wrapping its rows
cost more than running it. These helpers keep that SQL portable (SQL-92 with quoted identifiers,
which SQLite and PostgreSQL both take) and convert raw driver values the way the model fields
would, only cheaper.
"""

from __future__ import annotations

from datetime import datetime

from peewee import Field, Model


def table(model: type[Model]) -> str:
    return f'"{model._meta.table_name}"'


def column(field: Field, alias: str | None = None) -> str:
    return f'{alias}."{field.column_name}"' if alias else f'"{field.column_name}"'


def placeholders(count: int, param: str) -> str:
    """`?, ?, ?` (or `%s, …`): for IN lists, whose SQL is cached per length."""
    return ", ".join([param] * count)


def as_datetime(value) -> datetime | None:
    """SQLite returns text, PostgreSQL datetimes; fromisoformat is far cheaper than peewee's parser."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value
