"""Residents' submissions and corrections, and the coordinators' review, without a browser."""

from __future__ import annotations

# Must come before any samen030_map.picture/view/state import (see tests/app_env.py).
import tests.app_env  # noqa: F401  isort: skip

import json
from datetime import timedelta

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from samen030_map import picture as picture_module
from samen030_map import view
from samen030_map.db import accounts, store, submissions
from samen030_map.db.models import utc_now
from samen030_map.picture import geography
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.submit import SubmitState, areas_from_text
from tests.test_workspace import PASSWORD, run, user, workspace_as

NIJENOORD = "BU03440221"  # Noordwest
HTML = "<img src=x onerror=alert(1)> & Co"


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'meld.db'}"
    monkeypatch.setenv("SAMEN030_DB_URL", url)
    store.prepare_database(url)
    monkeypatch.setattr(picture_module, "_current", picture_module._Current())
    monkeypatch.setattr(picture_module, "REVISION_CHECK_S", 0.0)
    engine = store.engine(url)
    accounts.add_user(engine, "beheer", PASSWORD, "beheerder")
    accounts.add_user(engine, "noordwest", PASSWORD, "coordinator", ["WK034402"], known_wijken={"WK034402"})
    accounts.add_user(engine, "oost", PASSWORD, "coordinator", ["WK034405"], known_wijken={"WK034405"})
    return engine


def fields(**changes) -> dict[str, str]:
    base = {"name": "Buurtgroep Nijenoord", "kind": "bewonersorganisatie", "description": "We koken samen.", "area_level": "buurt", "area_codes": NIJENOORD}
    return base | changes


def submit(db, client="10.0.0.1", browser="tab-1", **changes):
    return submissions.submit_initiative(db, "organisation", fields(**changes), "06-12345678", "lid", geography().boundaries, client=client, browser=browser)


def public_text(db) -> str:
    """Everything a public page can get: its state (search included), the lists, the coverage."""
    page = rx.State().get_substate(DashboardState.get_full_name().split("."))
    page.revision = store.read_revision(db)
    page.search_query = "Nijenoord"
    return json.dumps([page.dict(), view.markers_geojson(page.revision)], default=str)


def test_a_submission_waits_and_is_not_public(db):
    submission_id = submit(db)
    assert submission_id and submissions.waiting_count(db) == 1
    assert "Buurtgroep Nijenoord" not in public_text(db)
    assert "06-12345678" not in public_text(db)
    assert picture_module.current_picture().coverage.buurten.loc[NIJENOORD, "status"] != "gedekt"


def test_approval_makes_a_registry_item_with_its_source_and_the_buurt_turns_gedekt(db):
    submission_id = submit(db)
    revision = store.read_revision(db)
    key = submissions.approve(db, submission_id, user(db, "noordwest"), geography().boundaries)
    assert key == "organisation:buurtgroep-nijenoord"
    stored = store.get_stored(db, "organisation", "buurtgroep-nijenoord")
    assert stored.entry.source_text.startswith("aanmelding via de Buurtkaart, ")
    assert stored.entry.contact == "06-12345678"  # kept for the coordinators, never public
    assert store.read_revision(db) > revision
    assert store.history(db, "organisation", "buurtgroep-nijenoord")[0].action == "aanmelding"
    assert picture_module.current_picture().coverage.buurten.loc[NIJENOORD, "status"] == "gedekt"
    text = public_text(db)
    assert "Buurtgroep Nijenoord" in text and "06-12345678" not in text
    assert submissions.waiting_count(db) == 0 and submissions.decided(db)[0].decided_by == "noordwest"


def test_edit_and_approve_takes_the_coordinators_version(db):
    submission_id = submit(db)
    pending = submissions.get(db, submission_id)
    edited = store.RegistryEntry(**{**pending.entry.__dict__, "name": "Buurtgroep Nijenoord en Hoogstraat"})
    submissions.approve(db, submission_id, user(db, "beheer"), geography().boundaries, edited=edited)
    assert store.get_stored(db, "organisation", "buurtgroep-nijenoord-en-hoogstraat") is not None


def test_a_rejected_submission_never_appears(db):
    submission_id = submit(db)
    with pytest.raises(store.RegistryError, match="waarom"):
        submissions.reject(db, submission_id, user(db, "beheer"), geography().boundaries, "")
    submissions.reject(db, submission_id, user(db, "beheer"), geography().boundaries, "Bestaat niet meer")
    assert "Buurtgroep Nijenoord" not in public_text(db)
    assert [p.reason for p in submissions.decided(db)] == ["Bestaat niet meer"]
    with pytest.raises(store.RegistryError, match="al afgehandeld"):
        submissions.approve(db, submission_id, user(db, "beheer"), geography().boundaries)


def test_merging_fills_the_empty_fields_of_the_existing_item(db):
    submission_id = submit(db, name="BuurtWerkKamer TOP", area_codes="BU03440222", website="https://top.example.org")
    pending = submissions.get(db, submission_id)
    duplicates = submissions.possible_duplicates(pending.entry, picture_module.current_picture().organisation_entries)
    assert "organisation:buurtwerkkamer-top" in {d["key"] for d in duplicates}
    submissions.merge(db, submission_id, "organisation:buurtwerkkamer-top", user(db, "beheer"), geography().boundaries)
    merged = store.get_stored(db, "organisation", "buurtwerkkamer-top").entry
    assert merged.website == "https://top.example.org" and merged.description == "We koken samen."
    assert "06-12345678" in merged.notes and "06-12345678" not in merged.description


@pytest.mark.parametrize(("who", "allowed"), [(None, False), ("oost", False), ("noordwest", True), ("beheer", True)])
@pytest.mark.parametrize("decision", ["approve", "reject", "merge"])
def test_only_a_coordinator_for_the_wijk_or_a_beheerder_decides(db, who, allowed, decision):
    submission_id = submit(db)
    acting = user(db, who) if who else None
    boundaries = geography().boundaries
    before = submissions.waiting_count(db)
    action = {
        "approve": lambda: submissions.approve(db, submission_id, acting, boundaries),
        "reject": lambda: submissions.reject(db, submission_id, acting, boundaries, "nee"),
        "merge": lambda: submissions.merge(db, submission_id, "organisation:buurtwerkkamer-top", acting, boundaries),
    }[decision]
    if allowed:
        action()
        assert submissions.waiting_count(db) == before - 1
    else:
        with pytest.raises(accounts.AccountError):
            action()
        assert submissions.waiting_count(db) == before


def test_a_honeypot_submission_is_dropped_silently(db):
    result = submissions.submit_initiative(db, "organisation", fields(), "", "kaart", geography().boundaries, honeypot="http://spam.example")
    assert result is None and submissions.waiting_count(db) == 0


def test_floods_are_limited_per_session_and_per_address(db):
    for index in range(submissions.LIMIT_PER_HOUR):
        submit(db, client=f"10.0.0.{index}", browser="zelfde-tab", name=f"Groep {index}")
    with pytest.raises(submissions.SubmissionRefused, match="afgelopen uur"):
        submit(db, client="10.0.9.9", browser="zelfde-tab")
    for index in range(submissions.LIMIT_PER_HOUR):
        submit(db, client="10.1.1.1", browser=f"tab-{index}", name=f"Groep b{index}")
    with pytest.raises(submissions.SubmissionRefused, match="afgelopen uur"):
        submit(db, client="10.1.1.1", browser="nieuwe-tab")
    # An hour later it works again.
    later = utc_now() + timedelta(hours=1, minutes=1)
    assert submissions.submit_initiative(db, "organisation", fields(), "", "kaart", geography().boundaries, client="10.1.1.1", browser="x", now=later)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 300}, "name"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "www.example.org"}, "website"),
        ({"area_codes": ""}, "area_codes"),
        ({"area_codes": "BU99999999"}, "area_codes"),
        ({"kind": "voetbalclub"}, "kind"),
        ({"description": "d" * 700}, "description"),
        ({"founded": "2999"}, "founded"),
        ({"name": "Groep\x1b[2J"}, "name"),
    ],
)
def test_a_refused_submission_says_why_and_stores_nothing(db, changes, field):
    with pytest.raises(submissions.SubmissionRefused) as refused:
        submit(db, **changes)
    assert field in refused.value.problems
    assert submissions.waiting_count(db) == 0


def test_html_in_a_submission_stays_text(db):
    submission_id = submit(db, name=HTML)
    key = submissions.approve(db, submission_id, user(db, "beheer"), geography().boundaries)
    rows = view.all_entry_rows("nl", store.read_revision(db))
    assert rows[key]["name"] == HTML


def test_a_correction_lands_in_the_queue_and_is_resolved(db):
    known = view.all_entry_rows("nl", store.read_revision(db))
    submission_id = submissions.submit_correction(db, "organisation:buurtwerkkamer-top", "Het adres is veranderd.", "", known)
    [waiting] = submissions.waiting(db)
    assert (waiting.kind, waiting.target_key) == ("correctie", "organisation:buurtwerkkamer-top")
    with pytest.raises(accounts.AccountError):
        submissions.resolve_correction(db, submission_id, user(db, "oost"), geography().boundaries)
    submissions.resolve_correction(db, submission_id, user(db, "noordwest"), geography().boundaries, "Adres bijgewerkt")
    assert submissions.waiting_count(db) == 0
    with pytest.raises(submissions.SubmissionRefused):
        submissions.submit_correction(db, "organisation:bestaat-niet", "Fout", "", known)
    with pytest.raises(submissions.SubmissionRefused):
        submissions.submit_correction(db, "organisation:buurtwerkkamer-top", "   ", "", known)


def test_typed_buurt_names_and_postcodes_become_buurten():
    codes, unknown = areas_from_text("Ondiep, 3552; lunetten, Nergenshuizen")
    assert {"BU03440222", "BU03440221", "BU03440711", "BU03440712"} <= set(codes)
    assert unknown == ["Nergenshuizen"]


def _form(tmp_path=None) -> SubmitState:
    state = rx.State().get_substate(SubmitState.get_full_name().split("."))
    state.router = RouterData.from_router_data(
        {"headers": {"origin": "http://localhost:3000"}, "asPath": f"/meld-aan?buurt={NIJENOORD}", "pathname": "/meld-aan", "token": "tab-9", "ip": "10.9.9.9"}
    )
    SubmitState.load.fn(state)
    return state


def test_the_public_form_sends_and_confirms(db):
    state = _form()
    assert state.area_codes == [NIJENOORD]  # from the link of an open buurt
    for name, value in (("name", "Samen in Nijenoord"), ("kind", "bewonersorganisatie"), ("description", "Buurtmaaltijd")):
        SubmitState.set_field.fn(state, name, value)
    SubmitState.send.fn(state)
    assert not state.sent and "consent" in state.errors  # the consent is required
    SubmitState.set_consent.fn(state, True)
    SubmitState.send.fn(state)
    assert state.sent, (state.message, state.errors)
    assert submissions.waiting_count(db) == 1


def test_the_dashboard_correction_handler_is_a_limited_public_write(db):
    page = rx.State().get_substate(DashboardState.get_full_name().split("."))
    page.revision = store.read_revision(db)
    run(page, "open_entry", "meeting_place:de-speler")
    run(page, "open_correction")
    run(page, "set_correction_text", "Het is verhuisd.")
    run(page, "send_correction")
    assert page.correction_sent and submissions.waiting_count(db) == 1


def test_the_workspace_queue_approves_edits_rejects_and_counts(db):
    first, second = submit(db), submit(db, name="Andere groep", browser="tab-2")
    state = workspace_as(db, "beheer")
    run(state, "load")
    assert state.queue_count == 2 and {row["id"] for row in state.queue} == {first, second}
    run(state, "open_submission", first)
    assert state.editing_is_new and state.form["name"] == "Buurtgroep Nijenoord"
    assert state.preview["gedekt_after"] == state.preview["gedekt_before"] + 1  # the what-if of approving
    run(state, "set_field", "name", "Buurtgroep Nijenoord (nagekeken)")
    run(state, "approve_submission")
    assert state.message_ok, state.message
    assert store.get_stored(db, "organisation", "buurtgroep-nijenoord-nagekeken") is not None
    run(state, "open_submission", second)
    run(state, "set_reject_reason", "Dubbel")
    run(state, "reject_submission")
    assert state.queue_count == 0


def test_the_workspace_import_reports_first_imports_good_rows_and_undoes(db, tmp_path):
    from samen030_map.core.schema import CSV_COLUMNS

    header = ",".join(CSV_COLUMNS)
    good = {"id": "import-goed", "name": "Goed", "kind": "netwerk", "area_level": "stad", "source_url": "https://example.org"}
    bad = {"id": "import-fout", "name": "Fout", "kind": "netwerk", "area_level": "buurt", "area_codes": "BU99999999"}
    text = header + "\n" + "\n".join(",".join(row.get(c, "") for c in CSV_COLUMNS) for row in (good, bad)) + "\n"

    class Upload:
        filename, name = "lijst.csv", "lijst.csv"

        async def read(self, size=-1):
            return text.encode()

    state = workspace_as(db, "beheer")
    run(state, "load")
    revision = store.read_revision(db)
    tests.app_env.run_coroutine(WorkspaceState_check(state, [Upload()]))
    report = state.import_report
    assert (report["rows"], report["good"], report["problem_count"], report["writes"]) == (2, 1, 1, 1)
    assert report["problems"][0]["row"] == 3 and report["problems"][0]["column"] == "area_codes" and "BU99999999" in report["problems"][0]["reason"]
    assert store.read_revision(db) == revision  # nothing written yet
    run(state, "apply_import_rows")
    assert store.get_stored(db, "organisation", "import-goed") is not None
    assert store.get_stored(db, "organisation", "import-fout") is None
    run(state, "undo_import")
    assert store.get_stored(db, "organisation", "import-goed").archived


async def WorkspaceState_check(state, files):
    from samen030_map.state.workspace import WorkspaceState

    await WorkspaceState.check_import.fn(state, files)
