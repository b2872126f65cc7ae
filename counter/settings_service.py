"""Reading and changing the counter's typed settings (``counter.settings`` has the schema).

Values are read once and cached until a setting changes; secrets (the portal token) live in
an owner-only file, never in the database or the logs. Every change is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter import audit, settings
from counter.accounts import ADMIN, Actor, require
from counter.codes import normalise_agency_code
from counter.db import Database
from counter.errors import InvalidInput, NotAllowed
from counter.models import Dossier, Setting

T = TypeVar("T")


class SettingsService:
    def __init__(self, db: Database, secrets: settings.SecretStore):
        self.db = db
        self.secrets = secrets
        self._cache: dict[str, str] | None = None
        #: values made of the settings (``derived``): name -> (the settings read, the value)
        self._derived: dict[str, tuple[dict[str, str], Any]] = {}

    def _stored(self) -> dict[str, str]:
        """Every stored setting, read once and kept until a setting changes."""
        cached = self._cache
        if cached is None:
            with self.db.reading() as s:
                cached = {r.key: r.value for r in s.scalars(select(Setting))}
            self._cache = cached
        return cached

    def invalidate(self) -> None:
        """Forget cached values (after another writer, e.g. sync, changed settings)."""
        self._cache = None

    def derived(self, name: str, make: Callable[[], T]) -> T:
        """A value made of the settings alone (the office's identity, its working hours),
        made once and kept as the settings are: until a setting changes."""
        stored = self._stored()
        found = self._derived.get(name)
        if found is None or found[0] is not stored:
            found = self._derived[name] = (stored, make())
        return found[1]  # type: ignore[no-any-return]

    def get(self, key: str) -> Any:
        spec = settings.spec_for(key)
        if spec is None:
            settings.parse_value(key, "")  # raises the "no such setting" refusal
            raise AssertionError
        if spec.secret:
            return self._secret(key, spec)
        return settings.decode(key, self._stored().get(key))

    def _secret(self, key: str, spec: settings.Spec) -> str:
        """A stored secret, refused if it is not one ``config set`` would take now (a token
        with a line break, written before tokens were checked, would break a request)."""
        value = self.secrets.get(key)
        try:
            spec.parse(value)
        except settings.Bad:
            raise InvalidInput(
                f"'{key}' đã lưu không dùng được; đặt lại bằng 'counter-admin config set {key}'",
                f"The stored '{key}' cannot be used; set it again with "
                f"'counter-admin config set {key}'",
                field=key,
            ) from None
        return value

    def get_many(self, prefix: str) -> dict[str, Any]:
        """Every setting whose key starts with ``prefix`` (secrets aside), and the stored
        ``agency.<procedure code>`` ones it covers."""
        stored = self._stored()
        values = {
            key: settings.decode(key, stored.get(key))
            for key, spec in settings.SPECS.items()
            if key.startswith(prefix) and not spec.secret
        }
        for key, raw in stored.items():
            named = key.startswith(settings.AGENCY_PREFIX) and key.startswith(prefix)
            if named and settings.spec_for(key) is not None:
                values[key] = settings.decode(key, raw)
        return values

    def set(self, actor: Actor | None, key: str, raw: str) -> Any:
        spec = settings.spec_for(key)
        if spec is not None:
            settings.refuse_if_from_agency(spec)
        value = settings.parse_value(key, raw)
        assert spec is not None  # parse_value refused an unknown key
        if actor is not None and spec.admin_only:
            require(actor, ADMIN, f"đổi thiết lập '{key}'", f"change the setting '{key}'")
        if key == "office.agency_code":
            value = normalise_agency_code(value)
        with self.db.unit_of_work() as s:
            if key == LOOKUP_BASE_URL:
                _keep_the_printed_address(s, value)
            if spec.secret:
                self.secrets.set(key, value)
                shown: Any = settings.mask_secret(value)
            else:
                s.merge(Setting(key=key, value=settings.encode(value)))
                shown = value
            audit.append(
                s,
                actor.username if actor else "system",
                "config.set",
                "setting",
                key,
                {"value": shown},
            )
        self.invalidate()
        return value


#: The address the QR code of every receipt starts with (protocol.lookup).
LOOKUP_BASE_URL = "office.lookup_base_url"


def _keep_the_printed_address(s: Session, value: str) -> None:
    """Receipts stay in citizens' hands for years and their QR codes hold the lookup address:
    once a real (not demo) dossier exists, the address stays as it is. Setting a first one,
    where receipts were printed with none, changes no printed code and is allowed."""
    row = s.get(Setting, LOOKUP_BASE_URL)
    current = settings.decode(LOOKUP_BASE_URL, row.value if row else None)
    if not current or value == current:
        return
    if s.scalar(select(Dossier.id).where(Dossier.is_demo.is_(False)).limit(1)) is None:
        return
    raise NotAllowed(
        f"Không đổi địa chỉ tra cứu khi đã có hồ sơ: mã QR trên các giấy tiếp nhận đã in trỏ "
        f"tới {current}, công dân giữ giấy nhiều năm. Nếu cổng chuyển chỗ, hãy giữ địa chỉ cũ "
        "chuyển tiếp sang địa chỉ mới",
        f"The lookup address cannot change once dossiers exist: the QR codes on receipts "
        f"already printed point to {current}, and citizens keep them for years. If the portal "
        "moves, keep the old address redirecting to the new one",
        field=LOOKUP_BASE_URL,
    )
