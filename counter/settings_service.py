"""Reading and changing the counter's typed settings (``counter.settings`` has the schema).

Values are read once and cached until a setting changes; secrets (the portal token) live in
an owner-only file, never in the database or the logs. Every change is in the audit trail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from counter import audit, settings
from counter.accounts import ADMIN, Actor, require
from counter.codes import normalise_agency_code
from counter.db import Database
from counter.models import Setting


class SettingsService:
    def __init__(self, db: Database, secrets: settings.SecretStore):
        self.db = db
        self.secrets = secrets
        self._cache: dict[str, str] | None = None

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

    def get(self, key: str) -> Any:
        spec = settings.spec_for(key)
        if spec is None:
            settings.parse_value(key, "")  # raises the "no such setting" refusal
            raise AssertionError
        if spec.secret:
            return self.secrets.get(key)
        return settings.decode(key, self._stored().get(key))

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
