"""Accounts of the people who keep the map true: coordinators and beheerders (plain Python, no Reflex).

- No open sign-up: the first beheerder is made on the command line (`samen030-map user add`), later
  accounts by a beheerder in the workspace.
- Passwords are hashed with argon2id (argon2-cffi); the hash carries its own salt and parameters.
- Logging in makes a session: a random token for the browser (an HttpOnly cookie, see server/auth.py)
  of which only the SHA-256 is stored. Sessions end after SESSION_IDLE of no use, after SESSION_MAX
  in all, on log-out, and when the account is switched off.
- Failed logins are counted per name and per client address; too many in LOCKOUT_WINDOW lock both.
- Every write checks the user again here (``user_for_token`` reads the database on each call), so
  a switched-off or demoted account loses its rights at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func
from sqlmodel import Session, select

from samen030_map.db.models import LoginAttempt, LoginSession, UserAccount, utc_now
from samen030_map.labels import ROLE_LABELS  # noqa: F401  (the command line prints them)

ROLES = ("coordinator", "beheerder")
SESSION_IDLE = timedelta(hours=2)
SESSION_MAX = timedelta(hours=12)
LOCKOUT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 20
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_WIJKCODE = re.compile(r"^WK\d{6}$")
_hasher = PasswordHasher()
# Verifying against this when a name is unknown takes as long as a real check: timing says nothing.
_DUMMY_HASH = _hasher.hash("not a real password")


class AccountError(ValueError):
    """A refused account action, with a Dutch message for the person who asked."""


class PermissionDenied(AccountError):
    """The user may not make this change (no login, wrong role, or outside their wijken)."""


@dataclass(frozen=True)
class User:
    """Who is logged in, as read from the database for this one request."""

    id: int
    name: str
    role: str
    wijken: tuple[str, ...] = ()  # wijkcodes a coordinator may edit; () = all of Utrecht

    @property
    def is_beheerder(self) -> bool:
        return self.role == "beheerder"


# Seeding and migrations act as this user: the system's own data, not a person's edit.
SYSTEM = User(id=0, name="systeem", role="beheerder")


def entry_wijken(entry, boundaries) -> set[str] | None:
    """The wijkcodes an entry's werkgebied lies in; None for the whole city."""
    if entry.area_level == "stad":
        return None
    buurt_wijk = boundaries.buurten["wijkcode"]
    return {code if code.startswith("WK") else str(buurt_wijk.get(code, "")) for code in entry.area_codes}


def may_edit(user: User | None, entry, boundaries) -> bool:
    """Beheerders and coordinators without wijken edit everything; a coordinator with wijken only
    entries whose whole werkgebied lies in them (not city-wide ones)."""
    if user is None or user.role not in ROLES:
        return False
    if user.is_beheerder or not user.wijken:
        return True
    wijken = entry_wijken(entry, boundaries)
    return wijken is not None and wijken <= set(user.wijken)


def _as_user(row: UserAccount) -> User:
    return User(id=row.id, name=row.name, role=row.role, wijken=tuple(code for code in row.wijken.split(";") if code))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- accounts ---------------------------------------------------------------------------------


def check_new_account(name: str, password: str, role: str, wijken: tuple[str, ...], known_wijken) -> list[str]:
    """Everything wrong with a new account, as Dutch messages (empty = fine)."""
    problems = []
    if not _NAME.match(name or ""):
        problems.append("naam: 2 tot 40 tekens: kleine letters, cijfers, punt, streepje of liggend streepje")
    problems += check_password(password)
    if role not in ROLES:
        problems.append(f"rol: kies {' of '.join(ROLES)}")
    bad = [code for code in wijken if not _WIJKCODE.match(code) or code not in known_wijken]
    if bad:
        problems.append(f"wijken: onbekende wijkcode(s) {', '.join(bad)}")
    return problems


def check_password(password: str) -> list[str]:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        return [f"wachtwoord: minstens {MIN_PASSWORD_LENGTH} tekens"]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [f"wachtwoord: hoogstens {MAX_PASSWORD_LENGTH} tekens"]
    return []


def add_user(engine: Engine, name: str, password: str, role: str, wijken=(), created_by: str = "", known_wijken=None) -> User:
    """Make an account; raises AccountError (nothing written) when something is wrong or the name is taken."""
    name = (name or "").strip().lower()
    wijken = tuple(dict.fromkeys(code.strip().upper() for code in wijken if code.strip()))
    problems = check_new_account(name, password, role, wijken, known_wijken if known_wijken is not None else wijken)
    if problems:
        raise AccountError("; ".join(problems))
    with Session(engine) as session:
        if session.exec(select(UserAccount).where(UserAccount.name == name)).first():
            raise AccountError(f"naam: er is al een account {name!r}")
        row = UserAccount(name=name, password_hash=_hasher.hash(password), role=role, wijken=";".join(wijken), created_by=created_by)
        session.add(row)
        session.commit()
        session.refresh(row)
        return _as_user(row)


def list_users(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        rows = session.exec(select(UserAccount).order_by(UserAccount.name)).all()
        return [
            {"id": r.id, "name": r.name, "role": r.role, "wijken": [c for c in r.wijken.split(";") if c], "active": r.active}
            for r in rows
        ]


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    """Switch an account on or off; switching off ends its sessions at once."""
    with Session(engine) as session:
        row = session.get(UserAccount, user_id)
        if row is None:
            raise AccountError("onbekend account")
        row.active = active
        if not active:
            session.exec(delete(LoginSession).where(LoginSession.user_id == user_id))
        session.commit()


def count_beheerders(engine: Engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(UserAccount).where(UserAccount.role == "beheerder", UserAccount.active == True)  # noqa: E712
        return session.exec(query).one()


# --- logging in and out -----------------------------------------------------------------------


def log_in(engine: Engine, name: str, password: str, client: str = "") -> str:
    """A new session token for a correct name and password; raises AccountError otherwise.

    The message never says whether the name exists. Too many failures for the name or the client
    address within LOCKOUT_WINDOW refuse every attempt until the window has passed.
    """
    name = (name or "").strip().lower()[:64]
    now = utc_now()
    with Session(engine) as session:
        since = now - LOCKOUT_WINDOW
        failures = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.succeeded == False, LoginAttempt.at >= since)  # noqa: E712
        if session.exec(failures.where(LoginAttempt.name == name)).one() >= MAX_FAILURES_PER_NAME or (
            client and session.exec(failures.where(LoginAttempt.client == client)).one() >= MAX_FAILURES_PER_CLIENT
        ):
            raise AccountError("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.")
        row = session.exec(select(UserAccount).where(UserAccount.name == name)).first()
        ok = _verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None and row.active
        session.add(LoginAttempt(name=name, client=client[:64], at=now, succeeded=ok))
        if not ok:
            session.commit()
            raise AccountError("Naam of wachtwoord klopt niet.")
        token = secrets.token_urlsafe(32)
        session.add(LoginSession(token_hash=_token_hash(token), user_id=row.id, created_at=now, last_seen_at=now))
        session.commit()
        return token


def _verify(password_hash: str, password: str) -> bool:
    if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def user_for_token(engine: Engine, token: str | None) -> User | None:
    """The active user of a live session, or None (unknown, expired or switched-off)."""
    if not token:
        return None
    now = utc_now()
    with Session(engine) as session:
        login = session.get(LoginSession, _token_hash(token))
        if login is None:
            return None
        if now - _aware(login.created_at) > SESSION_MAX or now - _aware(login.last_seen_at) > SESSION_IDLE:
            session.delete(login)
            session.commit()
            return None
        row = session.get(UserAccount, login.user_id)
        if row is None or not row.active:
            return None
        if now - _aware(login.last_seen_at) > timedelta(minutes=1):  # keep it alive without a write per event
            login.last_seen_at = now
            session.commit()
        return _as_user(row)


def log_out(engine: Engine, token: str | None) -> None:
    if not token:
        return
    with Session(engine) as session:
        session.exec(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))
        session.commit()


def find_user(engine: Engine, name: str) -> User | None:
    """The active account with this name (for the command line's --als), or None."""
    with Session(engine) as session:
        row = session.exec(select(UserAccount).where(UserAccount.name == (name or "").strip().lower())).first()
        return _as_user(row) if row is not None and row.active else None
