"""Alembic environment for the registry tables.

Run programmatically by samen030_map.db.store.migrate(), which passes an open connection in
config.attributes["connection"]; the alembic CLI (alembic -c samen030_map/db/alembic.ini ...)
works too and then uses sqlalchemy.url from the config or core.config.database_url().
"""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from samen030_map.core.config import database_url
from samen030_map.db import models

config = context.config
# Our own version table, so a Reflex migration history in the same database never collides.
VERSION_TABLE = "samen030_alembic_version"
OUR_TABLES = set(models.OUR_TABLE_NAMES)


def include_name(name, type_, parent_names):
    # Autogenerate looks only at our tables, not at other tables sharing the database.
    return type_ != "table" or name in OUR_TABLES


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=SQLModel.metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    """Write the SQL instead of running it (alembic upgrade --sql)."""
    url = config.get_main_option("sqlalchemy.url") or database_url()
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url") or database_url()
        with create_engine(url).connect() as connection:
            _run_with(connection)
    else:
        _run_with(connection)


def _run_with(connection) -> None:
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
