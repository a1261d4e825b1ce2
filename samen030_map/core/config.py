"""Settings for the Buurtkaart: paths, coverage threshold, counted kinds, database URL.

Values that people may want to change without editing code can be set through environment
variables; they are read once, when this module is imported.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GEODATA_DIR = PROJECT_ROOT / "geodata"
BOUNDARIES_DIR = GEODATA_DIR / "boundaries"
REGISTRY_DIR = GEODATA_DIR / "registry"

GEMEENTECODE = "GM0344"

CBS_ATTRIBUTION = "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)"

# Organisation kinds run by residents; only these count when deciding whether a buurt is covered.
DEFAULT_BUURT_ORGANISATION_KINDS = frozenset(
    {
        "wijkcooperatie",
        "buurtcooperatie",
        "buurtwerkkamer",
        "wijkinformatiepunt",
        "bewonersorganisatie",
        "wijkplatform",
        "ondernemerskring",
    }
)
DEFAULT_LOW_POPULATION_THRESHOLD = 300


def _threshold_from_env() -> int:
    """SAMEN030_LOW_POPULATION_THRESHOLD as a non-negative int, or the default."""
    raw = os.environ.get("SAMEN030_LOW_POPULATION_THRESHOLD", "").strip()
    if not raw:
        return DEFAULT_LOW_POPULATION_THRESHOLD
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"SAMEN030_LOW_POPULATION_THRESHOLD must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"SAMEN030_LOW_POPULATION_THRESHOLD must not be negative, got {value}")
    return value


def _kinds_from_env() -> frozenset[str]:
    """SAMEN030_BUURT_ORG_KINDS as a comma-separated list of kinds, or the default set."""
    raw = os.environ.get("SAMEN030_BUURT_ORG_KINDS", "")
    kinds = frozenset(part.strip() for part in raw.split(",") if part.strip())
    return kinds or DEFAULT_BUURT_ORGANISATION_KINDS


LOW_POPULATION_THRESHOLD = _threshold_from_env()
BUURT_ORGANISATION_KINDS = _kinds_from_env()


def database_url() -> str:
    """The SQLAlchemy URL of the registry database (env SAMEN030_DB_URL, default a SQLite file)."""
    return os.environ.get("SAMEN030_DB_URL") or f"sqlite:///{PROJECT_ROOT / 'samen030.db'}"
