"""Residents' submissions: "Meld je initiatief aan" and "Klopt er iets niet?", and their review.

- Anyone may submit; nothing they submit is public until a coordinator approves it. A pending
  submission is a row of `submission`, never of the registry tables, so no public page, search, list,
  export or figure can see it.
- Floods are limited: at most LIMIT_PER_HOUR submissions per browser session and per client address
  (stored only as hashes). A filled-in honeypot field (invisible to people) is dropped without a word.
- Every field is checked by the registry's own validation (core/registry.py), texts stay text.
- Deciding (approve, approve after editing, merge into an existing item, reject with a reason) needs a
  coordinator whose wijken hold the item, or a beheerder; each decision is recorded with who and when,
  and an approval becomes a registry item through db/store.py like any other write (history, revision).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from samen030_map.core.boundaries import Boundaries
from samen030_map.core.registry import FIELDS_BY_NAME, RegistryEntry, RegistryError, clean_entry, validate_entry
from samen030_map.core.safety import text_problems
from samen030_map.core.schema import format_cell, parse_cell
from samen030_map.db import store
from samen030_map.db.accounts import PermissionDenied, User, may_edit
from samen030_map.db.models import Submission, utc_now

LIMIT_PER_HOUR = 5
WISHES = ("lid", "steun", "kaart")
# The fields a resident fills in; the rest is the coordinators' work.
SUBMITTED_FIELDS = ("name", "kind", "description", "themes", "area_level", "area_codes", "address", "postcode", "website", "founded")
SOURCE_TEXT = "aanmelding via de Buurtkaart"
MESSAGE_LIMIT = 2000
CONTACT_LIMIT = 500


class SubmissionRefused(ValueError):
    """A submission that is not stored; `problems` maps a field to its Dutch reason."""

    def __init__(self, message: str, problems: dict[str, str] | None = None):
        super().__init__(message)
        self.problems = problems or {}


@dataclass(frozen=True)
class Pending:
    """A submission as the review queue shows it."""

    id: int
    kind: str
    entity: str
    entry: RegistryEntry | None  # the proposed item (aanmelding)
    target_key: str  # correctie
    message: str
    contact: str
    wish: str
    created_at: datetime
    status: str
    decided_by: str
    reason: str
    result_key: str


def _hash(text: str) -> str:
    return hashlib.sha256(f"samen030:{text}".encode()).hexdigest()[:32] if text else ""


def _check_flood(session: Session, client: str, browser: str, now: datetime) -> None:
    since = now - timedelta(hours=1)
    for column, value in ((Submission.client, client), (Submission.session, browser)):
        if value:
            count = session.exec(select(func.count()).select_from(Submission).where(column == value, Submission.created_at >= since)).one()
            if count >= LIMIT_PER_HOUR:
                raise SubmissionRefused(f"U heeft het afgelopen uur al {LIMIT_PER_HOUR} keer iets gestuurd. Probeer het over een uur opnieuw.")


def draft_entry(entity: str, fields: dict[str, str], today: date | None = None) -> tuple[RegistryEntry, dict[str, str]]:
    """The item a resident proposes, from the form's text; and the fields that could not be read."""
    today = today or date.today()
    values, problems = {}, {}
    for name in SUBMITTED_FIELDS:
        spec = FIELDS_BY_NAME[name]
        text = str(fields.get(name, ""))
        value, problem = (spec.default_value, "") if spec.kind == "choice" and not text.strip() else parse_cell(spec, text)
        values[name] = value
        if problem:
            problems[name] = problem
    draft = RegistryEntry(
        entity=entity, id=f"aanmelding-{slug(values['name'])}", status="actief", source_text=f"{SOURCE_TEXT}, {today.isoformat()}",
        source_read_on=today, location_precision="onbekend", **{k: v for k, v in values.items() if k not in ("id",)},
    )
    return clean_entry(draft), problems


def slug(name: str) -> str:
    """A stable id from a name: 'Buurthuis De Bolder!' -> 'buurthuis-de-bolder'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:70] or "item"


def _field_problems(problems: list[str]) -> dict[str, str]:
    by_field: dict[str, str] = {}
    for problem in problems:
        name, _, reason = problem.partition(": ")
        name = {"lat/lon": "address", "id": "name"}.get(name, name)
        by_field[name] = (by_field.get(name, "") + " " + reason).strip()
    return by_field


def submit_initiative(
    db: Engine, entity: str, fields: dict[str, str], contact: str, wish: str, boundaries: Boundaries,
    client: str = "", browser: str = "", honeypot: str = "", now: datetime | None = None,
) -> int | None:  # fmt: skip
    """Store a proposed initiative as pending; its id, or None for a dropped bot. Raises SubmissionRefused."""
    if honeypot.strip():
        return None  # only a program fills in a field people cannot see; tell it nothing
    now = now or utc_now()
    if entity not in ("organisation", "meeting_place"):
        raise SubmissionRefused("Kies of het een organisatie of een ontmoetingsplek is.", {"entity": "kies een van de twee"})
    draft, problems = draft_entry(entity, fields, now.date())
    problems |= _field_problems(validate_entry(draft, boundaries, now.date()))
    if draft.area_level != "stad" and not draft.area_codes:
        problems["area_codes"] = "kies op de kaart, of typ, waar het initiatief werkt"
    problems |= _text_problems("contact", contact, CONTACT_LIMIT)
    if wish not in WISHES:
        problems["wish"] = "kies wat het initiatief wil"
    if problems:
        raise SubmissionRefused("Nog niet verstuurd: verbeter de velden met een melding.", problems)
    with Session(db) as session:
        _check_flood(session, _hash(client), _hash(browser), now)
        row = Submission(
            kind="aanmelding", entity=entity, content=_as_json(draft), contact=contact.strip(), wish=wish,
            client=_hash(client), session=_hash(browser), created_at=now,
        )  # fmt: skip
        session.add(row)
        session.commit()
        return row.id


def submit_correction(
    db: Engine, target_key: str, message: str, contact: str, known_keys, client: str = "", browser: str = "",
    honeypot: str = "", now: datetime | None = None,
) -> int | None:  # fmt: skip
    """Store "klopt er iets niet?" about a published item as pending. Raises SubmissionRefused."""
    if honeypot.strip():
        return None
    now = now or utc_now()
    if target_key not in known_keys:
        raise SubmissionRefused("Dit item bestaat niet (meer).")
    problems = _text_problems("message", message, MESSAGE_LIMIT, required=True) | _text_problems("contact", contact, CONTACT_LIMIT)
    if problems:
        raise SubmissionRefused("Nog niet verstuurd: verbeter de velden met een melding.", problems)
    with Session(db) as session:
        _check_flood(session, _hash(client), _hash(browser), now)
        row = Submission(
            kind="correctie", entity=target_key.partition(":")[0], target_key=target_key, message=message.strip(), contact=contact.strip(),
            client=_hash(client), session=_hash(browser), created_at=now,
        )  # fmt: skip
        session.add(row)
        session.commit()
        return row.id


def _text_problems(name: str, value: str, limit: int, required: bool = False) -> dict[str, str]:
    if not isinstance(value, str):
        return {name: "verwacht tekst"}
    if required and not value.strip():
        return {name: "vul dit in"}
    problems = text_problems(value, limit, multiline=True)
    return {name: "; ".join(problems)} if problems else {}


def _as_json(entry: RegistryEntry) -> str:
    return json.dumps({name: format_cell(spec, getattr(entry, name)) for name, spec in FIELDS_BY_NAME.items()}, ensure_ascii=False)


def _from_json(entity: str, text: str) -> RegistryEntry:
    values = json.loads(text)
    parsed = {name: parse_cell(spec, values.get(name, ""))[0] if values.get(name, "") != "" else spec.default_value for name, spec in FIELDS_BY_NAME.items()}
    return RegistryEntry(entity=entity, **parsed)


def _pending(row: Submission) -> Pending:
    entry = _from_json(row.entity, row.content) if row.kind == "aanmelding" else None
    return Pending(
        row.id, row.kind, row.entity, entry, row.target_key, row.message, row.contact, row.wish, row.created_at, row.status,
        row.decided_by, row.reason, row.result_key,
    )  # fmt: skip


# --- the review queue (coordinators) --------------------------------------------------------------


def waiting(db: Engine) -> list[Pending]:
    """Submissions waiting for a decision, newest first."""
    with Session(db) as session:
        rows = session.exec(select(Submission).where(Submission.status == "wacht").order_by(Submission.created_at.desc(), Submission.id.desc()))
        return [_pending(row) for row in rows]


def decided(db: Engine, limit: int = 50) -> list[Pending]:
    """The latest decisions (who, when, what, why): the queue's own history."""
    with Session(db) as session:
        rows = session.exec(select(Submission).where(Submission.status != "wacht").order_by(Submission.decided_at.desc()).limit(limit))
        return [_pending(row) for row in rows]


def waiting_count(db: Engine) -> int:
    with Session(db) as session:
        return session.exec(select(func.count()).select_from(Submission).where(Submission.status == "wacht")).one()


def get(db: Engine, submission_id: int) -> Pending | None:
    with Session(db) as session:
        row = session.get(Submission, submission_id)
        return _pending(row) if row is not None else None


def _decide(db: Engine, submission_id: int, user: User | None, boundaries: Boundaries, status: str, reason: str = "", result_key: str = "") -> None:
    with Session(db) as session:
        row = session.get(Submission, submission_id)
        if row is None or row.status != "wacht":
            raise RegistryError("Deze aanmelding is al afgehandeld (of bestaat niet).")
        _require(user, _pending(row), boundaries, db)
        row.status, row.decided_by, row.decided_at = status, user.name, utc_now()
        row.reason, row.result_key = reason, result_key
        session.commit()


def _require(user: User | None, pending: Pending, boundaries: Boundaries, db: Engine) -> None:
    """Who may decide: a coordinator whose wijken hold the proposed (or corrected) item, or a beheerder."""
    if user is None:
        raise PermissionDenied("Log eerst in.")
    subject = pending.entry
    if subject is None and pending.target_key:
        entity, _, entry_id = pending.target_key.partition(":")
        stored = store.get_stored(db, entity, entry_id)
        subject = stored.entry if stored else None
    if subject is None or not may_edit(user, subject, boundaries):
        raise PermissionDenied("Je account mag alleen aanmeldingen in je eigen wijken afhandelen.")


def unique_id(db: Engine, entity: str, base: str) -> str:
    """base, or base-2, base-3 … when an item (also an archived one) already has it."""
    candidate, number = base, 1
    while store.get_stored(db, entity, candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def approve(db: Engine, submission_id: int, user: User | None, boundaries: Boundaries, edited: RegistryEntry | None = None) -> str:
    """Make the proposal (or the coordinator's edited version of it) a registry item; its key."""
    pending = get(db, submission_id)
    if pending is None or pending.kind != "aanmelding" or pending.status != "wacht":
        raise RegistryError("Deze aanmelding is al afgehandeld (of bestaat niet).")
    entry = edited or pending.entry
    if not entry.source_text and not entry.source_url:
        entry = dataclasses.replace(entry, source_text=pending.entry.source_text)
    entry = dataclasses.replace(entry, id=unique_id(db, entry.entity, slug(entry.name)), contact=entry.contact or pending.contact)
    _require(user, dataclasses.replace(pending, entry=entry), boundaries, db)
    store.add_entry(db, entry, boundaries, user, action="aanmelding")
    key = f"{entry.entity}:{entry.id}"
    _decide(db, submission_id, user, boundaries, "goedgekeurd", result_key=key)
    return key


def reject(db: Engine, submission_id: int, user: User | None, boundaries: Boundaries, reason: str) -> None:
    if not reason.strip():
        raise RegistryError("Schrijf kort waarom de aanmelding wordt afgewezen.")
    _decide(db, submission_id, user, boundaries, "afgewezen", reason=reason.strip()[:500])


def merge(db: Engine, submission_id: int, target_key: str, user: User | None, boundaries: Boundaries) -> None:
    """Fold a proposal into an existing item: its empty fields take the proposal's, the rest stays; the
    resident's contact goes into the coordinators' notes. Itself a recorded change of the item."""
    pending = get(db, submission_id)
    entity, _, entry_id = target_key.partition(":")
    stored = store.get_stored(db, entity, entry_id) if entity in ("organisation", "meeting_place") else None
    if pending is None or pending.kind != "aanmelding" or stored is None:
        raise RegistryError("Kies een bestaand item om mee samen te voegen.")
    changes = {
        name: getattr(pending.entry, name)
        for name in ("description", "website", "address", "postcode", "founded", "themes")
        if getattr(pending.entry, name) and not getattr(stored.entry, name)
    }
    if pending.contact:
        changes["notes"] = (stored.entry.notes + f"\nContact uit aanmelding {submission_id}: {pending.contact}").strip()
    if changes:
        store.update_entry(db, entry_id, changes, boundaries, entity, user, action="samengevoegd")
    _decide(db, submission_id, user, boundaries, "samengevoegd", result_key=target_key)


def resolve_correction(db: Engine, submission_id: int, user: User | None, boundaries: Boundaries, reason: str = "") -> None:
    """A correction is dealt with (the coordinator changed the item, or decided it was right)."""
    _decide(db, submission_id, user, boundaries, "afgehandeld", reason=reason.strip()[:500])


def possible_duplicates(entry: RegistryEntry, candidates) -> list[dict[str, str]]:
    """Published items that may be the same; "why" is "naam" (a similar name) or "buurt" (the same kind
    in the same buurt or wijk)."""
    def normal(name: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()))

    mine, found = normal(entry.name), []
    for other in candidates:
        why = ""
        if mine and difflib.SequenceMatcher(None, mine, normal(other.name)).ratio() >= 0.75:
            why = "naam"
        elif other.kind == entry.kind and set(other.area_codes) & set(entry.area_codes):
            why = "buurt"
        if why:
            found.append({"key": f"{other.entity}:{other.id}", "name": other.name, "why": why})
    return found
