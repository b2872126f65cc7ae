"""Accounts, roles and sign-in. Passwords are hashed with Argon2id (memory-hard)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from counter import audit, validation
from counter.clock import now, wall_now
from counter.db import Database
from counter.errors import AuthenticationFailed, InvalidInput, NotAllowed, NotFound
from counter.models import SigninFailure, User
from counter.statuses import ADMIN, CLERK, SUPERVISOR
from counter.views import UserView

log = logging.getLogger("counter.accounts")

ROLES = (CLERK, SUPERVISOR, ADMIN)
ROLE_LABELS_VI = {CLERK: "Cán bộ tiếp nhận", SUPERVISOR: "Lãnh đạo bộ phận", ADMIN: "Quản trị"}
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=5)
#: How long the count of wrong tries under a name no account has is kept after the last one.
UNKNOWN_NAME_MEMORY = timedelta(days=1)
MIN_PASSWORD_LENGTH = 8
#: A password needs this many different characters ("aaaaaaaa", "abababab" are refused).
MIN_DISTINCT_CHARACTERS = 4
#: Passwords at the top of every leaked list, and the ones an office would think of first
#: (compared without regard to case).
COMMON_PASSWORDS = frozenset(
    {
        "12345678",
        "123456789",
        "1234567890",
        "12345678910",
        "87654321",
        "123123123",
        "123456abc",
        "abc12345",
        "abcd1234",
        "a1b2c3d4",
        "qwertyui",
        "qwerty123",
        "password",
        "password1",
        "password123",
        "iloveyou",
        "admin123",
        "admin@123",
        "matkhau1",
        "matkhau123",
        "matkhau@123",
        "quantri123",
        "motcua123",
    }
)

_hasher = PasswordHasher()  # Argon2id, 64 MiB, 3 passes: the library's recommended profile


#: The hash of a random password no one knows, made with the hasher's parameters: an
#: unknown username is checked against it, so it takes as long as a known one. Written out
#: rather than made at the first use, which would add half a second to the first unknown
#: name a program sees (each command line is a new program).
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$IbHlSDURPHjlGBydGRh6lQ"
    "$toiSsecQd1vpkaD0DpFbZ5+y+mo3dhZg3bwrHHjgAUw"
)


@functools.cache
def _dummy_hash() -> str:
    """``_DUMMY_HASH``, or a new one if the hasher's parameters have changed since."""
    if _hasher.check_needs_rehash(_DUMMY_HASH):
        return _hasher.hash("not a password of anyone")
    return _DUMMY_HASH


RANK = {CLERK: 1, SUPERVISOR: 2, ADMIN: 3}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user (or the portal, for statuses it sends)."""

    username: str
    full_name: str
    role: str

    def at_least(self, role: str) -> bool:
        return RANK.get(self.role, 0) >= RANK[role]


def require(actor: Actor, role: str, what_vi: str, what_en: str) -> None:
    if not actor.at_least(role):
        raise NotAllowed(
            f"Tài khoản '{actor.username}' ({ROLE_LABELS_VI.get(actor.role, actor.role)}) "
            f"không được {what_vi}",
            f"The account '{actor.username}' ({actor.role}) may not {what_en}",
        )


def _view(u: User) -> UserView:
    return UserView(u.username, u.full_name, u.role, u.active, u.locked_until)


def _role(value: str) -> str:
    if value not in ROLES:
        raise InvalidInput(
            f"Vai trò không hợp lệ: '{value}' (clerk, supervisor hoặc admin)",
            f"Invalid role: '{value}' (clerk, supervisor or admin)",
            field="role",
        )
    return value


def check_password(value: str, username: str = "", field: str = "password") -> str:
    """A password an office may use: at least eight characters besides the spaces around
    them (spaces inside make a pass phrase), not one or two characters over and over, not
    one of the first few anyone tries, not the username."""
    validation.password(value, field)  # the bounds of length and no control characters
    core = value.strip()
    if len(core) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự, không kể dấu cách ở đầu "
            "và cuối",
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters besides spaces at "
            "its ends",
            field=field,
        )
    folded = core.casefold()
    guessable = len(set(folded)) < MIN_DISTINCT_CHARACTERS or folded in COMMON_PASSWORDS
    if guessable or (username and folded == username.strip().casefold()):
        raise InvalidInput(
            "Mật khẩu quá dễ đoán (trùng tên đăng nhập, lặp một vài ký tự hoặc là mật khẩu "
            "phổ biến): hãy chọn mật khẩu khác",
            "The password is too easy to guess (the username, a few characters repeated, or "
            "a common password): choose another",
            field=field,
        )
    return value


def _verify(password_hash: str, password: str) -> bool:
    """The slow check (about half a second): called with no transaction open."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _wrong() -> AuthenticationFailed:
    """The one answer to a wrong password, a name no account has and a disabled account
    (to whoever does not give its password): it never tells whether an account exists."""
    return AuthenticationFailed(
        "Tên đăng nhập hoặc mật khẩu không đúng", "Wrong username or password"
    )


def _locked(until: datetime) -> AuthenticationFailed:
    """Names no account has are locked as accounts are, so this says nothing of existence."""
    return AuthenticationFailed(
        f"Tên đăng nhập này đang bị khóa đến {until:%H:%M:%S} ngày {until:%d/%m/%Y} do nhập "
        "sai mật khẩu nhiều lần; hãy thử lại sau thời điểm đó hoặc nhờ người quản trị đặt lại "
        "mật khẩu",
        f"This username is locked until {until:%H:%M:%S} on {until:%d/%m/%Y} after too many "
        "wrong passwords; try again after that or ask an admin to reset the password",
    )


def _could_be_a_username(name: str) -> bool:
    try:
        validation.username(name)
    except InvalidInput:
        return False
    return True


class AccountService:
    def __init__(self, db: Database):
        self.db = db

    def has_users(self) -> bool:
        with self.db.reading() as s:
            return bool(s.scalar(select(func.count()).select_from(User)))

    def add_user(
        self, actor: Actor | None, username: str, full_name: str, role: str, password: str
    ) -> UserView:
        """The first account may be created by nobody, and is an admin; later ones need an
        admin."""
        name = validation.username(username)
        full = validation.person_name(full_name, "full_name")
        role = _role(role)
        check_password(password, name)
        pw_hash = _hasher.hash(password)
        with self.db.unit_of_work() as s:
            first = not s.scalar(select(func.count()).select_from(User))
            if first and role != ADMIN:
                raise NotAllowed(
                    "Tài khoản đầu tiên phải là tài khoản quản trị (--role admin): văn phòng "
                    "luôn cần một người quản trị",
                    "The first account must be an admin (--role admin): an office always needs one",
                )
            if not first:
                if actor is None:
                    raise NotAllowed(
                        "Cần đăng nhập bằng tài khoản quản trị (--user) để tạo tài khoản mới",
                        "Creating further accounts needs an admin (--user)",
                    )
                require(actor, ADMIN, "tạo tài khoản", "create accounts")
            if s.scalar(select(User).where(User.username == name)):
                raise InvalidInput(
                    f"Tên đăng nhập '{name}' đã có",
                    f"The username '{name}' is taken",
                    field="username",
                )
            moment = now()
            user = User(
                username=name,
                full_name=full,
                role=role,
                password_hash=pw_hash,
                active=True,
                failed_attempts=0,
                created_at=moment,
                updated_at=moment,
            )
            s.add(user)
            s.execute(delete(SigninFailure).where(SigninFailure.username == name))
            audit.append(
                s,
                actor.username if actor else name,
                "user.add",
                "user",
                name,
                {"role": role, "full_name": full, "first": first},
            )
            return _view(user)

    def authenticate(self, username: str, password: str) -> Actor:
        """Sign in. Five wrong passwords in a row lock the name for five minutes, whether an
        account has it or not.

        The password is checked with no transaction open (Argon2 takes about half a second,
        and other processes write meanwhile); only the bookkeeping after it writes, briefly:
        a failed attempt is recorded (the count and the lock must survive), the one change a
        refused sign-in makes.
        """
        name = username.strip().lower()
        moment = wall_now()  # a lockout ends by the real clock, never a test clock
        with self.db.reading() as s:
            user = s.scalar(select(User).where(User.username == name))
            tally: User | SigninFailure | None = user
            if user is None and _could_be_a_username(name):
                tally = s.get(SigninFailure, name)
        if tally is not None and tally.locked_until and tally.locked_until > moment:
            raise _locked(tally.locked_until)
        checked_hash = user.password_hash if user is not None else _dummy_hash()
        right = _verify(checked_hash, password)  # for an unknown name too: the same time
        if user is None or not right:
            self._count_failure(name, user is not None)
            raise _wrong()
        if not user.active:  # said only to whoever gave the account's password
            raise AuthenticationFailed(
                "Tài khoản này đã bị vô hiệu hóa: hãy liên hệ người quản trị",
                "This account is disabled: ask an admin",
            )
        new_hash = _hasher.hash(password) if _hasher.check_needs_rehash(checked_hash) else None
        if user.failed_attempts or user.locked_until or new_hash:
            with self.db.unit_of_work() as s:
                row = s.scalar(select(User).where(User.username == name))
                if row is None or row.password_hash != checked_hash or not row.active:
                    raise _wrong()  # changed while the password was being checked
                if row.locked_until and row.locked_until > moment:
                    raise _locked(row.locked_until)
                row.failed_attempts = 0
                row.locked_until = None
                row.updated_at = moment
                if new_hash:  # the hasher's parameters grew: the same password, hashed anew
                    row.password_hash = new_hash
                    audit.append(s, name, "user.rehash", "user", name, subject=row)
        return Actor(user.username, user.full_name, user.role)

    def _count_failure(self, name: str, known: bool) -> None:
        """One more wrong try under ``name``; the fifth in a row locks it. A short write."""
        if not known and not _could_be_a_username(name):
            return  # no account can ever have it, and everyone can know that
        with self.db.unit_of_work() as s:
            moment = wall_now()
            tally: User | SigninFailure | None
            if known:
                tally = s.scalar(select(User).where(User.username == name))
            else:
                s.execute(
                    delete(SigninFailure).where(
                        SigninFailure.updated_at < moment - UNKNOWN_NAME_MEMORY
                    )
                )
                tally = s.get(SigninFailure, name)
                if tally is None:
                    tally = SigninFailure(username=name, failed_attempts=0, updated_at=moment)
                    s.add(tally)
            if tally is None or (tally.locked_until and tally.locked_until > moment):
                return  # locked meanwhile by another try: the lock is not lengthened
            tally.failed_attempts += 1
            details: dict[str, object] = {"attempts": tally.failed_attempts}
            action = "user.login_failed"
            if tally.failed_attempts >= MAX_FAILURES:
                tally.locked_until = moment + LOCK_DURATION
                tally.failed_attempts = 0
                details["locked_until"] = tally.locked_until.isoformat()
                action = "user.locked"
            tally.updated_at = moment
            if known:
                audit.append(s, name, action, "user", name, details)
            elif action == "user.locked":
                log.warning("sign-in under the unknown name %r locked", name)

    def list_users(self) -> list[UserView]:
        with self.db.reading() as s:
            return [_view(u) for u in s.scalars(select(User).order_by(User.username))]

    def get(self, username: str) -> UserView:
        with self.db.reading() as s:
            return _view(self._load(s, username))

    @staticmethod
    def _load(s: Session, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise NotFound(f"Không có tài khoản '{username}'", f"No account '{username}'")
        return user

    @staticmethod
    def _keep_an_admin(s: Session, user: User, role: str, active: bool) -> None:
        """Refuse a change that would leave the office with no active admin."""
        if user.role != ADMIN or not user.active or (role == ADMIN and active):
            return
        others = s.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == ADMIN, User.active.is_(True), User.id != user.id)
        )
        if not others:
            raise NotAllowed(
                f"'{user.username}' là tài khoản quản trị cuối cùng đang hoạt động: hãy tạo "
                "hoặc bật một tài khoản quản trị khác trước",
                f"'{user.username}' is the last active admin: create or enable another admin first",
            )

    def set_active(self, actor: Actor, username: str, active: bool) -> UserView:
        require(actor, ADMIN, "quản lý tài khoản", "manage accounts")
        with self.db.unit_of_work() as s:
            user = self._load(s, username)
            if not active and user.username == actor.username:
                raise NotAllowed(
                    "Không thể tự vô hiệu hóa tài khoản đang dùng", "You cannot disable yourself"
                )
            self._keep_an_admin(s, user, user.role, active)
            user.active = active
            user.updated_at = now()
            audit.append(
                s,
                actor.username,
                "user.enable" if active else "user.disable",
                "user",
                user.username,
            )
            return _view(user)

    def set_role(self, actor: Actor, username: str, role: str) -> UserView:
        require(actor, ADMIN, "quản lý tài khoản", "manage accounts")
        role = _role(role)
        with self.db.unit_of_work() as s:
            user = self._load(s, username)
            self._keep_an_admin(s, user, role, user.active)
            user.role = role
            user.updated_at = now()
            audit.append(s, actor.username, "user.role", "user", user.username, {"role": role})
            return _view(user)

    def reset_password(self, actor: Actor, username: str, new_password: str) -> UserView:
        """An admin sets a new password (and lifts a lock); a user may change their own."""
        if actor.username != username.strip().lower():
            require(actor, ADMIN, "đặt lại mật khẩu", "reset passwords")
        check_password(new_password, username)
        pw_hash = _hasher.hash(new_password)
        with self.db.unit_of_work() as s:
            user = self._load(s, username)
            user.password_hash = pw_hash
            user.failed_attempts = 0
            user.locked_until = None
            user.updated_at = now()
            audit.append(s, actor.username, "user.password", "user", user.username)
            return _view(user)
