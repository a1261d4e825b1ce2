"""Point the app at a throwaway database before any test touches the analysed picture.

Import this module FIRST in every test module that imports ``samen030_map.picture``, ``.view`` or
``.state`` (``import tests.app_env  # noqa: F401`` above the samen030_map imports).

Why here and not in a fixture: ``samen030_map.picture.current_picture()`` is cached for the whole
process (``functools.cache``) and builds the picture from the database at ``SAMEN030_DB_URL``
(default: ``samen030.db`` in the project root, i.e. the developer's own registry). It is first called
when ``samen030_map.state.dashboard`` is imported (module-level search index and bounds), which
happens while pytest *collects* the test modules, long before any fixture runs. A fixture, even a
session-scoped one, would be too late. pytest only auto-loads ``conftest.py`` files, so a separate
"conftest_env.py" would never run; a plain module that the test modules import first is the
simplest place that runs early enough.

The variable is set once per process (Python imports a module once), to a SQLite file in a fresh
folder under the system temp dir, so parallel or repeated runs never share a database. The file is
created, migrated and seeded from geodata/registry below (``store.prepare_database``), so the registry the tests see
is exactly the seed CSVs. ``setdefault``: a run that sets SAMEN030_DB_URL itself (e.g. to test against
PostgreSQL) keeps its choice; that database is then migrated and seeded like any other.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

if "SAMEN030_DB_URL" not in os.environ:
    _folder = Path(tempfile.mkdtemp(prefix="samen030-tests-", dir=tempfile.gettempdir()))
    os.environ["SAMEN030_DB_URL"] = f"sqlite:///{_folder / 'registry.db'}"
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)

DB_URL = os.environ["SAMEN030_DB_URL"]

# The app never prepares the database on import (init-db and its start-up task do); the tests do it here.
from samen030_map.db import store  # noqa: E402

store.prepare_database(DB_URL)


def run_coroutine(coroutine):
    """Run an async handler to its end, in its own thread.

    Playwright's sync API keeps an event loop running in the main thread once the browser tests
    have started, and ``asyncio.run`` refuses to start a second loop there.
    """
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
