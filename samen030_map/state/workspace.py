"""The coordinators' workspace at /beheer: the table of every item, the form, history, accounts.

Security, on every call:
- Who is asking is read again from the database on every event (``_user``): the session token comes
  from the HttpOnly cookie in the socket's headers (server/auth.py), never from a state var.
- Every write goes through db/store.py, which checks the role and wijken again, validates, refuses a
  save from an older version, records the change and raises the revision.
- Private data (contact, notes, archived and stopped items) lives only in plain vars that a handler
  fills after that check, and is wiped when the check fails. No computed var here reads the registry:
  computed vars are worked out for every visitor of every page.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import reflex as rx

from samen030_map import view
from samen030_map.core.registry import FIELDS, FIELDS_BY_NAME, RegistryEntry, RegistryError, choices_for, clean_entry, validate_entry
from samen030_map.core.schema import format_cell, parse_cell
from samen030_map.core.importing import MAX_IMPORT_BYTES, column_map_from_text, read_import
from samen030_map.db import accounts, store, submissions
from samen030_map.db.accounts import AccountError, PermissionDenied, User
from samen030_map.labels import ENTITY_LABELS, KIND_LABELS, WISH_LABELS
from samen030_map.picture import current_picture, geography
from samen030_map.server import live
from samen030_map.server.auth import session_token

CHECK_AGAIN_AFTER = timedelta(days=365)
ACTION_LABELS = {
    "toegevoegd": "Toegevoegd",
    "gewijzigd": "Gewijzigd",
    "gecontroleerd": "Gecontroleerd",
    "gearchiveerd": "Gearchiveerd",
    "hersteld": "Uit het archief gehaald",
    "teruggezet": "Oude versie teruggezet",
    "import": "Import",
    "basisgegevens": "Basisgegevens",
    "eerder": "Zoals het was voor de geschiedenis begon",
    "aanmelding": "Aangemeld door een bewoner, goedgekeurd",
    "samengevoegd": "Aangevuld met een aanmelding",
}
QUEUE_KIND_LABELS = {"aanmelding": "Aanmelding", "correctie": "Correctie"}
SUBMISSION_STATUS_LABELS = {
    "wacht": "wacht", "goedgekeurd": "goedgekeurd", "afgewezen": "afgewezen", "samengevoegd": "samengevoegd", "afgehandeld": "afgehandeld",
}  # fmt: skip
DUPLICATE_LABELS = {"naam": "lijkt op dezelfde naam", "buurt": "zelfde soort in dezelfde buurt of wijk"}
# Fields the map or the what-if preview depends on: a change recomputes the preview.
PREVIEW_FIELDS = ("kind", "status", "area_level", "area_codes", "lat", "lon")


def _slug(name: str) -> str:
    """A stable id from a name: 'Buurthuis De Bolder!' -> 'buurthuis-de-bolder'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:80] or "item"


def needs_check(stored: store.StoredEntry, today: date) -> str:
    """Why an item should be checked ("" when it need not): never checked, long ago, or no source."""
    entry = stored.entry
    if not entry.source_url.strip():
        return "Geen bron"
    if entry.checked_on is None:
        return "Nog nooit gecontroleerd"
    if today - entry.checked_on > CHECK_AGAIN_AFTER:
        return "Langer dan een jaar geleden gecontroleerd"
    return ""


def _table_row(stored: store.StoredEntry, today: date) -> dict[str, Any]:
    entry = stored.entry
    return {
        "key": view.entry_key(entry.entity, entry.id),
        "name": entry.name,
        "entity": ENTITY_LABELS.get(entry.entity, ""),
        "kind": KIND_LABELS.get(entry.kind, entry.kind),
        "status": entry.status,
        "archived": stored.archived,
        "check": needs_check(stored, today),
        "updated": f"{stored.updated_at:%Y-%m-%d} {stored.updated_by}".strip(),
        "search": " ".join((entry.name, entry.id, entry.kind, entry.address)).lower(),
    }


def _form_of(entry: RegistryEntry) -> dict[str, str]:
    return {spec.name: format_cell(spec, getattr(entry, spec.name)) for spec in FIELDS}


def _entry_of(entity: str, form: dict[str, str]) -> tuple[RegistryEntry, dict[str, str]]:
    """The form's text as an entry, and the fields that could not be read (field -> reason)."""
    values, problems = {}, {}
    for spec in FIELDS:
        text = form.get(spec.name, "")
        value, problem = (spec.default_value, "") if spec.kind == "choice" and not text.strip() else parse_cell(spec, text)
        values[spec.name] = value
        if problem:
            problems[spec.name] = problem
    return RegistryEntry(entity=entity, **values), problems


class WorkspaceState(rx.State):
    # Who is logged in, for display only (every write checks again on the server).
    user_name: str = ""
    user_role: str = ""
    user_wijken: list[str] = []
    login_message: str = ""
    message: str = ""
    message_ok: bool = True

    # The table (filled only for a logged-in user).
    rows: list[dict[str, Any]] = []
    table_query: str = ""
    table_view: str = "alles"  # alles | te_controleren | gearchiveerd

    # The item being edited ("" = none). entity and the version the edit started from.
    editing_key: str = ""
    editing_entity: str = ""
    editing_is_new: bool = False
    editing_archived: bool = False
    form: dict[str, str] = {}
    form_version: int = 0
    field_errors: dict[str, str] = {}
    map_mode: str = "werkgebied"  # werkgebied | plek
    preview: dict[str, Any] = {}
    history_rows: list[dict[str, Any]] = []
    conflict_rows: list[dict[str, str]] = []
    conflict_version: int = 0

    # Accounts (beheerders only).
    users: list[dict[str, Any]] = []

    # Which part of the workspace is shown: the items, the residents' submissions, or an import.
    tab: str = "items"

    # The review queue: residents' submissions and corrections waiting for a decision.
    queue: list[dict[str, Any]] = []
    queue_count: int = 0
    decided_rows: list[dict[str, Any]] = []
    editing_submission: int = 0
    submission_info: dict[str, Any] = {}
    reject_reason: str = ""

    # A bulk import: the report is shown before anything is written; the plan itself stays on the server.
    import_entity: str = "organisation"
    import_column_map: str = ""
    import_report: dict[str, Any] = {}
    import_batch: str = ""
    _import_plan: Any = None

    # The registry revision this page has seen; raised by server/live.py.
    revision: int = 0

    # ---- who is asking ----

    def _user(self) -> User | None:
        """The user of this request, read from the database; None wipes everything private."""
        user = accounts.user_for_token(store.engine(), session_token(self.router.headers.cookie))
        if user is None:
            self._forget()
        else:
            self.user_name, self.user_role, self.user_wijken = user.name, user.role, list(user.wijken)
        return user

    def _forget(self) -> None:
        self.user_name = self.user_role = ""
        self.user_wijken, self.rows, self.users, self.history_rows, self.conflict_rows = [], [], [], [], []
        self.queue, self.decided_rows, self.submission_info, self.import_report = [], [], {}, {}
        self.queue_count, self.editing_submission, self._import_plan = 0, 0, None
        self.form, self.field_errors, self.preview = {}, {}, {}
        self.editing_key = self.editing_entity = ""

    def _say(self, text: str, ok: bool = True) -> None:
        self.message, self.message_ok = text, ok

    # ---- loading ----

    @rx.event
    def load(self):
        self.login_message = self.router.url.query_parameters.get("melding", "")[:200]
        self.message = ""
        if self._user() is None:
            return
        self._reload_rows()
        if self.user_role == "beheerder":
            self.users = accounts.list_users(store.engine())

    def _reload_rows(self) -> None:
        today = date.today()
        self.rows = [_table_row(stored, today) for stored in store.load_stored(store.engine())]
        self.revision = store.read_revision(store.engine())
        self._reload_queue()

    def _reload_queue(self) -> None:
        names = {row["key"]: row["name"] for row in self.rows}
        self.queue = [_queue_row(pending, names) for pending in submissions.waiting(store.engine())]
        self.queue_count = len(self.queue)
        self.decided_rows = [_queue_row(pending, names) for pending in submissions.decided(store.engine(), 20)]

    def _refresh_after_save_elsewhere(self, revision: int) -> None:
        """Called by server/live.py when anyone saved: the table follows, an open form is left alone."""
        self.revision = revision
        if self.user_name and self._user() is not None:
            self._reload_rows()

    @rx.event
    def set_table_query(self, text: str):
        self.table_query = text[:100]

    @rx.event
    def set_table_view(self, value: str | list[str]):
        value = value if isinstance(value, str) else (value[0] if value else "")
        if value in ("alles", "te_controleren", "gearchiveerd"):
            self.table_view = value

    @rx.var
    def visible_rows(self) -> list[dict[str, Any]]:
        """The table as filtered (reads only `rows`, which only a logged-in user ever has)."""
        query = self.table_query.strip().lower()
        shown = []
        for row in self.rows:
            if self.table_view == "te_controleren" and (row["archived"] or not row["check"]):
                continue
            if self.table_view == "gearchiveerd" and not row["archived"]:
                continue
            if self.table_view == "alles" and row["archived"]:
                continue
            if query and query not in row["search"]:
                continue
            shown.append(row)
        return shown

    @rx.var
    def check_count(self) -> int:
        return sum(1 for row in self.rows if row["check"] and not row["archived"])

    # ---- opening an item ----

    @rx.event
    def open_item(self, key: str):
        if self._user() is None:
            return
        entity, entry_id = view.split_entry_key(key)
        stored = store.get_stored(store.engine(), entity, entry_id) if entity else None
        if stored is None:
            return self._say("Dit item bestaat niet (meer).", ok=False)
        self._edit(stored)

    def _edit(self, stored: store.StoredEntry) -> None:
        entry = stored.entry
        self.editing_submission, self.submission_info = 0, {}
        self.editing_key, self.editing_entity, self.editing_is_new = view.entry_key(entry.entity, entry.id), entry.entity, False
        self.editing_archived = stored.archived
        self.form, self.form_version = _form_of(entry), stored.version
        self.field_errors, self.conflict_rows, self.message = {}, [], ""
        self._load_history()
        self._update_preview()

    @rx.event
    def new_item(self, entity: str):
        if self._user() is None or entity not in view.ENTITY_PARAMS:
            return
        self.editing_submission, self.submission_info = 0, {}
        kind = choices_for(FIELDS_BY_NAME["kind"], entity)[0]
        draft = RegistryEntry(entity=entity, id="", name="", kind=kind, status="actief", source_read_on=date.today())
        self.editing_key, self.editing_entity, self.editing_is_new, self.editing_archived = "", entity, True, False
        self.form, self.form_version = _form_of(draft), 0
        self.field_errors, self.conflict_rows, self.history_rows, self.preview, self.message = {}, [], [], {}, ""

    @rx.event
    def close_item(self):
        self.editing_key = self.editing_entity = ""
        self.editing_is_new = False
        self.editing_submission, self.submission_info, self.reject_reason = 0, {}, ""
        self.form, self.field_errors, self.preview, self.history_rows, self.conflict_rows = {}, {}, {}, [], []

    # ---- editing the form (nothing is written) ----

    @rx.event
    def set_field(self, name: str, value: str):
        if name not in FIELDS_BY_NAME or not self.editing_entity or self.user_name == "":
            return
        self.form = {**self.form, name: str(value)[: FIELDS_BY_NAME[name].max_length + 50]}
        if name == "name" and self.editing_is_new:
            self.form = {**self.form, "id": _slug(str(value))}
        self.field_errors = {k: v for k, v in self.field_errors.items() if k != name}
        if name in PREVIEW_FIELDS:
            self._update_preview()

    @rx.event
    def toggle_choice(self, name: str, value: str):
        """Add or remove one value of a list field (themes, pillars)."""
        spec = FIELDS_BY_NAME.get(name)
        if spec is None or spec.kind != "choices" or value not in spec.choices or not self.editing_entity:
            return
        values = list(parse_cell(spec, self.form.get(name, ""))[0])
        values = [v for v in values if v != value] if value in values else [*values, value]
        self.set_field(name, format_cell(spec, tuple(values)))

    @rx.event
    def set_map_mode(self, mode: str | list[str]):
        mode = mode if isinstance(mode, str) else (mode[0] if mode else "")
        if mode in ("werkgebied", "plek"):
            self.map_mode = mode

    @rx.event
    def set_whole_city(self):
        if self.editing_entity:
            self.form = {**self.form, "area_level": "stad", "area_codes": ""}
            self._update_preview()

    @rx.event
    def map_click(self, code: str, lat: float, lon: float):
        """A click on the form's map: add or remove the buurt (or its wijk), or place the point there."""
        if not self.editing_entity or code not in geography().buurt_wijk:
            return
        if self.map_mode == "plek":
            self.form = {**self.form, "lat": f"{float(lat):.6f}", "lon": f"{float(lon):.6f}"}
            if self.form.get("location_precision") in ("", "onbekend", "buurt", "wijk"):
                self.form = {**self.form, "location_precision": "adres"}
        else:
            level = self.form.get("area_level", "stad")
            level = "buurt" if level == "stad" else level
            target = code if level == "buurt" else geography().buurt_wijk[code]
            codes = [c for c in self.form.get("area_codes", "").split(";") if c]
            codes = [c for c in codes if c != target] if target in codes else [*codes, target]
            self.form = {**self.form, "area_level": level if codes else "stad", "area_codes": ";".join(sorted(codes))}
        self._update_preview()

    @rx.event
    def find_postcode(self):
        """Place the point at the buurt whose most common postcode (CBS) is the typed one, precision postcode."""
        digits = re.sub(r"\D", "", self.form.get("postcode", ""))[:4]
        buurten = geography().boundaries.buurten
        matches = buurten.index[buurten["postcode"] == digits] if len(digits) == 4 else []
        if len(matches) == 0:
            return self._say("Deze postcode hoort bij geen Utrechtse buurt (of is geen postcode van 4 cijfers). Klik de plek op de kaart aan.", ok=False)
        lonlat = buurten.loc[[sorted(matches)[0]]].geometry.representative_point().to_crs(4326).iloc[0]
        self.form = {**self.form, "lat": f"{lonlat.y:.6f}", "lon": f"{lonlat.x:.6f}", "location_precision": "postcode"}
        self._say("De plek staat bij benadering in de buurt van deze postcode; klik de precieze plek aan als u die weet.")
        self._update_preview()

    def _draft(self) -> tuple[RegistryEntry, dict[str, str]]:
        entry, problems = _entry_of(self.editing_entity, self.form)
        return clean_entry(entry), problems

    def _update_preview(self) -> None:
        """The what-if: coverage with this draft saved (nothing is written)."""
        draft, problems = self._draft()
        if problems or not draft.id or validate_entry(dataclasses.replace(draft, name=draft.name or "x"), geography().boundaries):
            self.preview = {}
            return
        self.preview = view.what_if(draft, min_revision=self.revision)

    @rx.var
    def form_area_codes(self) -> list[str]:
        """The buurten outlined on the form's map (the werkgebied being edited)."""
        codes = [c for c in self.form.get("area_codes", "").split(";") if c]
        buurt_wijk = geography().buurt_wijk
        return [b for b, w in buurt_wijk.items() if b in codes or w in codes]

    @rx.var
    def preview_status(self) -> dict[str, str]:
        return self.preview.get("status_by_code", {}) if self.preview else {}

    # ---- writes: each one checks the user on the server and goes through db/store.py ----

    @rx.event
    def save(self):
        user = self._user()
        if user is None:
            return self._say("Je bent niet (meer) ingelogd. Log opnieuw in; er is niets opgeslagen.", ok=False)
        draft, problems = self._draft()
        problems |= self._problems_by_field(validate_entry(draft, geography().boundaries))
        if problems:
            self.field_errors = problems
            return self._say("Niet opgeslagen: verbeter de velden met een melding.", ok=False)
        try:
            if self.editing_is_new:
                store.add_entry(store.engine(), draft, geography().boundaries, user)
            else:
                changes = {name: getattr(draft, name) for name in FIELDS_BY_NAME if name != "id"}
                store.update_entry(store.engine(), draft.id, changes, geography().boundaries, draft.entity, user, self.form_version)
        except store.EditConflict as conflict:
            return self._show_conflict(draft, conflict)
        except RegistryError as error:
            self.field_errors = self._problems_by_field(error.problems)
            return self._say("Niet opgeslagen: " + "; ".join(error.problems), ok=False)
        except PermissionDenied as denied:
            return self._say(f"Niet opgeslagen: {denied}", ok=False)
        self._after_write(draft.entity, draft.id, "Opgeslagen. De kaart laat het meteen zien.")

    @rx.event
    def save_anyway(self):
        """After a conflict: save this version over the other one, knowingly (itself a recorded change)."""
        if self.conflict_version:
            self.form_version, self.conflict_rows, self.conflict_version = self.conflict_version, [], 0
            return WorkspaceState.save

    @rx.event
    def take_theirs(self):
        """After a conflict: drop this edit and load the version that was saved in between."""
        self.conflict_rows, self.conflict_version = [], 0
        return WorkspaceState.open_item(self.editing_key)

    @rx.event
    def mark_checked(self):
        user = self._user()
        entity, entry_id = view.split_entry_key(self.editing_key)
        if user is None or not entity:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        try:
            store.mark_checked(store.engine(), entity, entry_id, geography().boundaries, user)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet opgeslagen: {error}", ok=False)
        self._after_write(entity, entry_id, "Vastgelegd: vandaag gecontroleerd.")

    @rx.event
    def set_archived(self, archived: bool):
        user = self._user()
        entity, entry_id = view.split_entry_key(self.editing_key)
        if user is None or not entity:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        try:
            store.set_archived(store.engine(), entity, entry_id, bool(archived), geography().boundaries, user, self.form_version)
        except store.EditConflict as conflict:
            return self._show_conflict(self._draft()[0], conflict)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet gelukt: {error}", ok=False)
        self._after_write(entity, entry_id, "Gearchiveerd: het staat niet meer op de kaart." if archived else "Uit het archief gehaald: het staat weer op de kaart.")

    @rx.event
    def restore_version(self, version: int):
        user = self._user()
        entity, entry_id = view.split_entry_key(self.editing_key)
        if user is None or not entity:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        try:
            store.revert_to_version(store.engine(), entity, entry_id, int(version), geography().boundaries, user)
        except (RegistryError, AccountError, ValueError) as error:
            return self._say(f"Niet teruggezet: {error}", ok=False)
        self._after_write(entity, entry_id, f"Versie {int(version)} is teruggezet (als nieuwe versie).")

    @rx.event
    def add_account(self, form_data: dict):
        user = self._user()
        if user is None or not user.is_beheerder:
            return self._say("Alleen een beheerder maakt accounts.", ok=False)
        wijken = [code.strip() for code in str(form_data.get("wijken", "")).split(",") if code.strip()]
        try:
            accounts.add_user(
                store.engine(), str(form_data.get("naam", "")), str(form_data.get("wachtwoord", "")), str(form_data.get("rol", "")),
                wijken, created_by=user.name, known_wijken=set(geography().wijk_bounds),
            )
        except AccountError as error:
            return self._say(f"Account niet gemaakt: {error}", ok=False)
        self.users = accounts.list_users(store.engine())
        self._say("Account gemaakt.")

    @rx.event
    def set_account_active(self, user_id: int, active: bool):
        user = self._user()
        if user is None or not user.is_beheerder:
            return self._say("Alleen een beheerder zet accounts aan of uit.", ok=False)
        if int(user_id) == user.id and not active:
            return self._say("Je kunt je eigen account niet uitzetten.", ok=False)
        try:
            accounts.set_active(store.engine(), int(user_id), bool(active))
        except AccountError as error:
            return self._say(str(error), ok=False)
        self.users = accounts.list_users(store.engine())
        self._say("Account aangezet." if active else "Account uitgezet; de sessies ervan zijn beëindigd.")

    # ---- the review queue ----

    @rx.event
    def set_tab(self, tab: str | list[str]):
        tab = tab if isinstance(tab, str) else (tab[0] if tab else "")
        if tab in ("items", "aanmeldingen", "import"):
            self.tab = tab

    @rx.event
    def open_submission(self, submission_id: int):
        """Look at a submission: a proposal opens in the form (with the what-if), a correction opens its item."""
        if self._user() is None:
            return
        pending = submissions.get(store.engine(), int(submission_id))
        if pending is None or pending.status != "wacht":
            return self._say("Deze aanmelding is al afgehandeld.", ok=False)
        info = {"id": pending.id, "kind": pending.kind, "wish": WISH_LABELS.get(pending.wish, ""), "contact": pending.contact, "message": pending.message, "when": f"{pending.created_at:%Y-%m-%d %H:%M}", "duplicates": []}
        if pending.kind == "correctie":
            entity, _, entry_id = pending.target_key.partition(":")
            stored = store.get_stored(store.engine(), entity, entry_id)
            if stored is None:
                return self._say("Het item van deze correctie bestaat niet meer.", ok=False)
            self._edit(stored)
        else:
            entry = pending.entry
            picture = current_picture()
            info["duplicates"] = [
                d | {"why": DUPLICATE_LABELS[d["why"]]} for d in submissions.possible_duplicates(entry, [*picture.organisation_entries, *picture.meeting_place_entries])
            ]
            self.editing_key, self.editing_entity, self.editing_is_new, self.editing_archived = "", entry.entity, True, False
            self.form, self.form_version = _form_of(entry), 0
            self.field_errors, self.conflict_rows, self.history_rows, self.message = {}, [], [], ""
            self._update_preview()
        self.editing_submission, self.submission_info, self.reject_reason = pending.id, info, ""

    @rx.event
    def set_reject_reason(self, text: str):
        self.reject_reason = str(text)[:500]

    @rx.event
    def approve_submission(self):
        """Approve the proposal as the form now holds it (so "edit and approve" is the same button)."""
        user = self._user()
        if user is None or not self.editing_submission:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        draft, problems = self._draft()
        problems |= self._problems_by_field(validate_entry(dataclasses.replace(draft, id=submissions.slug(draft.name)), geography().boundaries))
        if problems:
            self.field_errors = problems
            return self._say("Niet goedgekeurd: verbeter de velden met een melding.", ok=False)
        try:
            key = submissions.approve(store.engine(), self.editing_submission, user, geography().boundaries, edited=draft)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet goedgekeurd: {error}", ok=False)
        entity, _, entry_id = key.partition(":")
        self._after_write(entity, entry_id, "Goedgekeurd: het staat nu op de kaart.")

    @rx.event
    def reject_submission(self):
        user = self._user()
        if user is None or not self.editing_submission:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        try:
            submissions.reject(store.engine(), self.editing_submission, user, geography().boundaries, self.reject_reason)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet afgewezen: {error}", ok=False)
        self._reload_queue()
        self.close_item()
        self._say("Afgewezen. De aanmelding komt niet op de kaart.")

    @rx.event
    def merge_submission(self, target_key: str):
        user = self._user()
        if user is None or not self.editing_submission:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        try:
            submissions.merge(store.engine(), self.editing_submission, target_key, user, geography().boundaries)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet samengevoegd: {error}", ok=False)
        entity, _, entry_id = target_key.partition(":")
        self._after_write(entity, entry_id, "Samengevoegd met het bestaande item.")

    @rx.event
    def resolve_correction(self):
        user = self._user()
        if user is None or not self.editing_submission:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        try:
            submissions.resolve_correction(store.engine(), self.editing_submission, user, geography().boundaries, self.reject_reason)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet gelukt: {error}", ok=False)
        self.editing_submission, self.submission_info = 0, {}
        self._reload_queue()
        self._say("De correctie is afgehandeld.")

    # ---- a bulk import: first a report, then the choice ----

    @rx.event
    def set_import_entity(self, entity: str | list[str]):
        entity = entity if isinstance(entity, str) else (entity[0] if entity else "")
        if entity in view.ENTITY_PARAMS:
            self.import_entity = entity

    @rx.event
    def set_import_column_map(self, text: str):
        self.import_column_map = str(text)[:1000]

    @rx.event
    async def check_import(self, files: list[rx.UploadFile]):
        """Read the uploaded file in memory (never stored where it is served) and report what an import would do."""
        user = self._user()
        if user is None:
            return self._say("Je bent niet (meer) ingelogd.", ok=False)
        self.import_report, self._import_plan, self.import_batch = {}, None, ""
        if not files:
            return self._say("Kies eerst een bestand.", ok=False)
        upload = files[0]
        name = (upload.filename or upload.name or "bestand").rsplit("/", 1)[-1][:100]
        if not name.lower().endswith((".csv", ".txt", ".geojson", ".json")):
            return self._say(f"{name}: kies een CSV- of GeoJSON-bestand.", ok=False)
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        try:
            read = read_import(data, name, self.import_entity, geography().boundaries, column_map_from_text(self.import_column_map))
            plan = store.plan_import(
                store.engine(), [entry for _, entry in read.entries], read.columns, self.import_entity, geography().boundaries, user, [row for row, _ in read.entries]
            )
        except RegistryError as error:
            self.import_report = {"file_problem": str(error), "file": name}
            return self._say("Het bestand kan zo niet worden gelezen; zie de melding.", ok=False)
        picture = current_picture()
        published = [*picture.organisation_entries, *picture.meeting_place_entries]
        self._import_plan = plan
        self.import_report = _import_report(name, read, plan, published)
        self._say("Gecontroleerd: er is nog niets opgeslagen. Kies hieronder wat er moet gebeuren.")

    @rx.event
    def apply_import_rows(self):
        """Import the good rows (the report's new and changed ones) in one transaction, as one batch."""
        user = self._user()
        if user is None or self._import_plan is None:
            return self._say("Er is geen gecontroleerd bestand (of je bent niet meer ingelogd).", ok=False)
        try:
            report, batch = store.apply_import(store.engine(), self._import_plan, geography().boundaries, user)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niets geïmporteerd: {error}", ok=False)
        self._import_plan, self.import_batch = None, batch
        self.import_report = {**self.import_report, "done": str(report)}
        current_picture(force=True)
        live.notify()
        self._reload_rows()
        self._say(f"Geïmporteerd: {report}. Niet goede rijen zijn overgeslagen.")

    @rx.event
    def cancel_import(self):
        self._import_plan, self.import_report = None, {}
        self._say("Er is niets geïmporteerd.")

    @rx.event
    def undo_import(self):
        user = self._user()
        if user is None or not self.import_batch:
            return self._say("Er is geen import om ongedaan te maken.", ok=False)
        try:
            count = store.undo_import(store.engine(), self.import_batch, geography().boundaries, user)
        except (RegistryError, AccountError) as error:
            return self._say(f"Niet ongedaan gemaakt: {error}", ok=False)
        self.import_batch, self.import_report = "", {}
        current_picture(force=True)
        live.notify()
        self._reload_rows()
        self._say(f"Import ongedaan gemaakt ({count} items teruggezet of gearchiveerd).")

    # ---- after a write ----

    def _after_write(self, entity: str, entry_id: str, text: str) -> None:
        current_picture(force=True)  # this worker at once; the others within live.POLL_S
        live.notify()
        self._reload_rows()
        stored = store.get_stored(store.engine(), entity, entry_id)
        if stored is not None:
            self._edit(stored)
        self._say(text)

    def _show_conflict(self, mine: RegistryEntry, conflict: store.EditConflict) -> None:
        theirs = conflict.stored
        self.conflict_rows = [
            {"field": FIELDS_BY_NAME[name].label, "mine": format_cell(FIELDS_BY_NAME[name], getattr(mine, name)), "theirs": format_cell(FIELDS_BY_NAME[name], getattr(theirs, name))}
            for name in FIELDS_BY_NAME
            if getattr(mine, name) != getattr(theirs, name)
        ]
        self.conflict_version = conflict.stored_version
        self._say(str(conflict), ok=False)

    def _problems_by_field(self, problems: list[str]) -> dict[str, str]:
        by_field: dict[str, str] = {}
        for problem in problems:
            name, _, reason = problem.partition(": ")
            name = "lat" if name == "lat/lon" else name
            key = name if name in FIELDS_BY_NAME else "name"
            by_field[key] = (by_field.get(key, "") + " " + (reason if name in FIELDS_BY_NAME else problem)).strip()
        return by_field

    def _load_history(self) -> None:
        entity, entry_id = view.split_entry_key(self.editing_key)
        rows = []
        for version in store.history(store.engine(), entity, entry_id):
            rows.append(
                {
                    "version": version.version,
                    "action": ACTION_LABELS.get(version.action, version.action),
                    "who": version.changed_by,
                    "when": f"{version.changed_at:%Y-%m-%d %H:%M}",
                    "changes": [
                        {"field": FIELDS_BY_NAME[name].label, "old": old, "new": new}
                        for name, (old, new) in version.changes.items()
                        if name in FIELDS_BY_NAME
                    ],
                }
            )
        self.history_rows = rows


def _queue_row(pending, names: dict[str, str]) -> dict[str, Any]:
    entry = pending.entry
    return {
        "id": pending.id,
        "kind": QUEUE_KIND_LABELS[pending.kind],
        "name": entry.name if entry else names.get(pending.target_key, pending.target_key),
        "area": ", ".join(entry.area_codes) if entry and entry.area_codes else ("heel Utrecht" if entry else ""),
        "message": pending.message[:200],
        "when": f"{pending.created_at:%Y-%m-%d %H:%M}",
        "status": SUBMISSION_STATUS_LABELS.get(pending.status, pending.status),
        "decided_by": pending.decided_by,
        "reason": pending.reason,
    }


def _import_report(name: str, read, plan: store.ImportPlan, published) -> dict[str, Any]:
    """What an import would do, row by row, for the coordinator to read before anything is written."""
    from samen030_map.db.submissions import possible_duplicates

    problems = [{"row": p.row if p.row is not None else "", "column": p.column, "value": p.value, "reason": p.reason} for p in read.problems]
    for text in plan.problems:  # "rij N, field: reason" from checks on the merged item
        where, _, rest = text.partition(", ")
        column, _, reason = rest.partition(": ")
        problems.append({"row": where.removeprefix("rij "), "column": column, "value": "", "reason": reason or rest})
    duplicates = []
    for entry in plan.new:
        for match in possible_duplicates(entry, [e for e in published if e.entity == entry.entity]):
            duplicates.append({"name": entry.name, "other": match["name"], "why": DUPLICATE_LABELS[match["why"]]})
    return {
        "file": name,
        "rows": read.rows,
        "good": len(plan.new) + len(plan.changed) + len(plan.unchanged),
        "problem_count": len(problems),
        "problems": problems[:300],
        "new": [entry.name for entry in plan.new],
        "changed": [{"name": entry.name, "fields": ", ".join(changes)} for entry, changes in plan.changed],
        "unchanged": len(plan.unchanged),
        "archived": len(plan.archived),
        "duplicates": duplicates,
        "writes": len(plan.new) + len(plan.changed),
    }
