"""Accounts, roles and sign-in. Passwords are hashed with Argon2id (memory-hard)."""

from __future__ import annotations

import contextlib
import functools
import logging
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter import audit, validation
from counter.clock import now
from counter.db import Database
from counter.errors import AuthenticationFailed, InvalidInput, NotAllowed, NotFound
from counter.models import User
from counter.statuses import ADMIN, CLERK, SUPERVISOR
from counter.views import UserView

log = logging.getLogger("counter.accounts")

ROLES = (CLERK, SUPERVISOR, ADMIN)
ROLE_LABELS_VI = {CLERK: "Cán bộ tiếp nhận", SUPERVISOR: "Lãnh đạo bộ phận", ADMIN: "Quản trị"}
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=5)

_hasher = PasswordHasher()  # Argon2id, 64 MiB, 3 passes: the library's recommended profile


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown usernames, so they take as long as known ones."""
    return _hasher.hash("not a password of anyone")


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


class AccountService:
    def __init__(self, db: Database):
        self.db = db

    def has_users(self) -> bool:
        with self.db.reading() as s:
            return bool(s.scalar(select(func.count()).select_from(User)))

    def add_user(
        self, actor: Actor | None, username: str, full_name: str, role: str, password: str
    ) -> UserView:
        """The first account may be created by nobody; later ones need an admin."""
        name = validation.username(username)
        full = validation.person_name(full_name, "full_name")
        role = _role(role)
        validation.password(password)
        pw_hash = _hasher.hash(password)
        with self.db.unit_of_work() as s:
            first = not s.scalar(select(func.count()).select_from(User))
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
        """Sign in. Five wrong passwords lock the account for five minutes.

        A failed attempt is itself recorded (the count and the lock must survive), the one
        change a refused sign-in makes.
        """
        name = username.strip().lower()
        wrong = AuthenticationFailed(
            "Tên đăng nhập hoặc mật khẩu không đúng", "Wrong username or password"
        )
        with self.db.unit_of_work() as s:
            user = s.scalar(select(User).where(User.username == name))
            if user is None:
                with contextlib.suppress(VerificationError):
                    _hasher.verify(_dummy_hash(), password)  # same time as a real check
                raise wrong
            moment = now()
            if user.locked_until and user.locked_until > moment:
                raise AuthenticationFailed(
                    f"Tài khoản '{name}' đang bị khóa đến {user.locked_until:%H:%M:%S} do nhập "
                    "sai mật khẩu nhiều lần",
                    f"The account '{name}' is locked until {user.locked_until:%H:%M:%S} after "
                    "too many wrong passwords",
                )
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                user.failed_attempts += 1
                details: dict[str, object] = {"attempts": user.failed_attempts}
                if user.failed_attempts >= MAX_FAILURES:
                    user.locked_until = moment + LOCK_DURATION
                    user.failed_attempts = 0
                    details["locked_until"] = user.locked_until.isoformat()
                    audit.append(s, name, "user.locked", "user", name, details)
                else:
                    audit.append(s, name, "user.login_failed", "user", name, details)
                user.updated_at = moment
                s.commit()
                raise wrong from None
            if not user.active:
                raise AuthenticationFailed(
                    f"Tài khoản '{name}' đã bị vô hiệu hóa", f"The account '{name}' is disabled"
                )
            if user.failed_attempts or user.locked_until:
                user.failed_attempts = 0
                user.locked_until = None
                user.updated_at = moment
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            return Actor(user.username, user.full_name, user.role)

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

    def set_active(self, actor: Actor, username: str, active: bool) -> UserView:
        require(actor, ADMIN, "quản lý tài khoản", "manage accounts")
        with self.db.unit_of_work() as s:
            user = self._load(s, username)
            if not active and user.username == actor.username:
                raise NotAllowed(
                    "Không thể tự vô hiệu hóa tài khoản đang dùng", "You cannot disable yourself"
                )
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
            user.role = role
            user.updated_at = now()
            audit.append(s, actor.username, "user.role", "user", user.username, {"role": role})
            return _view(user)

    def reset_password(self, actor: Actor, username: str, new_password: str) -> UserView:
        """An admin sets a new password (and lifts a lock); a user may change their own."""
        if actor.username != username.strip().lower():
            require(actor, ADMIN, "đặt lại mật khẩu", "reset passwords")
        validation.password(new_password)
        pw_hash = _hasher.hash(new_password)
        with self.db.unit_of_work() as s:
            user = self._load(s, username)
            user.password_hash = pw_hash
            user.failed_attempts = 0
            user.locked_until = None
            user.updated_at = now()
            audit.append(s, actor.username, "user.password", "user", user.username)
            return _view(user)
