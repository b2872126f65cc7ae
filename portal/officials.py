"""The province's officials who sign in to the dashboard, and their sessions.

Passwords are kept as Argon2id hashes and checked outside any write transaction (a check
takes tens of milliseconds; writers are serialised). Five wrong passwords in a row lock the
name for fifteen minutes, counted in the database so that every worker process sees it and
a restart does not forget it. A session is a row whose id the browser holds in a cookie,
signed with a secret the portal makes once and keeps in its database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.agencies import get_agency
from portal.db import Database
from portal.errors import PortalError, invalid
from portal.models import Agency, Official, OfficialSession, PortalSecret
from protocol import format_datetime, printable

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
_SECRET_NAME = "session_signing_key"  # noqa: S105 (a name, not a secret)

_hasher = PasswordHasher()  # Argon2id, the library's recommended profile


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches: an unknown name takes as long to refuse as a known one."""
    return _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class SignedIn:
    """Who is looking: an official and what they may see (``agency_id`` None: everything)."""

    session_id: str
    official_id: int
    username: str
    full_name: str
    agency_id: int | None
    agency_code: str | None
    agency_name: str | None


class SignInRefused(PortalError):
    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__("signin_refused", message_vi, message_en, http_status=401)


# -- accounts ---------------------------------------------------------------------------------


def check_new_password(password: str, username: str) -> str:
    if len(password.strip()) < MIN_PASSWORD_LENGTH or password.strip().lower() == username:
        raise invalid(
            f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự và khác tên đăng nhập.",
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters and must differ "
            "from the username.",
        )
    return password.strip()


def add_official(
    session: Session,
    username: str,
    full_name: str,
    password: str,
    now: datetime,
    agency_code: str | None = None,
) -> Official:
    """A new official: of the whole province, or with ``agency_code`` of that agency only."""
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise invalid(
            f"Tên đăng nhập '{printable(username, 64)}' không hợp lệ (3–64 ký tự: chữ thường "
            "không dấu, số, dấu chấm, gạch ngang, gạch dưới).",
            f"Invalid username '{printable(username, 64)}' (3-64 characters: lower-case "
            "letters, digits, '.', '-', '_').",
        )
    full_name = " ".join(full_name.split())
    if not 1 <= len(full_name) <= 200:
        raise invalid("Họ tên cần từ 1 đến 200 ký tự.", "The full name needs 1 to 200 characters.")
    if session.scalar(select(Official.id).where(Official.username == username)) is not None:
        raise PortalError(
            "official_exists",
            f"Đã có tài khoản '{username}'.",
            f"There is already an account '{username}'.",
            http_status=409,
        )
    agency_id = get_agency(session, agency_code).id if agency_code else None
    official = Official(
        username=username,
        full_name=full_name,
        agency_id=agency_id,
        password_hash=_hasher.hash(check_new_password(password, username)),
        active=True,
        failed_signins=0,
        locked_until=None,
        created_at=now,
        last_signin_at=None,
    )
    session.add(official)
    session.flush()
    return official


def list_officials(session: Session) -> list[dict[str, object]]:
    rows = session.execute(
        select(Official, Agency.code)
        .outerjoin(Agency, Agency.id == Official.agency_id)
        .order_by(Official.username)
    )
    return [
        {
            "username": o.username,
            "full_name": o.full_name,
            "agency_code": code or "",
            "active": o.active,
            "last_signin_at": format_datetime(o.last_signin_at) if o.last_signin_at else "",
        }
        for o, code in rows
    ]


# -- signing in -------------------------------------------------------------------------------

_WRONG = (
    "Tên đăng nhập hoặc mật khẩu không đúng.",
    "Wrong username or password.",
)


def _locked(until: datetime) -> SignInRefused:
    shown = until.strftime("%H:%M ngày %d/%m/%Y")
    return SignInRefused(
        f"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {shown}.",
        f"Too many wrong passwords; the account is locked until {until:%H:%M on %d/%m/%Y}.",
    )


def sign_in(db: Database, username: str, password: str, now: datetime) -> str:
    """A new session's id for the right password; ``SignInRefused`` otherwise (a wrong
    password, an unknown or disabled name all get the same words)."""
    username = username.strip().lower()[:64]
    with db.read() as session:
        official = session.scalar(select(Official).where(Official.username == username))
    if official is not None and official.locked_until is not None and official.locked_until > now:
        raise _locked(official.locked_until)
    try:
        _hasher.verify(official.password_hash if official else _dummy_hash(), password)
        right = official is not None
    except (VerificationError, InvalidHashError):
        right = False
    if official is None:
        raise SignInRefused(*_WRONG)
    with db.write() as session:
        row = session.get(Official, official.id)
        assert row is not None
        if row.locked_until is not None and row.locked_until > now:
            raise _locked(row.locked_until)  # locked meanwhile, by another worker
        if not right or not row.active:
            if not right:
                row.failed_signins += 1
                if row.failed_signins >= MAX_FAILURES:
                    row.failed_signins = 0
                    row.locked_until = now + LOCK_DURATION
            failure: SignInRefused = (
                _locked(row.locked_until)
                if row.locked_until is not None and row.locked_until > now
                else SignInRefused(*_WRONG)
            )
        else:
            row.failed_signins = 0
            row.locked_until = None
            row.last_signin_at = now
            session_id = secrets.token_urlsafe(32)
            session.add(
                OfficialSession(
                    id=session_id,
                    official_id=row.id,
                    created_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
            return session_id
    raise failure  # after the failure's count is committed


def load_session(session: Session, session_id: str, now: datetime) -> SignedIn | None:
    """The official of a live session of an active account, or None."""
    row = session.execute(
        select(OfficialSession, Official, Agency)
        .join(Official, Official.id == OfficialSession.official_id)
        .outerjoin(Agency, Agency.id == Official.agency_id)
        .where(OfficialSession.id == session_id)
    ).first()
    if row is None:
        return None
    live, official, agency = row
    if live.expires_at <= now or not official.active:
        return None
    return SignedIn(
        session_id=session_id,
        official_id=official.id,
        username=official.username,
        full_name=official.full_name,
        agency_id=official.agency_id,
        agency_code=agency.code if agency else None,
        agency_name=agency.name if agency else None,
    )


def sign_out(session: Session, session_id: str, now: datetime) -> None:
    """Ends the session (and drops every expired one)."""
    session.execute(
        delete(OfficialSession).where(
            (OfficialSession.id == session_id) | (OfficialSession.expires_at <= now)
        )
    )


# -- the signing key --------------------------------------------------------------------------


def signing_key(db: Database) -> bytes:
    """The portal's secret for signing cookies: made once, kept in the database."""
    with db.read() as session:
        value = session.scalar(select(PortalSecret.value).where(PortalSecret.name == _SECRET_NAME))
    if value is None:
        with db.write() as session:  # writers are serialised: one process makes it
            value = session.scalar(
                select(PortalSecret.value).where(PortalSecret.name == _SECRET_NAME)
            )
            if value is None:
                value = secrets.token_hex(32)
                session.add(PortalSecret(name=_SECRET_NAME, value=value))
    return bytes.fromhex(value)


def sign(key: bytes, purpose: str, value: str) -> str:
    mac = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(key: bytes, purpose: str, signed: str) -> str | None:
    """The value of a string ``sign`` made with this key and purpose, else None."""
    value = signed.rpartition(".")[0]
    if not value or not hmac.compare_digest(sign(key, purpose, value), signed):
        return None
    return value
