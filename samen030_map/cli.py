"""`samen030-map`: the coordinators' command line (and the tests' way into the core).

    samen030-map coverage [--format table|csv|json]   per-buurt coverage status
    samen030-map check-data                           validate boundaries and registry, list every problem
    samen030-map refresh-boundaries [--from-folder D] [--allow-count-change]
                                                      fetch wijken/buurten from the PDOK API (or a folder)
    samen030-map init-db                              create/upgrade the database and add the seed registry
    samen030-map --als NAAM import {organisations|meeting_places} FILE [--kolom A=naam] [--alleen-goede] [--controleer]
    samen030-map --als NAAM undo-import BATCH
    samen030-map export-html [--link L] FILE.html     a standalone map for presentations (works offline)
    samen030-map picture [--link L] [--format png|svg|pdf] FILE
                                                      a picture of the map as the link shows it
    samen030-map handout [--link L] FILE.pdf          the city, then one page per wijk
    samen030-map export [--link L] {buurten-csv|organisaties-csv|plekken-csv|buurten-geojson|punten-geojson|hsds} FILE
                                                      the filtered set as CSV, GeoJSON or an HSDS 3.0 package
    samen030-map user add NAAM --role coordinator|beheerder [--wijken WK034401,...]
    samen030-map user list

Commands that change the registry or the accounts run as a named account (--als NAAM) and check its
role and wijken, like the workspace does; only the very first beheerder can be made without one.
The password of a new account is asked at the prompt, or read from standard input when that is not
a terminal; it is never an argument (arguments end up in the shell history and the process list).
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy.exc import ArgumentError, DBAPIError

from samen030_map.core.boundaries import BoundaryError, fetch_from_pdok, load_boundaries, write_processed_copy
from samen030_map.core.config import BOUNDARIES_DIR, CBS_ATTRIBUTION, REGISTRY_DIR, SettingError
from samen030_map.core.coverage import STATUSES
from samen030_map.core.importing import read_seed_csv
from samen030_map.core.registry import RegistryError, validate_entry
from samen030_map.core.safety import printable, safe_csv_writer
from samen030_map.db import store
from samen030_map.db.accounts import AccountError

COVERAGE_COLUMNS = ("buurtcode", "buurtnaam", "wijkcode", "wijknaam", "status", "organisaties", "inwoners")
ENTITY_FILES = {"organisation": "organisations.csv", "meeting_place": "meeting_places.csv"}
# The names of export/files.py's EXPORTS (not imported here: the CLI starts without pandas/shapely loaded).
EXPORT_KINDS = ("buurten-csv", "organisaties-csv", "plekken-csv", "buurten-geojson", "punten-geojson", "hsds")
# Errors of the database or its setting; every command reports them as one line (store.database_problem).
DATABASE_ERRORS = (ArgumentError, DBAPIError, CommandError, ImportError)
# File errors by errno, in Dutch (the rest keep the system's own words).
_FILE_ERRORS = {
    errno.ENOENT: "bestaat niet",
    errno.EISDIR: "is een map; geef een bestandsnaam",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EEXIST: "bestaat al als bestand, maar hier is een map nodig",
    errno.EACCES: "geen toestemming om dit te lezen of te schrijven",
    errno.EPERM: "geen toestemming om dit te lezen of te schrijven",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "de schijf is alleen-lezen",
}


def coverage_rows(picture) -> list[dict]:
    """One plain dict per buurt, in CBS code order."""
    from samen030_map.picture import plain

    rows = []
    for code, buurt in picture.coverage.buurten.sort_index().iterrows():
        rows.append(
            {
                "buurtcode": code,
                "buurtnaam": buurt["buurtnaam"],
                "wijkcode": buurt["wijkcode"],
                "wijknaam": buurt["wijknaam"],
                "status": buurt["status"],
                "organisaties": list(buurt["organisation_names"]),
                "inwoners": plain(buurt["inwoners"]),
            }
        )
    return rows


def _print_table(rows: list[dict], out) -> None:
    def cell(value) -> str:
        if value is None:
            return "onbekend"
        if isinstance(value, list):
            return "; ".join(value) or "-"
        if isinstance(value, float):
            return f"{value:.0f}"
        return str(value)

    # Names are data: control characters stored before the checks were strict must not reach the terminal.
    table = [[printable(cell(row[column])) for column in COVERAGE_COLUMNS] for row in rows]
    widths = [min(max(len(column), *(len(r[i]) for r in table)), 40) for i, column in enumerate(COVERAGE_COLUMNS)]
    print("  ".join(column.ljust(width) for column, width in zip(COVERAGE_COLUMNS, widths)), file=out)
    for row in table:
        print("  ".join(value[:width].ljust(width) for value, width in zip(row, widths)), file=out)


def _picture(args):
    """The picture of a prepared database (migrated and seeded first: a command, never an import)."""
    from samen030_map.picture import build_picture

    store.prepare_database(args.db_url)
    return build_picture(db_url=args.db_url)


def _acting_user(args, role: str = "coordinator"):
    """The account named with --als, read from the database now; refused when missing or too weak."""
    from samen030_map.db import accounts

    if not args.als:
        raise accounts.PermissionDenied(f"geef met --als NAAM het account waarmee je dit doet (rol {role} of hoger)")
    user = accounts.find_user(store.engine(args.db_url), args.als)
    if user is None:
        raise accounts.PermissionDenied(f"er is geen actief account {args.als!r}")
    if role == "beheerder" and not user.is_beheerder:
        raise accounts.PermissionDenied(f"{user.name} is {user.role}; dit mag alleen een beheerder")
    return user


def cmd_coverage(args) -> int:
    picture = _picture(args)
    rows = coverage_rows(picture)
    out = sys.stdout
    if args.format == "json":
        json.dump({"attribution": CBS_ATTRIBUTION, "city": _json_safe(picture.coverage.city), "buurten": rows}, out, ensure_ascii=False, indent=1)
        print(file=out)
    elif args.format == "csv":
        writer = safe_csv_writer(out)
        writer.writerow(COVERAGE_COLUMNS)
        for row in rows:
            writer.writerow(["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in (row[c] for c in COVERAGE_COLUMNS)])
    else:
        _print_table(rows, out)
        city = picture.coverage.city
        print(file=out)
        print("Stad: " + ", ".join(f"{status} {city[status]}" for status in STATUSES), file=out)
        print(f"Inwoners in open buurten: {city['inwoners_open']} van {city['inwoners']}", file=out)
        print(CBS_ATTRIBUTION, file=out)
    return 0


def _json_safe(value):
    from samen030_map.picture import plain

    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return plain(value)


def cmd_check_data(args) -> int:
    """Validate everything and print every problem; exit 1 if there is any."""
    problems: list[str] = []
    try:
        boundaries = load_boundaries(Path(args.boundaries))
        print(f"Grenzen: {len(boundaries.wijken)} wijken, {len(boundaries.buurten)} buurten — in orde")
    except BoundaryError as error:
        print(printable_lines(f"FOUT {error}"))
        return 1
    for entity, filename in ENTITY_FILES.items():
        path = Path(args.registry) / filename
        try:
            entries = read_seed_csv(path, entity, boundaries)
            print(f"{path.name}: {len(entries)} rijen — in orde")
        except RegistryError as error:
            problems.append(str(error))
    if not args.skip_db:
        try:
            engine = store.engine(args.db_url)
            store.migrate(args.db_url)
            for entity in ENTITY_FILES:
                for entry in store.load_entries(engine, entity):
                    problems += [f"database, {entity} {entry.id!r}: {p}" for p in validate_entry(entry, boundaries)]
        except DATABASE_ERRORS as error:  # a database that cannot be opened is itself a problem to report
            problems.append(store.database_problem(error, args.db_url))
    for problem in problems:
        print(printable_lines(f"FOUT {problem}"))
    print("Alles in orde." if not problems else f"{len(problems)} probleem/problemen gevonden.")
    return 1 if problems else 0


def cmd_refresh_boundaries(args) -> int:
    dest = Path(args.dest)
    allow = args.allow_count_change
    try:
        if args.from_folder:
            changes = write_processed_copy(Path(args.from_folder), dest, allow_count_change=allow)
        else:
            changes = fetch_from_pdok(dest, timeout=args.timeout, allow_count_change=allow)
    except (BoundaryError, OSError) as error:
        return _fail(f"bij verversen van de grenzen: {error}\nDe bestaande grenzen in {dest} zijn niet veranderd.")
    boundaries = load_boundaries(dest)
    for change in changes:
        print(f"Let op, de indeling is veranderd: {change}")
    print(f"Grenzen ververst in {dest}: {len(boundaries.wijken)} wijken, {len(boundaries.buurten)} buurten. {CBS_ATTRIBUTION}")
    return 0


def cmd_init_db(args) -> int:
    report = store.prepare_database(args.db_url)
    print(f"Database klaar. Seed: {report}")
    from samen030_map.db import accounts

    if accounts.count_beheerders(store.engine(args.db_url)) == 0:
        print("Er is nog geen beheerder. Maak de eerste met: samen030-map user add NAAM --role beheerder")
    return 0


def cmd_import(args) -> int:
    """A report first (counts, every problem, new and changed rows); then all or nothing, or only the good rows."""
    from samen030_map.core.importing import column_map_from_text, read_file

    entity = {"organisations": "organisation", "meeting_places": "meeting_place"}[args.entity]
    boundaries = load_boundaries()
    store.prepare_database(args.db_url, boundaries)
    user = _acting_user(args)
    engine = store.engine(args.db_url)
    try:
        read = read_file(Path(args.file), entity, boundaries, column_map_from_text(";".join(args.kolom or [])))
    except RegistryError as error:
        return _fail(f"{error}\nEr is niets opgeslagen; de database is niet veranderd.")
    plan = store.plan_import(engine, [entry for _, entry in read.entries], read.columns, entity, boundaries, user, [row for row, _ in read.entries])
    problems = read.problem_texts() + [f"{read.filename} {problem}" for problem in plan.problems]
    print(f"{read.filename}: {read.rows} rijen; nieuw {len(plan.new)}, gewijzigd {len(plan.changed)}, ongewijzigd {len(plan.unchanged)}, problemen {len(problems)}")
    for entry, changes in plan.changed:
        print(printable_lines(f"  gewijzigd: {entry.id} ({', '.join(changes)})"))
    if problems and not args.alleen_goede:
        return _fail(f"{len(problems)} probleem/problemen:\n" + "\n".join(problems) + "\nEr is niets opgeslagen; de database is niet veranderd. (Met --alleen-goede worden de goede rijen wel geïmporteerd.)")
    for problem in problems:
        print(printable_lines(f"  overgeslagen: {problem}"))
    if args.controleer:
        print("Alleen gecontroleerd (--controleer): er is niets opgeslagen.")
        return 0
    report, batch = store.apply_import(engine, plan, boundaries, user)
    print(f"Geïmporteerd: {report} (import {batch}; ongedaan maken: samen030-map --als NAAM undo-import {batch})")
    return 0


def cmd_undo_import(args) -> int:
    store.prepare_database(args.db_url)
    user = _acting_user(args)
    count = store.undo_import(store.engine(args.db_url), args.batch, load_boundaries(), user)
    print(f"Import {args.batch} ongedaan gemaakt: {count} items teruggezet of gearchiveerd.")
    return 0


def cmd_user_add(args) -> int:
    """A new account. The first beheerder needs no --als; every later account needs a beheerder."""
    from samen030_map.db import accounts

    store.prepare_database(args.db_url)
    engine = store.engine(args.db_url)
    creator = accounts.SYSTEM if accounts.count_beheerders(engine) == 0 and args.role == "beheerder" and not args.als else _acting_user(args, "beheerder")
    password = _read_password()
    wijken = [code for code in (args.wijken or "").split(",") if code.strip()]
    known = set(load_boundaries().wijken.index)
    user = accounts.add_user(engine, args.name, password, args.role, wijken, created_by=creator.name, known_wijken=known)
    where = f", wijken {', '.join(user.wijken)}" if user.wijken else ""
    print(f"Account {user.name} gemaakt: {accounts.ROLE_LABELS[user.role]}{where}. Log in op /beheer.")
    return 0


def _read_password() -> str:
    """Asked twice at a terminal; otherwise the first line of standard input (for scripts)."""
    import getpass

    from samen030_map.db import accounts

    if sys.stdin.isatty():
        password = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nog een keer: ") != password:
            raise accounts.AccountError("de twee wachtwoorden zijn niet gelijk")
        return password
    return sys.stdin.readline().rstrip("\n")


def cmd_user_list(args) -> int:
    from samen030_map.db import accounts

    store.prepare_database(args.db_url)
    _acting_user(args, "beheerder")
    for user in accounts.list_users(store.engine(args.db_url)):
        state = "" if user["active"] else " (uitgezet)"
        print(f"{user['name']}  {accounts.ROLE_LABELS[user['role']]}  {','.join(user['wijken']) or 'heel Utrecht'}{state}")
    return 0


def _view(args, picture):
    """The view that --link asks for (the app's permalink; unknown values are ignored, as in the app)."""
    from samen030_map.export.mapview import MapView

    return MapView.from_link(args.link or "", picture)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def cmd_export_html(args) -> int:
    from samen030_map.export.html_map import write_html_map

    picture = _picture(args)
    mapview = _view(args, picture)
    path = write_html_map(picture, Path(args.file), mapview)
    print(f"Kaart geschreven naar {path} (werkt zonder internet). Filter: {printable(mapview.describe('nl'))}. {CBS_ATTRIBUTION}")
    return 0


def cmd_picture(args) -> int:
    from samen030_map.export.pictures import FORMATS, render_picture

    path = Path(args.file)
    fmt = args.format or (path.suffix.lower().lstrip(".") if path.suffix.lower().lstrip(".") in FORMATS else "png")
    picture = _picture(args)
    mapview = _view(args, picture)
    _write(path, render_picture(picture, mapview, fmt))
    print(f"Afbeelding ({fmt.upper()}) geschreven naar {path}. Filter: {printable(mapview.describe('nl'))}. {CBS_ATTRIBUTION}")
    return 0


def cmd_handout(args) -> int:
    from samen030_map.export.pictures import render_handout

    picture = _picture(args)
    mapview = _view(args, picture)
    path = _write(Path(args.file), render_handout(picture, mapview))
    print(f"Hand-out (de stad en {len(picture.boundaries.wijken)} wijken) geschreven naar {path}. {CBS_ATTRIBUTION}")
    return 0


def cmd_export(args) -> int:
    from samen030_map.export.files import export_file

    picture = _picture(args)
    mapview = _view(args, picture)
    data, _, _ = export_file(picture, mapview, args.kind)
    path = _write(Path(args.file), data)
    print(f"{args.kind} geschreven naar {path}. Filter: {printable(mapview.describe('nl'))}. {CBS_ATTRIBUTION}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samen030-map", description="SAMEN030 Buurtkaart: gegevens en dekking")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy-URL van de database (standaard SAMEN030_DB_URL of samen030.db)")
    parser.add_argument("--als", default=None, metavar="NAAM", help="het account waarmee je gegevens of accounts wijzigt")
    commands = parser.add_subparsers(dest="command", required=True)

    coverage = commands.add_parser("coverage", help="dekking per buurt")
    coverage.add_argument("--format", choices=("table", "csv", "json"), default="table")
    coverage.set_defaults(run=cmd_coverage)

    check = commands.add_parser("check-data", help="controleer grenzen en register")
    check.add_argument("--boundaries", default=str(BOUNDARIES_DIR))
    check.add_argument("--registry", default=str(REGISTRY_DIR))
    check.add_argument("--skip-db", action="store_true", help="alleen de bestanden controleren")
    check.set_defaults(run=cmd_check_data)

    refresh = commands.add_parser("refresh-boundaries", help="haal wijk- en buurtgrenzen op bij PDOK")
    refresh.add_argument("--from-folder", default=None, help="map met buurten.geojson en wijken.geojson in PDOK-vorm")
    refresh.add_argument("--dest", default=str(BOUNDARIES_DIR))
    refresh.add_argument("--timeout", type=float, default=30)
    refresh.add_argument(
        "--allow-count-change", action="store_true",
        help="accepteer een indeling met een ander aantal wijken of buurten dan de huidige (zegt wat er veranderd is)",
    )
    refresh.set_defaults(run=cmd_refresh_boundaries)

    init_db = commands.add_parser("init-db", help="maak of werk de database bij en voeg de basisgegevens toe")
    init_db.set_defaults(run=cmd_init_db)

    importer = commands.add_parser("import", help="importeer een CSV-bestand in het register")
    importer.add_argument("entity", choices=("organisations", "meeting_places"))
    importer.add_argument("file", help="CSV (komma's of puntkomma's) of GeoJSON")
    importer.add_argument("--kolom", action="append", metavar="BESTAND=VELD", help="koppel een kolom van het bestand aan een veld, bijv. --kolom Naam=name")
    importer.add_argument("--alleen-goede", action="store_true", help="importeer de goede rijen en sla de rest over (standaard: alles of niets)")
    importer.add_argument("--controleer", action="store_true", help="laat alleen zien wat er zou gebeuren")
    importer.set_defaults(run=cmd_import)

    undo = commands.add_parser("undo-import", help="maak een import in zijn geheel ongedaan")
    undo.add_argument("batch")
    undo.set_defaults(run=cmd_undo_import)

    # Commands that write a view of the map: each reads --link (the app's permalink) and writes FILE.
    views = {
        "export-html": ("schrijf een losse HTML-kaart (werkt zonder internet)", cmd_export_html),
        "picture": ("schrijf een afbeelding van de kaart (PNG, SVG of PDF op A4 liggend)", cmd_picture),
        "handout": ("schrijf een hand-out (PDF): de stad en dan één pagina per wijk", cmd_handout),
        "export": ("schrijf de gefilterde gegevens als CSV, GeoJSON of Open Referral (HSDS)", cmd_export),
    }
    for name, (help_text, run) in views.items():
        view = commands.add_parser(name, help=help_text)
        view.add_argument("--link", default="", help="de link van een kaartbeeld in de app (bijvoorbeeld '/?wijk=WK034403&thema=…'): filters, selectie, taal")
        if name == "picture":
            view.add_argument("--format", choices=("png", "svg", "pdf"), default=None, help="standaard: de extensie van het bestand, anders png")
        if name == "export":
            view.add_argument("kind", choices=EXPORT_KINDS)
        view.add_argument("file")
        view.set_defaults(run=run)

    user = commands.add_parser("user", help="accounts van coördinatoren en beheerders").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="maak een account (wachtwoord: gevraagd, of de eerste regel van standaardinvoer)")
    add.add_argument("name", metavar="NAAM")
    add.add_argument("--role", choices=("coordinator", "beheerder"), required=True)
    add.add_argument("--wijken", default="", help="wijkcodes waarin een coördinator mag wijzigen, gescheiden door komma's (leeg: heel Utrecht)")
    add.set_defaults(run=cmd_user_add)
    listing = user.add_parser("list", help="toon alle accounts")
    listing.set_defaults(run=cmd_user_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. Bad settings, an unusable database, broken data files and file errors end
    in one Dutch line on stderr (exit code 2 for a setting, 1 otherwise), never in a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except SettingError as error:
        return _fail(f"instelling ongeldig: {error}", 2)
    except DATABASE_ERRORS as error:
        not_a_url = isinstance(error, ArgumentError)
        return _fail(store.database_problem(error, args.db_url), 2 if not_a_url else 1)
    except BoundaryError as error:
        return _fail(f"de wijk- en buurtgrenzen zijn ongeldig: {error}")
    except RegistryError as error:
        return _fail(str(error))
    except AccountError as error:
        return _fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        reason = _FILE_ERRORS.get(error.errno, error.strerror or str(error))
        return _fail(f"{where}{reason}")


def _fail(message: str, code: int = 1) -> int:
    print(printable_lines(f"FOUT {message}"), file=sys.stderr)
    return code


def printable_lines(text: str) -> str:
    """printable() per line: messages keep their own line breaks, data inside them is escaped."""
    return "\n".join(printable(line) for line in text.split("\n"))


if __name__ == "__main__":
    sys.exit(main())
