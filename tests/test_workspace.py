"""The coordinators' workspace without a browser: accounts, permissions on every write path, history,
versions, the live revision, what-if, and that nothing private reaches a public var.

Each test gets its own SQLite database (prepared like init-db) and points the process's picture at it.
"""

from __future__ import annotations

# Must come before any samen030_map.picture/view/state import (see tests/app_env.py).
import tests.app_env  # noqa: F401  isort: skip

import csv
import json
from datetime import date, timedelta

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from samen030_map import picture as picture_module
from samen030_map import view
from samen030_map.core.config import REGISTRY_DIR
from samen030_map.core.registry import CSV_COLUMNS, FIELDS_BY_NAME
from samen030_map.core.schema import format_cell
from samen030_map.db import accounts, store
from samen030_map.db.models import LoginSession
from samen030_map.picture import geography
from samen030_map.server.auth import COOKIE
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.workspace import WorkspaceState
from tests.expected import expected_status_counts

ONDIEP = "BU03440222"  # wijk Noordwest
NOORDWEST, OOST = "WK034402", "WK034405"
PASSWORD = "een lang wachtwoord"
SECRET = "GEHEIM-06-12345678 bel na 17 uur"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A fresh prepared database that the whole process (picture, state) uses during the test."""
    url = f"sqlite:///{tmp_path / 'werk.db'}"
    monkeypatch.setenv("SAMEN030_DB_URL", url)
    store.prepare_database(url)
    monkeypatch.setattr(picture_module, "_current", picture_module._Current())
    engine = store.engine(url)
    accounts.add_user(engine, "beheer", PASSWORD, "beheerder")
    accounts.add_user(engine, "noordwest", PASSWORD, "coordinator", [NOORDWEST], known_wijken={NOORDWEST})
    accounts.add_user(engine, "oost", PASSWORD, "coordinator", [OOST], known_wijken={OOST})
    return engine


def user(db, name):
    return accounts.find_user(db, name)


def workspace_as(db, name: str | None) -> WorkspaceState:
    """A WorkspaceState whose socket carries the session cookie of `name` (None: anonymous)."""
    root = rx.State()
    state = root.get_substate(WorkspaceState.get_full_name().split("."))
    cookie = f"{COOKIE}={accounts.log_in(db, name, PASSWORD)}" if name else ""
    state.router = RouterData.from_router_data({"headers": {"cookie": cookie, "origin": "http://localhost:3000"}, "asPath": "/beheer", "pathname": "/beheer"})
    return state


def run(state, handler: str, *args):
    return getattr(type(state), handler).fn(state, *args)


def ondiep_organisation(**changes):
    base = dict(
        entity="organisation", id="buurtcooperatie-ondiep-test", name="Buurtcoöperatie Ondiep (test)", kind="buurtcooperatie",
        area_level="buurt", area_codes=(ONDIEP,), location_precision="buurt", status="actief", source_url="https://example.org/ondiep",
    )
    return store.RegistryEntry(**(base | changes))


# ---- the schema, stated once -------------------------------------------------------------------


def test_the_seed_csv_survives_a_round_trip_through_the_database(db):
    """CSV → table → CSV gives every cell back as it was (the schema drives all three)."""
    for entity, filename in store.SEED_FILES.items():
        with (REGISTRY_DIR / filename).open(encoding="utf-8") as seed:
            original = list(csv.DictReader(seed))
        stored = {e.id: e for e in store.load_entries(db, entity)}
        assert len(stored) == len(original)
        for row in original:
            entry = stored[row["id"]]
            again = {name: format_cell(FIELDS_BY_NAME[name], getattr(entry, name)) for name in CSV_COLUMNS}
            expected = {name: row[name].strip() for name in CSV_COLUMNS}
            # Numbers may be written differently ("5.10" -> "5.1"); compare them as numbers.
            for name in ("lat", "lon"):
                if expected[name]:
                    assert float(again.pop(name)) == float(expected.pop(name))
                else:
                    assert again.pop(name) == expected.pop(name) == ""
            assert again == expected, row["id"]


def test_the_database_columns_are_the_schema_fields(db):
    import sqlalchemy as sa

    columns = {column["name"] for column in sa.inspect(db).get_columns("organisation")}
    assert set(CSV_COLUMNS) <= columns
    assert {"archived", "version", "created_by", "updated_by", "updated_at", "seed_hash"} <= columns


# ---- accounts ----------------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2_hashes_and_tokens_only_as_hashes(db):
    import sqlalchemy as sa

    with db.connect() as connection:
        hashes = [row[0] for row in connection.execute(sa.text("SELECT password_hash FROM user_account"))]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    token = accounts.log_in(db, "beheer", PASSWORD)
    with db.connect() as connection:
        stored = [row[0] for row in connection.execute(sa.text("SELECT token_hash FROM login_session"))]
    assert token not in stored and len(stored) == 1
    assert accounts.user_for_token(db, token).name == "beheer"
    accounts.log_out(db, token)
    assert accounts.user_for_token(db, token) is None


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(db):
    with pytest.raises(accounts.AccountError) as wrong:
        accounts.log_in(db, "beheer", "fout wachtwoord!!")
    with pytest.raises(accounts.AccountError) as unknown:
        accounts.log_in(db, "niemand", PASSWORD)
    assert str(wrong.value) == str(unknown.value)


def test_too_many_failures_lock_the_name_even_for_the_right_password(db):
    for _ in range(accounts.MAX_FAILURES_PER_NAME):
        with pytest.raises(accounts.AccountError):
            accounts.log_in(db, "beheer", "fout wachtwoord!!", client="10.0.0.1")
    with pytest.raises(accounts.AccountError, match="Te veel"):
        accounts.log_in(db, "beheer", PASSWORD, client="10.0.0.2")
    # Guessing across many names from one address is limited too.
    for index in range(accounts.MAX_FAILURES_PER_CLIENT):
        with pytest.raises(accounts.AccountError):
            accounts.log_in(db, f"naam{index}", "fout wachtwoord!!", client="10.0.0.9")
    with pytest.raises(accounts.AccountError, match="Te veel"):
        accounts.log_in(db, "noordwest", PASSWORD, client="10.0.0.9")
    assert accounts.log_in(db, "noordwest", PASSWORD, client="10.0.0.3")


def test_sessions_expire_when_idle_or_old_and_when_the_account_is_switched_off(db, monkeypatch):
    from sqlmodel import Session

    token = accounts.log_in(db, "noordwest", PASSWORD)
    with Session(db) as session:
        login = session.exec(__import__("sqlmodel").select(LoginSession)).first()
        login.last_seen_at = login.last_seen_at - accounts.SESSION_IDLE - timedelta(minutes=1)
        session.commit()
    assert accounts.user_for_token(db, token) is None
    token = accounts.log_in(db, "noordwest", PASSWORD)
    accounts.set_active(db, user(db, "noordwest").id, False)
    assert accounts.user_for_token(db, token) is None
    with pytest.raises(accounts.AccountError):
        accounts.log_in(db, "noordwest", PASSWORD)


@pytest.mark.parametrize(
    ("who", "area_level", "codes", "allowed"),
    [
        ("beheer", "stad", (), True),
        ("noordwest", "buurt", (ONDIEP,), True),
        ("noordwest", "wijk", (NOORDWEST,), True),
        ("noordwest", "wijk", (NOORDWEST, OOST), False),
        ("noordwest", "stad", (), False),
        ("oost", "buurt", (ONDIEP,), False),
        (None, "buurt", (ONDIEP,), False),
    ],
)
def test_who_may_edit_what(db, who, area_level, codes, allowed):
    entry = ondiep_organisation(area_level=area_level, area_codes=codes)
    assert accounts.may_edit(user(db, who) if who else None, entry, geography().boundaries) is allowed


# ---- every write: validated, allowed, recorded, versioned, and the revision goes up --------------


def test_an_edit_is_recorded_with_who_when_and_old_and_new_values(db):
    before = store.read_revision(db)
    store.update_entry(db, "buurtwerkkamer-top", {"name": "BuurtWerkKamer TOP Ondiep"}, geography().boundaries, "organisation", user(db, "noordwest"))
    assert store.read_revision(db) == before + 1
    latest, *older = store.history(db, "organisation", "buurtwerkkamer-top")
    assert (latest.action, latest.changed_by, latest.version) == ("gewijzigd", "noordwest", 2)
    assert latest.changes == {"name": ["BuurtWerkKamer TOP", "BuurtWerkKamer TOP Ondiep"]}
    assert older[-1].action == "basisgegevens"
    stored = store.get_stored(db, "organisation", "buurtwerkkamer-top")
    assert (stored.updated_by, stored.version) == ("noordwest", 2)


def test_a_second_save_from_the_same_version_is_refused_and_nothing_is_overwritten(db):
    boundaries = geography().boundaries
    version = store.get_stored(db, "organisation", "buurtwerkkamer-top").version
    store.update_entry(db, "buurtwerkkamer-top", {"note": "eerste"}, boundaries, "organisation", user(db, "noordwest"), version)
    with pytest.raises(store.EditConflict) as conflict:
        store.update_entry(db, "buurtwerkkamer-top", {"note": "tweede"}, boundaries, "organisation", user(db, "beheer"), version)
    assert conflict.value.changed_by == "noordwest" and conflict.value.stored.note == "eerste"
    assert store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.note == "eerste"


def test_archive_takes_an_item_off_the_map_and_restore_brings_it_back_with_its_history(db):
    boundaries = geography().boundaries
    store.add_entry(db, ondiep_organisation(id="alleen-hier", area_codes=("BU03440221",)), boundaries, user(db, "beheer"))  # Nijenoord
    covered = picture_module.build_picture().coverage.buurten.loc["BU03440221", "status"]
    assert covered == "gedekt"
    store.set_archived(db, "organisation", "alleen-hier", True, boundaries, user(db, "beheer"))
    after = picture_module.build_picture()
    assert "alleen-hier" not in {e.id for e in after.organisation_entries}
    assert after.coverage.buurten.loc["BU03440221", "status"] != "gedekt"
    assert store.get_stored(db, "organisation", "alleen-hier").archived
    store.set_archived(db, "organisation", "alleen-hier", False, boundaries, user(db, "beheer"))
    assert picture_module.build_picture().coverage.buurten.loc["BU03440221", "status"] == "gedekt"
    actions = [v.action for v in store.history(db, "organisation", "alleen-hier")]
    assert actions == ["hersteld", "gearchiveerd", "toegevoegd"]


def test_an_earlier_version_can_be_restored_as_a_new_change(db):
    boundaries = geography().boundaries
    store.update_entry(db, "de-speler", {"name": "De Speler (nieuw)", "description": "Wijkgebouw"}, boundaries, "meeting_place", user(db, "beheer"))
    store.revert_to_version(db, "meeting_place", "de-speler", 1, boundaries, user(db, "beheer"))
    entry = store.get_stored(db, "meeting_place", "de-speler").entry
    assert (entry.name, entry.description) == ("De Speler", "")
    latest = store.history(db, "meeting_place", "de-speler")[0]
    assert latest.action == "teruggezet" and latest.version == 3


def test_a_stopped_initiative_leaves_the_public_picture(db):
    store.update_entry(db, "buurtwerkkamer-top", {"status": "gestopt"}, geography().boundaries, "organisation", user(db, "beheer"))
    picture = picture_module.build_picture()
    assert "buurtwerkkamer-top" not in {e.id for e in picture.organisation_entries}
    assert "buurtwerkkamer-top" in {e.id for e in store.load_entries(db, "organisation")}


def test_seeding_again_raises_no_revision_and_keeps_edits(db):
    store.update_entry(db, "de-speler", {"name": "Eigen naam"}, geography().boundaries, "meeting_place", user(db, "beheer"))
    revision = store.read_revision(db)
    report = store.prepare_database()
    assert report.inserted == report.updated == 0 and report.kept_edited == 1
    assert store.read_revision(db) == revision
    assert store.get_stored(db, "meeting_place", "de-speler").entry.name == "Eigen naam"


# ---- the live picture --------------------------------------------------------------------------


def test_the_process_picture_follows_the_database_revision(db, monkeypatch):
    monkeypatch.setattr(picture_module, "REVISION_CHECK_S", 0.0)
    first = picture_module.current_picture()
    assert picture_module.current_picture() is first  # nothing changed: no rebuild
    store.add_entry(db, ondiep_organisation(id="nieuw-in-nijenoord", area_codes=("BU03440221",)), geography().boundaries, user(db, "beheer"))
    second = picture_module.current_picture()
    assert second.revision == first.revision + 1
    assert second.coverage.buurten.loc["BU03440221", "status"] == "gedekt"
    assert view.filtered_view(view.Filters(), second.revision).picture is second


def test_a_public_page_shows_the_new_status_when_its_revision_is_raised(db, monkeypatch):
    """What server/live.py does for an open page: raise `revision`; the computed vars then follow."""
    monkeypatch.setattr(picture_module, "REVISION_CHECK_S", 0.0)
    page = rx.State().get_substate(DashboardState.get_full_name().split("."))
    page.revision = picture_module.current_picture().revision
    assert page.status_by_code["BU03440221"] != "gedekt"
    store.add_entry(db, ondiep_organisation(id="nieuw-in-nijenoord", area_codes=("BU03440221",)), geography().boundaries, user(db, "beheer"))
    page.revision = store.read_revision(db)
    assert page.status_by_code["BU03440221"] == "gedekt"
    assert "organisation:nieuw-in-nijenoord" in {row["key"] for row in page.organisation_list}


# ---- the what-if preview -------------------------------------------------------------------------


def test_what_if_shows_the_change_before_anything_is_saved(db):
    revision = store.read_revision(db)
    draft = ondiep_organisation(id="wat-als", area_codes=("BU03440221", "BU03440231"))
    preview = view.what_if(draft)
    counts = expected_status_counts()
    assert preview["open_before"] == counts["open"]
    assert preview["gedekt_after"] == preview["gedekt_before"] + len([c for c in preview["changed"] if c["after"] == "gedekt"])
    assert {c["code"] for c in preview["changed"]} <= {"BU03440221", "BU03440231"}
    assert store.read_revision(db) == revision  # nothing written


# ---- the workspace state: every write handler, as three kinds of user -----------------------------

# Handlers that write, each with arguments and a check that the write happened.
WRITE_HANDLERS = {
    "save": "edits the open item",
    "mark_checked": "records a check",
    "set_archived": "archives",
    "restore_version": "restores a version",
    "add_account": "makes an account",
    "set_account_active": "switches an account off",
    "save_anyway": "re-saves after a conflict",
    "approve_submission": "puts a resident's submission on the map",
    "reject_submission": "rejects a submission",
    "merge_submission": "merges a submission into an item",
    "resolve_correction": "closes a correction",
    "apply_import_rows": "imports a checked file",
    "undo_import": "undoes an import",
}
# Handlers that only read or change what this page shows; none of them writes to the database.
READ_HANDLERS = {
    "load", "open_item", "new_item", "close_item", "set_field", "toggle_choice", "set_map_mode", "set_whole_city",
    "map_click", "find_postcode", "set_table_query", "set_table_view", "take_theirs", "setvar",
    "set_tab", "open_submission", "set_reject_reason", "check_import", "set_import_entity", "set_import_column_map",
    "cancel_import",
}  # fmt: skip


def test_every_workspace_handler_is_classified():
    """A new handler must be added to one of the two lists (and, if it writes, get a permission test)."""
    assert set(WorkspaceState.event_handlers) == set(WRITE_HANDLERS) | READ_HANDLERS
    assert not set(WRITE_HANDLERS) & READ_HANDLERS


def _database_state(db) -> str:
    import sqlalchemy as sa

    with db.connect() as connection:
        tables = ("organisation", "meeting_place", "entry_version", "user_account", "registry_revision", "submission")
        return json.dumps({t: [list(map(str, r)) for r in connection.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1"))] for t in tables})


def _prepare(state: WorkspaceState, handler: str, db) -> tuple:
    """Open the Ondiep buurtwerkkamer (as the beheerder would) and return the handler's arguments."""
    stored = store.get_stored(db, "organisation", "buurtwerkkamer-top")
    state.editing_key, state.editing_entity, state.editing_is_new = "organisation:buurtwerkkamer-top", "organisation", False
    state.form = {name: format_cell(FIELDS_BY_NAME[name], getattr(stored.entry, name)) for name in CSV_COLUMNS} | {"name": "Gewijzigd door de test"}
    state.form_version = stored.version
    state.conflict_version = stored.version
    target = user(db, "oost")
    if handler in ("approve_submission", "reject_submission", "merge_submission", "resolve_correction"):
        _prepare_submission(state, handler, db)
    if handler in ("apply_import_rows", "undo_import"):
        _prepare_import(state, handler, db)
    return {
        "save": (),
        "mark_checked": (),
        "set_archived": (True,),
        "restore_version": (1,),
        "add_account": ({"naam": "nieuwkomer", "wachtwoord": PASSWORD, "rol": "coordinator", "wijken": ""},),
        "set_account_active": (target.id, False),
        "save_anyway": (),
        "approve_submission": (),
        "reject_submission": (),
        "merge_submission": ("organisation:buurtwerkkamer-top",),
        "resolve_correction": (),
        "apply_import_rows": (),
        "undo_import": (),
    }[handler]


def _prepare_submission(state: WorkspaceState, handler: str, db) -> None:
    """A resident's submission for Ondiep (wijk Noordwest), opened in the form."""
    from samen030_map.db import submissions

    boundaries = geography().boundaries
    if handler == "resolve_correction":
        submission_id = submissions.submit_correction(db, "organisation:buurtwerkkamer-top", "Klopt niet", "", {"organisation:buurtwerkkamer-top"})
    else:
        fields = {"name": "Bewoners Ondiep-test", "kind": "bewonersorganisatie", "area_level": "buurt", "area_codes": ONDIEP}
        submission_id = submissions.submit_initiative(db, "organisation", fields, "", "kaart", boundaries)
        pending = submissions.get(db, submission_id)
        state.form = {name: format_cell(FIELDS_BY_NAME[name], getattr(pending.entry, name)) for name in CSV_COLUMNS}
        state.editing_entity, state.editing_is_new = "organisation", True
    state.editing_submission = submission_id
    state.reject_reason = "Niet in Utrecht"


def _prepare_import(state: WorkspaceState, handler: str, db) -> None:
    """A checked import of one row in Ondiep (planned by the beheerder; the plan is on the server side)."""
    boundaries = geography().boundaries
    entry = ondiep_organisation(id="geimporteerd-in-ondiep")
    plan = store.plan_import(db, [entry], tuple(CSV_COLUMNS), "organisation", boundaries, user(db, "beheer"))
    if handler == "undo_import":
        _, state.import_batch = store.apply_import(db, plan, boundaries, user(db, "beheer"))
    else:
        state._import_plan = plan


@pytest.mark.parametrize("handler", sorted(WRITE_HANDLERS))
@pytest.mark.parametrize(
    ("who", "allowed"),
    [(None, False), ("oost", False), ("beheer", True)],
    ids=["anonymous", "coordinator-outside-their-wijk", "beheerder"],
)
def test_every_write_handler_checks_the_user_on_the_server(db, handler, who, allowed):
    """The item lies in Noordwest: a coordinator for Oost may not touch it, nor make accounts."""
    store.update_entry(db, "buurtwerkkamer-top", {"note": "tweede versie"}, geography().boundaries, "organisation", user(db, "beheer"))
    state = workspace_as(db, who)
    args = _prepare(state, handler, db)
    before = _database_state(db)
    result = run(state, handler, *args)
    if handler == "save_anyway" and result is not None:  # it asks for a save: run it as the browser would
        run(state, "save")
    changed = _database_state(db) != before
    assert changed is allowed, (handler, who, state.message)
    if not allowed:
        assert not state.message_ok or state.message == ""


def test_a_coordinator_may_edit_in_their_own_wijk(db):
    state = workspace_as(db, "noordwest")
    _prepare(state, "save", db)
    run(state, "save")
    assert state.message_ok, state.message
    assert store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.name == "Gewijzigd door de test"


def test_a_switched_off_account_loses_its_rights_at_once(db):
    state = workspace_as(db, "noordwest")
    accounts.set_active(db, user(db, "beheer").id, True)
    accounts.set_active(db, accounts.find_user(db, "noordwest").id, False)
    _prepare(state, "save", db)
    run(state, "save")
    assert store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.name == "BuurtWerkKamer TOP"
    assert state.user_name == "" and state.rows == []  # everything private is wiped


def test_two_coordinators_one_item_the_second_save_is_refused_with_both_versions(db):
    first, second = workspace_as(db, "noordwest"), workspace_as(db, "beheer")
    for state in (first, second):
        run(state, "open_item", "organisation:buurtwerkkamer-top")
    run(first, "set_field", "note", "van de eerste")
    run(first, "save")
    run(second, "set_field", "note", "van de tweede")
    run(second, "save")
    assert not second.message_ok and second.conflict_rows
    assert {row["field"] for row in second.conflict_rows} >= {"Toelichting"}
    assert store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.note == "van de eerste"


def test_new_item_with_werkgebied_clicked_on_the_map_and_a_what_if_before_saving(db):
    state = workspace_as(db, "noordwest")
    run(state, "load")
    run(state, "new_item", "organisation")
    run(state, "set_field", "name", "Bewoners van Nijenoord")
    run(state, "set_field", "kind", "bewonersorganisatie")
    run(state, "set_field", "source_url", "https://example.org/nijenoord")
    run(state, "map_click", "BU03440221", 52.1, 5.1)  # area mode: adds the buurt
    assert state.form["area_level"] == "buurt" and state.form["area_codes"] == "BU03440221"
    assert state.preview["gedekt_after"] == state.preview["gedekt_before"] + 1
    assert store.get_stored(db, "organisation", "bewoners-van-nijenoord") is None  # nothing saved yet
    run(state, "save")
    assert state.message_ok, state.message
    assert picture_module.build_picture().coverage.buurten.loc["BU03440221", "status"] == "gedekt"


def test_a_point_outside_utrecht_is_refused_with_a_message(db):
    state = workspace_as(db, "beheer")
    run(state, "new_item", "meeting_place")
    for name, value in (("name", "Ergens"), ("kind", "buurthuis"), ("lat", "52.156"), ("lon", "5.387")):  # Amersfoort
        run(state, "set_field", name, value)
    run(state, "save")
    assert not state.message_ok
    assert "buiten de gemeente Utrecht" in state.field_errors.get("lat", "")


def test_html_and_script_urls_are_refused_or_kept_as_text(db):
    state = workspace_as(db, "beheer")
    run(state, "open_item", "organisation:buurtwerkkamer-top")
    run(state, "set_field", "website", "javascript:alert(1)")
    run(state, "save")
    assert "website" in state.field_errors
    run(state, "set_field", "website", "https://example.org")
    run(state, "set_field", "name", "<img src=x onerror=alert(1)>")
    run(state, "save")
    assert store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.name == "<img src=x onerror=alert(1)>"


def test_contact_and_notes_never_reach_a_public_var(db, monkeypatch):
    monkeypatch.setattr(picture_module, "REVISION_CHECK_S", 0.0)
    store.update_entry(db, "buurtwerkkamer-top", {"contact": SECRET, "notes": SECRET}, geography().boundaries, "organisation", user(db, "beheer"))
    assert SECRET in store.get_stored(db, "organisation", "buurtwerkkamer-top").entry.contact
    page = rx.State().get_substate(DashboardState.get_full_name().split("."))
    page.revision = store.read_revision(db)
    page.selected_entry = "organisation:buurtwerkkamer-top"
    page.selected_buurt, page.search_query = ONDIEP, "buurtwerkkamer"
    everything = json.dumps(page.dict(), default=str)
    assert "BuurtWerkKamer TOP" in everything and SECRET not in everything
    # An anonymous workspace gets nothing either.
    anonymous = workspace_as(db, None)
    run(anonymous, "load")
    run(anonymous, "open_item", "organisation:buurtwerkkamer-top")
    assert SECRET not in json.dumps(anonymous.dict(), default=str)
    assert anonymous.rows == [] and anonymous.form == {}


def test_the_to_check_list(db):
    state = workspace_as(db, "beheer")
    run(state, "load")
    total = len(state.rows)
    assert state.check_count == total  # no seed row was ever checked by a coordinator
    run(state, "open_item", "meeting_place:de-speler")
    run(state, "mark_checked")
    assert state.check_count == total - 1
    assert store.get_stored(db, "meeting_place", "de-speler").entry.checked_on == date.today()
    run(state, "set_table_view", "te_controleren")
    assert "meeting_place:de-speler" not in {row["key"] for row in state.visible_rows}
    zorgbelang = next(row for row in state.rows if row["key"] == "organisation:zorgbelang-gelderland-utrecht")
    assert zorgbelang["check"] == "Geen bron"


def test_the_public_card_states_its_provenance(db):
    rows = view.all_entry_rows("nl", store.read_revision(db))
    speler = rows["meeting_place:de-speler"]
    assert speler["checked"] == "" and speler["source_read"] == "22 november 2026"
    assert speler["themes_derived"] is True
    zorgbelang = rows["organisation:zorgbelang-gelderland-utrecht"]
    assert zorgbelang["no_source"] is True
    jutter = rows["meeting_place:de-nieuwe-jutter"]
    assert jutter["founded"].startswith("2005:")
    overvecht = rows["meeting_place:bibliotheek-overvecht"]
    assert "geen oprichtingsdatum" in overvecht["founded"] and "afgeleid" in overvecht["founded"]
    lunetten = rows["organisation:wijkcooperatie-lunetten"]
    assert lunetten["founded"].startswith("2019")


def test_the_six_later_organisations_change_the_gap_map(db):
    statuses = picture_module.build_picture().coverage.buurten["status"]
    assert statuses["BU03440711"] == statuses["BU03440712"] == "gedekt"  # Lunetten: its wijkcoöperatie
    assert (statuses[statuses.index.str.startswith("BU034404")] != "open").all()  # Noordoost: Griftstroom
