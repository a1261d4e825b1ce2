"""Reflex state: per-user codes, filters and selections only. Geometry and analysis live in `picture`."""
