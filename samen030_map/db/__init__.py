"""Database layer of the registry: SQLModel tables, Alembic migrations and seeding (no Reflex)."""
