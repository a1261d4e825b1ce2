"""Settings for the Buurtkaart: paths, coverage threshold, counted kinds, database URL, origins.

Values that people may want to change without editing code can be set through environment
variables. They are read when they are used (not at import), so a bad value gives a SettingError
with a Dutch message where it is needed, and the CLI can report it instead of failing to start.
"""

from __future__ import annotations

import os
import re
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


class SettingError(ValueError):
    """An environment setting with a value that cannot be used; the message names the setting."""


def low_population_threshold() -> int:
    """SAMEN030_LOW_POPULATION_THRESHOLD as a non-negative int, or the default."""
    raw = os.environ.get("SAMEN030_LOW_POPULATION_THRESHOLD", "").strip()
    if not raw:
        return DEFAULT_LOW_POPULATION_THRESHOLD
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"SAMEN030_LOW_POPULATION_THRESHOLD moet een heel getal zijn, niet {raw!r}") from None
    if value < 0:
        raise SettingError(f"SAMEN030_LOW_POPULATION_THRESHOLD mag niet negatief zijn, niet {value}")
    return value


def buurt_organisation_kinds() -> frozenset[str]:
    """SAMEN030_BUURT_ORG_KINDS as a comma-separated list of kinds, or the default set."""
    raw = os.environ.get("SAMEN030_BUURT_ORG_KINDS", "")
    kinds = frozenset(part.strip() for part in raw.split(",") if part.strip())
    return kinds or DEFAULT_BUURT_ORGANISATION_KINDS


def database_url() -> str:
    """The SQLAlchemy URL of the registry database (env SAMEN030_DB_URL, default a SQLite file)."""
    return os.environ.get("SAMEN030_DB_URL") or f"sqlite:///{PROJECT_ROOT / 'samen030.db'}"


# The origins the app is served from: only pages from these may call the backend (CORS, websocket).
DEFAULT_ALLOWED_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")


def allowed_origins() -> tuple[str, ...]:
    """SAMEN030_ALLOWED_ORIGINS as a comma-separated list of origins (scheme://host[:port]), or the
    default. "*" is refused: the app would then answer any web page with the visitor's session."""
    raw = os.environ.get("SAMEN030_ALLOWED_ORIGINS", "")
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", origin):
            raise SettingError(
                f"SAMEN030_ALLOWED_ORIGINS: {origin!r} is geen origin; gebruik bijvoorbeeld https://kaart.samen030.nl "
                "(schema en host, eventueel met poort, zonder pad; '*' is niet toegestaan)"
            )
    return origins or DEFAULT_ALLOWED_ORIGINS
