"""Plain-Python core: boundaries, registry and coverage rules. Never imports Reflex."""
